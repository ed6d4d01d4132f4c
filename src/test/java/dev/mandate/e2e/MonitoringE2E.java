package dev.mandate.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.time.Times;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shipped alert rules and the metrics, checked with real Prometheus tools from Debian's
 * archive (hack/prometheus.sh): promtool checks and unit-tests the rules and lints the metrics, and
 * a real Prometheus server scrapes the running operator while bindings rotate and expire.
 */
class MonitoringE2E extends E2ESupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void promtoolChecksAndUnitTestsTheShippedAlertRules() throws Exception {
        Path bin = Tools.prometheus();
        String check = Tools.ok(List.of(bin.resolve("promtool").toString(), "check", "rules",
                "deploy/monitoring/mandate-rules.yaml"));
        assertTrue(check.contains("SUCCESS: 8 rules found"), check);
        String test = Tools.ok(List.of(bin.resolve("promtool").toString(), "test", "rules",
                "deploy/monitoring/tests/mandate-rules-test.yaml"));
        assertTrue(test.contains("SUCCESS"), test);
        System.out.println("[e2e] promtool test rules: " + test.strip().replace('\n', ' '));
    }

    /**
     * promtool lints Mandate's metrics. Its only remark may be "no help text" on counters: the
     * exposition library writes a counter's TYPE and HELP under its base name ({@code
     * mandate_rotations}) and the samples with {@code _total}, which Prometheus ingests but the
     * 0.0.4 linter reads as a separate, undocumented family. Every such counter must have its HELP
     * under the base name; anything else promtool says fails the test.
     */
    @Test
    void promtoolFindsNothingToLintInMandatesMetricsButTheCounterNamingOfTheExpositionLibrary() throws Exception {
        String metrics = cluster.operator().metrics();
        String mandate = metrics.lines().filter(l -> l.contains("mandate_")).collect(Collectors.joining("\n")) + "\n";
        assertTrue(mandate.contains("mandate_bindings"), "the operator exports Mandate's metrics");
        // promtool exits non-zero on any remark: what it says is judged below.
        String lint = Tools.run(List.of(Tools.prometheus().resolve("promtool").toString(), "check", "metrics"), mandate)
                .output();
        for (String line : lint.strip().lines().toList()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(mandate_[a-z_]+)_total no help text$").matcher(line);
            assertTrue(m.matches(), "promtool check metrics: " + line);
            assertTrue(mandate.contains("# HELP " + m.group(1) + " ") && mandate.contains("# TYPE " + m.group(1) + " counter"),
                    m.group(1) + " is a documented counter");
        }
        System.out.println("[e2e] promtool check metrics on Mandate's metrics: " + (lint.isBlank() ? "clean"
                : lint.strip().lines().count() + " counter-naming remarks, nothing else"));
    }

    JsonNode query(int port, String promql) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("data").path("result");
    }

    double scalar(int port, String promql) throws Exception {
        JsonNode result = query(port, promql);
        return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
    }

    @Test
    void aRealPrometheusScrapesTheOperatorWhileBindingsRotateAndExpire() throws Exception {
        OperatorProcess operator = cluster.operator();
        Path dir = Files.createTempDirectory("mandate-prometheus");
        int port = OperatorProcess.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                - %s
                scrape_configs:
                - job_name: mandate
                  metrics_path: /q/metrics
                  static_configs:
                  - targets: ['127.0.0.1:%d']
                """.formatted(Path.of("deploy/monitoring/mandate-rules.yaml").toAbsolutePath(), operator.port()));
        Path log = Path.of(System.getProperty("mandate.e2e.logs", "target/e2e-logs")).resolve("prometheus.log");
        Files.createDirectories(log.getParent());
        Process prometheus = new ProcessBuilder(Tools.prometheus().resolve("prometheus").toString(),
                "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await("prometheus ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                try {
                    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
            String ns = cluster.namespace("e2e-prom");
            create(ns, "watched-bot", b -> b.getSpec().getRotation().setPeriod("10m"));
            create(ns, "brief-bot", b -> b.getSpec().setExpiresAt(Times.format(Instant.now().plusSeconds(15))));
            awaitAgent(ns, "watched-bot", 1);
            requestRotation(ns, "watched-bot", Instant.now());
            awaitAgent(ns, "watched-bot", 2);
            awaitPhase(ns, "brief-bot", Phase.Expired);
            AgentBinding watched = awaitPhase(ns, "watched-bot", Phase.Active);

            Duration patience = Duration.ofSeconds(30);
            String sel = "namespace=\"" + ns + "\"";
            await("up").atMost(patience).pollInterval(POLL).until(() -> scalar(port, "up{job=\"mandate\"}") == 1.0);
            await("rotation counted").atMost(patience).pollInterval(POLL).until(() -> scalar(port,
                    "mandate_rotations_total{" + sel + ",result=\"success\",trigger=\"RotationRequested\"}") == 1.0);
            await("issues counted").atMost(patience).pollInterval(POLL).until(() -> scalar(port,
                    "sum(mandate_rotations_total{" + sel + ",result=\"success\",trigger=\"TokenMissing\"})") == 2.0);
            await("expiry counted").atMost(patience).pollInterval(POLL).until(() -> scalar(port,
                    "mandate_revocations_total{" + sel + ",reason=\"Expired\"}") == 1.0);
            await("phases").atMost(patience).pollInterval(POLL).until(() ->
                    scalar(port, "mandate_bindings{" + sel + ",phase=\"Expired\"}") == 1.0
                            && scalar(port, "mandate_bindings{" + sel + ",phase=\"Active\"}") == 1.0);
            await("token expiry gauge").atMost(patience).pollInterval(POLL).until(() -> scalar(port,
                    "mandate_token_expiration_timestamp_seconds{" + sel + ",binding=\"watched-bot\"}")
                    == Times.parse(watched.getStatus().getToken().getExpiresAt()).getEpochSecond());
            assertTrue(Double.isNaN(scalar(port, "mandate_token_expiration_timestamp_seconds{" + sel
                    + ",binding=\"brief-bot\"}")), "a revoked binding has no token series");
            double lagCount = scalar(port, "sum(mandate_revocation_lag_seconds_count{reason=\"Expired\"})");
            assertTrue(lagCount >= 1.0, "revocation lag recorded: " + lagCount);

            HttpResponse<String> rules = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/rules")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode loaded = JSON.readTree(rules.body()).path("data").path("groups").get(0).path("rules");
            assertEquals(8, loaded.size(), "the shipped rules load into a real Prometheus");
            loaded.forEach(r -> assertEquals("ok", r.path("health").asText(), r.path("name").asText()));
            assertTrue(query(port, "ALERTS{alertname=\"MandateOperatorAbsent\"}").isEmpty());
            System.out.printf("[e2e] prometheus scraped the operator: up=1, rotations and revocations counted, %d rules ok%n",
                    loaded.size());
        } finally {
            prometheus.destroy();
            prometheus.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
