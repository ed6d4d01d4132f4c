package dev.mandate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.testing.Fixtures;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed CRD's schema, enforced by the real API server: bad input is refused with the field named. */
class CrdSchemaE2E extends E2ESupport {

    static String ns;

    @BeforeAll
    static void namespace() {
        ns = E2ECluster.get().namespace("e2e-schema");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("no owner", (Consumer<AgentBinding>) b -> b.getSpec().setOwner(null), "spec.owner"),
                Arguments.of("an owner that is not a name", (Consumer<AgentBinding>) b -> b.getSpec().setOwner("Alice Smith"), "spec.owner"),
                Arguments.of("no scope", (Consumer<AgentBinding>) b -> b.getSpec().setScope(null), "spec.scope"),
                Arguments.of("no rotation", (Consumer<AgentBinding>) b -> b.getSpec().setRotation(null), "spec.rotation"),
                Arguments.of("no rotation period", (Consumer<AgentBinding>) b -> b.getSpec().getRotation().setPeriod(null),
                        "spec.rotation.period"),
                Arguments.of("a period in days", (Consumer<AgentBinding>) b -> b.getSpec().getRotation().setPeriod("1d"),
                        "spec.rotation.period"),
                Arguments.of("an overlap in words", (Consumer<AgentBinding>) b -> b.getSpec().getRotation().setOverlap("five minutes"),
                        "spec.rotation.overlap"),
                Arguments.of("a negative ttl", (Consumer<AgentBinding>) b -> b.getSpec().setTtl("-1h"), "spec.ttl"),
                Arguments.of("a date without a time", (Consumer<AgentBinding>) b -> b.getSpec().setExpiresAt("2027-01-01"),
                        "spec.expiresAt"),
                Arguments.of("a Secret name with capitals", (Consumer<AgentBinding>) b -> b.getSpec().setTokenSecretName("Bot_Token"),
                        "spec.tokenSecretName"),
                Arguments.of("a rule without verbs", (Consumer<AgentBinding>) b -> b.getSpec().getScope().getRules().get(0)
                        .setVerbs(new ArrayList<>()), "spec.scope.rules[0].verbs"),
                Arguments.of("a rule without resources", (Consumer<AgentBinding>) b -> b.getSpec().getScope().getRules().get(0)
                        .setResources(null), "spec.scope.rules[0].resources"),
                Arguments.of("a ClusterRole name with a slash", (Consumer<AgentBinding>) b -> b.getSpec().getScope()
                        .setClusterRoles(new ArrayList<>(List.of("../admin"))), "spec.scope.clusterRoles[0]"),
                Arguments.of("too many ClusterRoles", (Consumer<AgentBinding>) b -> {
                    List<String> many = new ArrayList<>();
                    for (int i = 0; i < 65; i++) {
                        many.add("role-" + i);
                    }
                    b.getSpec().getScope().setClusterRoles(many);
                }, "spec.scope.clusterRoles"));
    }

    @ParameterizedTest(name = "{0} is refused, naming {2}")
    @MethodSource("invalid")
    void theApiServerRefusesAnInvalidSpecAndNamesTheField(String what, Consumer<AgentBinding> change, String field) {
        AgentBinding b = Fixtures.binding(ns, "bad-" + Math.abs(what.hashCode()));
        change.accept(b);
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> admin.resource(b).create());
        assertEquals(422, e.getCode(), e.getMessage());
        // Kubernetes 1.20 names list items without their index (spec.scope.rules.verbs); later
        // versions add it (spec.scope.rules[0].verbs). Accept both.
        String message = e.getMessage().replaceAll("\\[\\d+\\]", "");
        assertTrue(message.contains(field.replaceAll("\\[\\d+\\]", "")), "the error names " + field + ": " + e.getMessage());
        assertNull(binding(ns, b.getMetadata().getName()));
    }

    @Test
    void aValidSpecWithTheCoreApiGroupsEmptyStringIsAccepted() {
        AgentBinding b = Fixtures.binding(ns, "core-group-bot");
        assertEquals("", b.getSpec().getScope().getRules().get(0).getApiGroups().get(0));
        AgentBinding created = admin.resource(b).create();
        assertEquals(List.of(""), created.getSpec().getScope().getRules().get(0).getApiGroups());
        assertEquals("5m", created.getSpec().getRotation().getOverlap());
        assertEquals(Boolean.FALSE, created.getSpec().getSuspended(), "the schema's default, not the operator's");
    }
}
