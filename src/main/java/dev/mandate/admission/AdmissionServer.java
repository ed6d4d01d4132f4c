package dev.mandate.admission;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;

/**
 * The webhooks' HTTPS endpoint, on its own port, served by every replica: {@code /mutate} and
 * {@code /validate} take an AdmissionReview and answer one; {@code /healthz} says it is up. A new
 * certificate is taken for new connections at once ({@link #use}).
 */
public final class AdmissionServer {

    private static final Logger LOG = Logger.getLogger(AdmissionServer.class);
    /** The API server sends AdmissionReviews of a few KiB; nothing legitimate is larger than this. */
    static final int MAX_BODY = 3 * 1024 * 1024;

    private final HttpsServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "mandate-admission");
        t.setDaemon(true);
        return t;
    });

    public AdmissionServer(String host, int port, SSLContext tls, AdmissionHandler handler) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(host, port), 128);
        use(tls);
        server.setExecutor(workers);
        server.createContext("/mutate", x -> answer(x, "mutate", handler));
        server.createContext("/validate", x -> answer(x, "validate", handler));
        server.createContext("/healthz", x -> reply(x, 200, "ok", "text/plain"));
    }

    public void start() {
        server.start();
        LOG.infof("admission webhooks listening on https://%s:%d", server.getAddress().getHostString(), port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void use(SSLContext tls) {
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
    }

    public void stop() {
        server.stop(1);
        workers.shutdownNow();
    }

    private static void answer(HttpExchange x, String webhook, AdmissionHandler handler) throws IOException {
        try (x) {
            if (!"POST".equals(x.getRequestMethod())) {
                reply(x, 405, "POST an AdmissionReview", "text/plain");
                return;
            }
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                reply(x, 413, "too large", "text/plain");
                return;
            }
            AdmissionReview review;
            try {
                review = Serialization.unmarshal(new String(body, StandardCharsets.UTF_8), AdmissionReview.class);
            } catch (RuntimeException e) {
                reply(x, 400, "not an AdmissionReview", "text/plain");
                return;
            }
            if (review == null || review.getRequest() == null) {
                reply(x, 400, "not an AdmissionReview", "text/plain");
                return;
            }
            reply(x, 200, Serialization.asJson(handler.handle(webhook, review)), "application/json");
        }
    }

    private static void reply(HttpExchange x, int code, String text, String type) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
