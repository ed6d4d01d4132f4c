package dev.mandate.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The fabric8 mock API server in CRUD mode, with Mandate's CRDs installed, a
 * {@link TokenEndpoint} for TokenRequest, and a log of every request it served, so tests can count
 * writes and check their order.
 */
public final class MockCluster implements AutoCloseable {

    /** One request the server received. */
    public record Request(String method, String path) {

        public boolean isWrite() {
            return !"GET".equals(method);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final TokenEndpoint tokens;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public MockCluster(MutableClock clock) {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        Dispatcher dispatcher = new Dispatcher();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(java.net.InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        tokens = new TokenEndpoint(clock, key -> {
            String[] p = key.split("/");
            // Asked from inside the dispatcher: read the store directly, not through the client.
            return dispatcher.handleGet("/api/v1/namespaces/" + p[0] + "/serviceaccounts/" + p[1]).code() == 200;
        });
        installCrds();
        requests.clear();
    }

    public KubernetesClient client() {
        return client;
    }

    public TokenEndpoint tokens() {
        return tokens;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** Writes (anything but GET) since the last {@link #clearRequests()}. */
    public List<Request> writes() {
        return requests.stream().filter(Request::isWrite).toList();
    }

    private void installCrds() {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    private final class Dispatcher extends KubernetesCrudDispatcher {
        Dispatcher() {
            super(List.of());
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            if (!path.contains("watch=true")) {
                requests.add(new Request(request.getMethod(), path));
            }
            if (TokenEndpoint.matches(request.getMethod(), path)) {
                return tokens.handle(path, request.getBody().readUtf8());
            }
            return super.dispatch(request);
        }
    }
}
