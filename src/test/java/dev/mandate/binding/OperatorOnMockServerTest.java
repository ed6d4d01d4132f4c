package dev.mandate.binding;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.testing.Fixtures;
import dev.mandate.testing.MockClusterResource;
import dev.mandate.token.DeliverySecrets;
import dev.mandate.token.Times;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
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
        assertTrue(message("weak-bot", Conditions.SCOPE_ALLOWED)
                .contains("Secret \"strong-bot-token\" holds the token of AgentBinding strong-bot"));

        AgentBinding early = Fixtures.binding(NS, "early-bot");
        early.getSpec().getScope().getRules().add(GuardrailsLifecycleTest.readSecret("late-bot-token"));
        client().resource(early).create();
        awaitPhase("early-bot", Phase.Active);
        client().resource(Fixtures.binding(NS, "late-bot")).create();
        awaitPhase("late-bot", Phase.Failed);
        assertTrue(message("late-bot", Conditions.READY)
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
}
