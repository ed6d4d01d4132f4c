package dev.mandate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.testing.Fixtures;
import dev.mandate.testing.MockClusterResource;
import dev.mandate.testing.PrometheusText;
import dev.mandate.testing.PrometheusText.Family;
import dev.mandate.time.Times;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scrapes the running operator's /q/metrics, parses the text format, and checks every metric
 * docs/metrics.md lists: type, labels, and values that follow an issue, a rotation and a revocation.
 */
@QuarkusTest
@QuarkusTestResource(value = MockClusterResource.class, restrictToAnnotatedClass = true)
class MetricsEndpointTest {

    static final String NS = "metrics";

    @TestHTTPResource("/q/metrics")
    URL endpoint;

    KubernetesClient client() {
        return MockClusterResource.cluster.client();
    }

    Map<String, Family> scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return PrometheusText.parse(r.body());
    }

    double value(String family, String sample, Map<String, String> labels) throws Exception {
        Family f = scrape().get(family);
        return f == null ? Double.NaN : f.sample(sample, labels).map(PrometheusText.Sample::value).orElse(Double.NaN);
    }

    AgentBinding binding(String name) {
        return client().resources(AgentBinding.class).inNamespace(NS).withName(name).get();
    }

    void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(condition);
    }

    @Test
    void everyMetricIsThereWithItsTypeAndLabelsAndFollowsIssueRotationAndRevocation() throws Exception {
        if (client().namespaces().withName(NS).get() == null) {
            client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                    .create();
        }
        client().resource(Fixtures.binding(NS, "metered-bot")).create();
        await("issued", () -> binding("metered-bot").getStatus() != null
                && binding("metered-bot").getStatus().getPhase() == Phase.Active);
        AgentBinding issued = binding("metered-bot");
        await("scraped", () -> !Double.isNaN(value("mandate_token_expiration_timestamp_seconds",
                "mandate_token_expiration_timestamp_seconds", Map.of("binding", "metered-bot"))));

        Map<String, Family> m = scrape();
        assertFamily(m, "mandate_bindings", "gauge", Set.of("namespace", "phase"));
        assertFamily(m, "mandate_token_expiration_timestamp_seconds", "gauge", Set.of("namespace", "binding", "owner"));
        assertFamily(m, "mandate_token_next_rotation_timestamp_seconds", "gauge", Set.of("namespace", "binding"));
        assertFamily(m, "mandate_binding_expiration_timestamp_seconds", "gauge", Set.of("namespace", "binding", "owner"));
        assertFamily(m, "mandate_rotations", "counter", Set.of("namespace", "result", "trigger"));
        assertFamily(m, "mandate_rotation_lag_seconds", "histogram", Set.of());
        assertFamily(m, "mandate_token_issue_duration_seconds", "histogram", Set.of());
        assertEquals(1.0, m.get("mandate_bindings").sample("mandate_bindings", Map.of("namespace", NS, "phase", "Active"))
                .orElseThrow().value());
        assertEquals((double) Times.parse(issued.getStatus().getToken().getExpiresAt()).getEpochSecond(),
                m.get("mandate_token_expiration_timestamp_seconds").sample("mandate_token_expiration_timestamp_seconds",
                        Map.of("namespace", NS, "binding", "metered-bot", "owner", "alice")).orElseThrow().value());
        assertEquals((double) Times.parse(issued.getStatus().getNextRotationAt()).getEpochSecond(),
                m.get("mandate_token_next_rotation_timestamp_seconds").sample("mandate_token_next_rotation_timestamp_seconds",
                        Map.of("binding", "metered-bot")).orElseThrow().value());
        assertEquals(1.0, m.get("mandate_rotations").sample("mandate_rotations_total",
                Map.of("namespace", NS, "result", "success", "trigger", "TokenMissing")).orElseThrow().value());
        assertTrue(m.get("mandate_rotation_lag_seconds").sample("mandate_rotation_lag_seconds_count", Map.of())
                .orElseThrow().value() >= 1.0);
        // The framework's reconciliation metrics carry controller-level tags only.
        for (String f : m.keySet()) {
            if (f.startsWith("reconciliations_")) {
                assertTrue(Set.of("controller_name").containsAll(m.get(f).labelKeys()), f + " " + m.get(f).labelKeys());
            }
        }

        // A failed issue: counted by Mandate and by the framework, then retried.
        MockClusterResource.cluster.tokens().failNext(1);
        client().resource(Fixtures.binding(NS, "unlucky-bot")).create();
        await("failure counted", () -> value("mandate_rotations", "mandate_rotations_total",
                Map.of("namespace", NS, "result", "failure", "trigger", "TokenMissing")) == 1.0);
        await("framework failure counted", () -> value("reconciliations_failure", "reconciliations_failure_total",
                Map.of("controller_name", "agentbindings")) >= 1.0);
        await("retried", () -> binding("unlucky-bot").getStatus() != null
                && binding("unlucky-bot").getStatus().getPhase() == Phase.Active);
        client().resources(AgentBinding.class).inNamespace(NS).withName("unlucky-bot").delete();

        m = scrape();
        java.util.Set<String> activeSamples = new java.util.HashSet<>();
        m.values().forEach(f -> f.samples().forEach(s -> activeSamples.add(s.name())));

        // A rotation.
        MockClusterResource.CLOCK.advance(Duration.ofSeconds(5));
        AgentBinding b = binding("metered-bot");
        b.getMetadata().setAnnotations(Map.of(Metadata.ROTATE_REQUESTED_AT, Times.format(MockClusterResource.CLOCK.instant())));
        client().resource(b).update();
        await("rotation counted", () -> value("mandate_rotations", "mandate_rotations_total",
                Map.of("namespace", NS, "result", "success", "trigger", "RotationRequested")) == 1.0);

        // A revocation.
        b = binding("metered-bot");
        b.getSpec().setSuspended(true);
        client().resource(b).update();
        await("revocation counted", () -> value("mandate_revocations", "mandate_revocations_total",
                Map.of("namespace", NS, "reason", "Suspended")) == 1.0);
        await("phase gauge follows", () -> value("mandate_bindings", "mandate_bindings",
                Map.of("namespace", NS, "phase", "Suspended")) == 1.0);
        m = scrape();
        assertFamily(m, "mandate_revocations", "counter", Set.of("namespace", "reason"));
        assertFamily(m, "mandate_revocation_lag_seconds", "histogram", Set.of("reason"));
        assertEquals(1.0, m.get("mandate_revocation_lag_seconds").sample("mandate_revocation_lag_seconds_count",
                Map.of("reason", "Suspended")).orElseThrow().value());
        assertTrue(m.get("mandate_token_expiration_timestamp_seconds").sample("mandate_token_expiration_timestamp_seconds",
                Map.of("binding", "metered-bot")).isEmpty(), "a revoked binding has no token to expire");
        assertTrue(m.get("mandate_bindings").sample("mandate_bindings", Map.of("namespace", NS, "phase", "Active")).isEmpty());

        // Every metric the shipped dashboard queries is in the operator's output (while active, then revoked).
        java.util.Set<String> exported = new java.util.HashSet<>(activeSamples);
        m.values().forEach(f -> f.samples().forEach(s -> exported.add(s.name())));
        for (String queried : MonitoringArtifactsTest.dashboardMetrics()) {
            assertTrue(exported.contains(queried), "the dashboard queries " + queried + ", which the operator exports");
        }

        // A deleted binding's series disappear.
        client().resources(AgentBinding.class).inNamespace(NS).withName("metered-bot").delete();
        await("series gone", () -> scrape().get("mandate_bindings").samples().stream()
                .noneMatch(s -> NS.equals(s.labels().get("namespace"))));
    }

    static void assertFamily(Map<String, Family> m, String name, String type, Set<String> labels) {
        Family f = m.get(name);
        assertTrue(f != null, name + " is exported; families: " + m.keySet());
        assertEquals(type, f.type(), name);
        assertTrue(!f.samples().isEmpty(), name + " has samples");
        assertEquals(labels, f.labelKeys(), name + " labels");
    }
}
