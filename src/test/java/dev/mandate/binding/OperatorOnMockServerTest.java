package dev.mandate.binding;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.ConditionTypes;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.api.v1alpha1.Reasons;
import dev.mandate.testing.Fixtures;
import dev.mandate.testing.LogCapture;
import dev.mandate.testing.MockClusterResource;
import dev.mandate.time.Times;
import dev.mandate.token.DeliverySecrets;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * The whole operator (Quarkus, JOSDK, the label-selected informers, the status patch) running
 * against the mock API server: proves the wiring, which the lifecycle tests bypass.
 */
@QuarkusTest
@QuarkusTestResource(value = MockClusterResource.class, restrictToAnnotatedClass = true)
class OperatorOnMockServerTest {

    static final String NS = "wiring";

    KubernetesClient client() {
        return MockClusterResource.cluster.client();
    }

    AgentBinding binding(String name) {
        return client().resources(AgentBinding.class).inNamespace(NS).withName(name).get();
    }

    long delivered(String name) {
        Secret s = client().secrets().inNamespace(NS).withName(name + "-token").get();
        return s == null ? 0 : DeliverySecrets.current(s).map(t -> t.generation()).orElse(0L);
    }

    void namespace() {
        if (client().namespaces().withName(NS).get() == null) {
            client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                    .create();
        }
    }

    Phase awaitPhase(String name, Phase phase) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> binding(name).getStatus() != null && binding(name).getStatus().getPhase() == phase);
        return phase;
    }

    String message(String name, String condition) {
        return binding(name).getStatus().condition(condition).orElseThrow().getMessage();
    }

    /** The token-theft checks, both sides, through the operator's cache indexes (not a list of every binding). */
    @Test
    void agentsCannotBeGrantedEachOthersTokenSecretsThroughTheOperatorsIndexes() {
        namespace();
        client().resource(Fixtures.binding(NS, "strong-bot")).create();
        awaitPhase("strong-bot", Phase.Active);
        AgentBinding weak = Fixtures.binding(NS, "weak-bot");
        weak.getSpec().getScope().getRules().add(GuardrailsLifecycleTest.readSecret("strong-bot-token"));
        client().resource(weak).create();
        awaitPhase("weak-bot", Phase.Denied);
        assertTrue(message("weak-bot", ConditionTypes.SCOPE_ALLOWED)
                .contains("Secret \"strong-bot-token\" holds the token of AgentBinding strong-bot"));

        AgentBinding early = Fixtures.binding(NS, "early-bot");
        early.getSpec().getScope().getRules().add(GuardrailsLifecycleTest.readSecret("late-bot-token"));
        client().resource(early).create();
        awaitPhase("early-bot", Phase.Active);
        client().resource(Fixtures.binding(NS, "late-bot")).create();
        awaitPhase("late-bot", Phase.Failed);
        assertTrue(message("late-bot", ConditionTypes.READY)
                .contains("late-bot-token is named in the rules of AgentBinding early-bot"));
        assertNull(client().secrets().inNamespace(NS).withName("late-bot-token").get());
    }

    @Test
    void anAppliedBindingIsIssuedRotatedOnRequestReissuedWhenItsAnchorGoesAndSuspended() {
        namespace();
        client().resource(Fixtures.binding(NS, "wired-bot")).create();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> binding("wired-bot").getStatus() != null
                        && binding("wired-bot").getStatus().getPhase() == Phase.Active && delivered("wired-bot") == 1);

        // A metadata-only change (the manual rotation annotation) must reach the reconciler.
        MockClusterResource.CLOCK.advance(Duration.ofSeconds(5));
        AgentBinding b = binding("wired-bot");
        b.getMetadata().setAnnotations(Map.of(Metadata.ROTATE_REQUESTED_AT, Times.format(MockClusterResource.CLOCK.instant())));
        client().resource(b).update();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> delivered("wired-bot") == 2);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> binding("wired-bot").getStatus().getToken().getGeneration() == 2L);

        // An event on an owned Secret (the informers' side) must reach it too.
        client().secrets().inNamespace(NS).withName("wired-bot-anchor-2").delete();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> delivered("wired-bot") == 3);

        b = binding("wired-bot");
        b.getSpec().setSuspended(true);
        client().resource(b).update();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> binding("wired-bot").getStatus().getPhase() == Phase.Suspended);
        assertEquals(null, client().serviceAccounts().inNamespace(NS).withName("wired-bot").get());
        assertEquals(2L, binding("wired-bot").getMetadata().getGeneration());
        assertEquals(2L, binding("wired-bot").getStatus().getObservedGeneration());
        assertNotEquals(null, binding("wired-bot").getStatus().getRevokedAt());
    }

    List<Event> reconcileFailedEvents(String name) {
        return client().v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .filter(e -> "ReconcileFailed".equals(e.getReason())).toList();
    }

    /** An API error as the operator meets it: retried, said once as an Event, one log line per attempt. */
    @Test
    void aFailingTokenRequestIsRetriedAndSaidOnceWithoutAStackTraceAtEveryAttempt() {
        namespace();
        try (LogCapture logs = new LogCapture()) {
            MockClusterResource.cluster.tokens().failNext(2);
            client().resource(Fixtures.binding(NS, "unlucky-bot")).create();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> binding("unlucky-bot").getStatus() != null && binding("unlucky-bot").getStatus()
                            .condition(ConditionTypes.READY).map(c -> Reasons.ISSUE_FAILED.equals(c.getReason()))
                            .orElse(false));
            AgentBinding failing = binding("unlucky-bot");
            assertEquals(1, reconcileFailedEvents("unlucky-bot").size(), "said at the first failed attempt");
            assertEquals(Phase.Pending, failing.getStatus().getPhase());
            assertTrue(message("unlucky-bot", ConditionTypes.READY).startsWith("Retrying after an API error: HTTP 403"),
                    message("unlucky-bot", ConditionTypes.READY));
            awaitPhase("unlucky-bot", Phase.Active);

            List<Event> failures = reconcileFailedEvents("unlucky-bot");
            assertEquals(1, failures.size(), "said on the first attempt, not on every retry");
            assertEquals("Warning", failures.get(0).getType());
            assertTrue(failures.get(0).getMessage().startsWith("HTTP 403 "), failures.get(0).getMessage());

            List<String> attempts = logs.lines().stream()
                    .filter(l -> l.startsWith("WARN") && l.contains("reconciling " + NS + "/unlucky-bot failed (attempt"))
                    .toList();
            assertEquals(2, attempts.size(), "one line per failed attempt: " + attempts);
            assertTrue(attempts.get(0).contains("failed (attempt 1): HTTP 403 Forbidden: injected"), attempts.get(0));
            assertTrue(attempts.get(1).contains("failed (attempt 2): "), attempts.get(1));
            assertTrue(logs.records().stream().noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue()
                    && r.getThrown() != null), "no stack trace at WARN or above: " + logs.lines());
        }
    }
}
