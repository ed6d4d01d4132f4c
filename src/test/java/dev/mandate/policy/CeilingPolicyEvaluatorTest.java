package dev.mandate.policy;

import static dev.mandate.testing.Fixtures.binding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.ScopeRule;
import dev.mandate.testing.Fixtures;
import dev.mandate.testing.Guardrails;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CeilingPolicyEvaluatorTest {

    final CeilingPolicyEvaluator evaluator = new CeilingPolicyEvaluator();
    final FakeFacts facts = FakeFacts.guardrails();

    static AgentBinding supportBot() {
        AgentBinding b = binding("support", "support-bot");
        b.getMetadata().setCreationTimestamp("2026-11-29T10:00:00Z");
        return b;
    }

    @Test
    void aBindingWithinTheCeilingIsAdmittedByThePolicyAndItsOwnerRuleIsPassedOn() {
        PolicyVerdict v = evaluator.evaluate(supportBot(), facts);
        assertTrue(v.allowed(), v.message());
        assertEquals(Optional.of(Guardrails.POLICY), v.policy());
        assertTrue(v.requireActiveOwner());
        assertEquals("PolicyAllows", v.reason());
    }

    @Test
    void withNoPolicyNothingIsAdmitted() {
        facts.policies.clear();
        PolicyVerdict v = evaluator.evaluate(supportBot(), facts);
        assertFalse(v.allowed());
        assertEquals("NoMatchingPolicy", v.reason());
        assertTrue(v.message().contains("No AgentPolicy exists"), v.message());
    }

    @Test
    void aPolicyGovernsOnlyTheNamespacesItSelects() {
        facts.policies.get(0).getSpec().setNamespaceSelector(new LabelSelectorBuilder()
                .addToMatchLabels("mandate.dev/agents", "enabled").build());
        assertTrue(evaluator.evaluate(supportBot(), facts).allowed());
        AgentBinding elsewhere = binding("payments", "pay-bot");
        facts.namespaces.put("payments", java.util.Map.of());
        PolicyVerdict v = evaluator.evaluate(elsewhere, facts);
        assertEquals("NoMatchingPolicy", v.reason());
        assertTrue(v.message().contains("No AgentPolicy selects namespace payments"), v.message());
    }

    @Test
    void theFirstPolicyInNameOrderThatAllowsAllOfItAdmits() {
        facts.policies.add(0, Guardrails.policy("zz-broad", Guardrails.CEILING, List.of("view", "view-pods")));
        facts.policies.add(Guardrails.policy("aa-narrow", Guardrails.CEILING, List.of()));
        // aa-narrow sorts first but does not allow "view"; everywhere does, and comes before zz-broad.
        assertEquals(Optional.of(Guardrails.POLICY), evaluator.evaluate(supportBot(), facts).policy());
    }

    @Test
    void theMessageNamesTheRuleAndThePolicyItExceeds() {
        AgentBinding b = supportBot();
        b.getSpec().getScope().getRules().add(Fixtures.rule("", "pods", "delete"));
        PolicyVerdict v = evaluator.evaluate(b, facts);
        assertEquals("ScopeExceedsPolicy", v.reason());
        assertTrue(v.message().contains("AgentPolicy everywhere: scope.rules[1] asks for delete pods, beyond ceiling "
                + "ClusterRole mandate-ceiling-test"), v.message());
    }

    @Test
    void eachSelectingPolicysRefusalIsReported() {
        facts.policies.add(Guardrails.policy("lab", null, List.of("view")));
        AgentBinding b = supportBot();
        b.getSpec().getScope().setClusterRoles(new ArrayList<>(List.of("view", "cluster-reader")));
        facts.clusterRoles.put("cluster-reader", Guardrails.clusterRole("cluster-reader", java.util.Map.of(),
                Guardrails.rule(List.of(""), List.of("nodes"), List.of("get"))));
        PolicyVerdict v = evaluator.evaluate(b, facts);
        assertTrue(v.message().contains("AgentPolicy everywhere: scope.clusterRoles: cluster-reader is not in "
                + "allowedClusterRoles [view, view-pods]"), v.message());
        assertTrue(v.message().contains("AgentPolicy lab: scope.rules: the policy has no ceilingClusterRole"), v.message());
    }

    @Test
    void lifetimesAreBoundedByMaxTtlAndMaxTokenLifetime() {
        AgentBinding longLived = supportBot();
        longLived.getSpec().setTtl("2161h");
        assertTrue(evaluator.evaluate(longLived, facts).message().contains("lifetime 2161h (ttl/expiresAt) exceeds maxTTL 2160h"));
        AgentBinding forever = supportBot();
        forever.getSpec().setTtl(null);
        assertTrue(evaluator.evaluate(forever, facts).message().contains("sets neither ttl nor expiresAt, but maxTTL is 2160h"));
        AgentBinding datedOk = supportBot();
        datedOk.getSpec().setTtl(null);
        datedOk.getSpec().setExpiresAt("2026-12-29T10:00:00Z");
        assertTrue(evaluator.evaluate(datedOk, facts).allowed());
        AgentBinding longToken = supportBot();
        longToken.getSpec().getRotation().setPeriod("24h");
        assertTrue(evaluator.evaluate(longToken, facts).message().contains("token lifetime 24h5m (rotation.period + "
                + "overlap) exceeds maxTokenLifetime 24h"));
    }

    @Test
    void neverGrantableWinsOverAnyPolicyAndCoversNamedClusterRoles() {
        facts.policies.get(0).getSpec().setAllowedClusterRoles(new ArrayList<>(List.of("view", "edit", "cluster-admin")));
        facts.clusterRoles.put(Guardrails.CEILING, Guardrails.clusterRole(Guardrails.CEILING, java.util.Map.of(),
                Guardrails.rule(List.of("*"), List.of("*"), List.of("*"))));
        AgentBinding admin = supportBot();
        admin.getSpec().getScope().setClusterRoles(new ArrayList<>(List.of("cluster-admin")));
        PolicyVerdict v = evaluator.evaluate(admin, facts);
        assertEquals("NeverGrantable", v.reason());
        assertTrue(v.message().contains("ClusterRole cluster-admin rule[0].apiGroups: \"*\" is a wildcard"), v.message());

        AgentBinding exec = supportBot();
        exec.getSpec().getScope().setRules(new ArrayList<>(List.of(new ScopeRule(new ArrayList<>(List.of("")),
                new ArrayList<>(List.of("pods/exec")), new ArrayList<>(List.of("create")), null))));
        assertEquals("NeverGrantable", evaluator.evaluate(exec, facts).reason(), "even under a * ceiling");
    }

    @Test
    void aClusterRoleThatDoesNotExistIsNotBound() {
        AgentBinding b = supportBot();
        b.getSpec().getScope().setClusterRoles(new ArrayList<>(List.of("view", "ghost")));
        PolicyVerdict v = evaluator.evaluate(b, facts);
        assertEquals("ClusterRoleNotFound", v.reason());
        assertTrue(v.message().contains("ClusterRole ghost not found"), v.message());
    }

    @Test
    void aMissingCeilingDeniesRulesButNotClusterRoles() {
        facts.clusterRoles.remove(Guardrails.CEILING);
        PolicyVerdict v = evaluator.evaluate(supportBot(), facts);
        assertTrue(v.message().contains("its ceiling ClusterRole mandate-ceiling-test does not exist"), v.message());
        AgentBinding onlyView = supportBot();
        onlyView.getSpec().getScope().setRules(new ArrayList<>());
        assertTrue(evaluator.evaluate(onlyView, facts).allowed());
    }

    @Test
    void requireActiveOwnerFalseIsPassedOn() {
        facts.policies.get(0).getSpec().setRequireActiveOwner(false);
        assertFalse(evaluator.evaluate(supportBot(), facts).requireActiveOwner());
    }

    @Test
    void aLifetimeThatIsWrongButReadableIsJudgedAndOnlyAnUnreadableOneIsRefused() {
        AgentBinding brief = supportBot();
        brief.getSpec().setTtl("30m"); // shorter than one token: the spec's problem, not the policy's
        assertTrue(evaluator.evaluate(brief, facts).allowed(), evaluator.evaluate(brief, facts).message());

        AgentBinding unreadable = supportBot();
        unreadable.getSpec().setTtl("a while");
        PolicyVerdict v = evaluator.evaluate(unreadable, facts);
        assertFalse(v.allowed());
        assertTrue(v.message().contains("spec.ttl cannot be read, so the lifetime cannot be compared with maxTTL 2160h"),
                v.message());

        AgentBinding noPeriod = supportBot();
        noPeriod.getSpec().getRotation().setPeriod("soon");
        assertTrue(evaluator.evaluate(noPeriod, facts).message()
                .contains("rotation: cannot read the token lifetime to compare it with maxTokenLifetime"));
    }
}
