package dev.mandate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.testing.Guardrails;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentPolicyReconcilerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "labelled ceiling, CeilingReady, True",
            "unlabelled ceiling, CeilingNotAggregated, False",
            "missing ceiling, CeilingNotFound, False",
            "no ceiling, NoCeiling, True",
            "bad selector, InvalidSelector, False",
    })
    void tellsAdminsWhetherThePolicyCanWork(String situation, String reason, String status) {
        AgentPolicy p = Guardrails.policy("p", situation.equals("no ceiling") ? null : Guardrails.CEILING, List.of());
        p.getMetadata().setGeneration(1L);
        if (situation.equals("bad selector")) {
            p.getSpec().setNamespaceSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("a")
                    .withOperator("Equals").withValues("b").endMatchExpression().build());
        }
        var ceiling = switch (situation) {
            case "labelled ceiling", "bad selector" -> Optional.of(Guardrails.ceiling());
            case "unlabelled ceiling" -> Optional.of(Guardrails.clusterRole(Guardrails.CEILING, Map.of()));
            default -> Optional.<io.fabric8.kubernetes.api.model.rbac.ClusterRole>empty();
        };
        var s = AgentPolicyReconciler.status(p, ceiling, Instant.parse("2026-11-29T10:00:00Z"));
        assertEquals(reason, s.getConditions().get(0).getReason());
        assertEquals(status, s.getConditions().get(0).getStatus());
        assertEquals(1L, s.getObservedGeneration());
    }
}
