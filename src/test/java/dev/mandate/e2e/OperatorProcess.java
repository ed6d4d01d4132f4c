package dev.mandate.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The packaged operator (target/quarkus-app/quarkus-run.jar) running as a local process, as in production. */
public final class OperatorProcess {

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;

    /** The operator's process id (for jcmd and /proc). */
    public long pid() {
        return process.pid();
    }

    private final int port;
    public final Path log;

    private OperatorProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static OperatorProcess start(E2ECluster cluster, String name, String... extraOptions) {
        try {
            int port = freePort();
            Path logs = Path.of(System.getProperty("mandate.e2e.logs", "target/e2e-logs"));
            Files.createDirectories(logs);
            Path log = logs.resolve("operator-" + COUNT.incrementAndGet() + "-" + name + ".log");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1", // as the Helm chart runs it
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    "-Dmandate.delivery.server=" + cluster.server));
            cmd.addAll(List.of(extraOptions));
            cmd.addAll(List.of("-jar", System.getProperty("mandate.e2e.app", "target/quarkus-app/quarkus-run.jar")));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("KUBECONFIG", cluster.operatorKubeconfig.toAbsolutePath().toString());
            pb.environment().put("HOSTNAME", "e2e-" + name);
            OperatorProcess op = new OperatorProcess(pb.start(), port, log);
            op.awaitReady();
            return op;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void awaitReady() {
        await("operator ready (log: " + log + ")").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the operator exited; see " + log);
                    }
                    return get("/q/health/ready").map(b -> b.contains("\"UP\"")).orElse(false);
                });
    }

    /** The operator's HTTP port on 127.0.0.1 (health, /q/metrics). */
    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as Kubernetes stops a Pod; waits for a clean exit. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Prometheus text of /q/metrics. */
    public String metrics() {
        return get("/q/metrics").orElse("");
    }

    /** The value of the first sample of a metric whose line starts with {@code prefix}. */
    public OptionalDouble metric(String prefix) {
        return metrics().lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(
                l.substring(l.lastIndexOf(' ') + 1))).findFirst();
    }

    private java.util.Optional<String> get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? java.util.Optional.of(r.body()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
