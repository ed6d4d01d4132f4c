package dev.mandate.binding;

import static dev.mandate.testing.Fixtures.binding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.ScopeRule;
import dev.mandate.binding.cluster.Ownership;
import dev.mandate.policy.CeilingPolicyEvaluator;
import dev.mandate.spec.EffectiveSpec;
import dev.mandate.spec.SpecReader;
import dev.mandate.testing.Fixtures;
import dev.mandate.testing.Guardrails;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredResourcesTest {

    static AgentBinding withUid(AgentBinding b) {
        b.getMetadata().setUid("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        return b;
    }

    static EffectiveSpec spec(AgentBinding b) {
        b.getMetadata().setCreationTimestamp("2026-11-29T10:00:00Z");
        return SpecReader.read(b).spec().orElseThrow();
    }

    @Test
    void theServiceAccountNeverMountsItsOwnTokenAndIsControlledByTheBinding() {
        AgentBinding b = withUid(binding("support", "support-bot"));
        var sa = DesiredResources.serviceAccount(b);
        assertEquals("support-bot", sa.getMetadata().getName());
        assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken());
        var ref = sa.getMetadata().getOwnerReferences().get(0);
        assertEquals(b.getMetadata().getUid(), ref.getUid());
        assertTrue(ref.getController() && ref.getBlockOwnerDeletion());
        assertEquals("mandate", sa.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertEquals("support-bot", sa.getMetadata().getLabels().get("mandate.dev/binding"));
    }

    @Test
    void rulesBecomeOneRoleBoundToTheServiceAccountAndEachClusterRoleOneRoleBinding() {
        AgentBinding b = withUid(binding("support", "support-bot"));
        b.getSpec().getScope().setClusterRoles(new ArrayList<>(List.of("view", "system:aggregate-to-view", "view")));
        EffectiveSpec spec = spec(b);
        var roles = DesiredResources.roles(b, spec);
        assertEquals(1, roles.size());
        assertEquals(List.of("configmaps"), roles.get(0).getRules().get(0).getResources());
        List<RoleBinding> rbs = DesiredResources.roleBindings(b, spec);
        assertEquals(List.of("support-bot", "support-bot:view", "support-bot:system:aggregate-to-view"),
                rbs.stream().map(r -> r.getMetadata().getName()).toList(), "duplicates collapse");
        for (RoleBinding rb : rbs) {
            assertEquals(List.of(new Subject(null, "ServiceAccount", "support-bot", "support")), rb.getSubjects());
        }
        assertEquals("Role", rbs.get(0).getRoleRef().getKind());
        assertEquals("ClusterRole", rbs.get(1).getRoleRef().getKind());
    }

    @Test
    void withoutRulesThereIsNoRoleAndNoBindingToIt() {
        AgentBinding b = withUid(binding("support", "support-bot"));
        b.getSpec().getScope().setRules(new ArrayList<>());
        EffectiveSpec spec = spec(b);
        assertTrue(DesiredResources.roles(b, spec).isEmpty());
        assertEquals(List.of("support-bot:view"),
                DesiredResources.roleBindings(b, spec).stream().map(r -> r.getMetadata().getName()).toList());
    }

    @Test
    void resourceNamesAreCarriedIntoTheRole() {
        AgentBinding b = withUid(binding("support", "support-bot"));
        var rule = Fixtures.rule("", "secrets", "get");
        rule.setResourceNames(new ArrayList<>(List.of("support-faq")));
        b.getSpec().getScope().setRules(new ArrayList<>(List.of(rule)));
        PolicyRule r = DesiredResources.roles(b, spec(b)).get(0).getRules().get(0);
        assertEquals(List.of("support-faq"), r.getResourceNames());
    }

    @Test
    void ruleComparisonTreatsMissingAndEmptyListsAlikeButNotDifferentGrants() {
        PolicyRule a = new PolicyRule(List.of(""), null, null, List.of("pods"), List.of("get"));
        PolicyRule b = new PolicyRule(List.of(""), List.of(), List.of(), List.of("pods"), List.of("get"));
        PolicyRule c = new PolicyRule(List.of(""), List.of(), List.of(), List.of("pods"), List.of("get", "list"));
        assertTrue(DesiredResources.sameRules(List.of(a), List.of(b)));
        assertFalse(DesiredResources.sameRules(List.of(a), List.of(c)));
        assertFalse(DesiredResources.sameRules(List.of(a), List.of(a, a)));
    }

    @Test
    void ownershipIsDecidedByTheControllerReferencesUid() {
        AgentBinding b = withUid(binding("support", "support-bot"));
        var ours = DesiredResources.serviceAccount(b);
        assertEquals(Ownership.OURS, Ownership.of(ours, b));
        AgentBinding reborn = withUid(binding("support", "support-bot"));
        reborn.getMetadata().setUid("00000000-0000-0000-0000-000000000001");
        assertEquals(Ownership.PREVIOUS_INCARNATION, Ownership.of(ours, reborn));
        var foreign = new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata().withName("support-bot")
                .endMetadata().build();
        assertEquals(Ownership.FOREIGN, Ownership.of(foreign, b));
    }

    @Test
    void anEmptyResourceNamesListMeansEveryObjectInTheRoleAndInThePolicyCheckAlike() {
        AgentBinding b = binding("support", "support-bot");
        b.getSpec().getScope().setRules(new ArrayList<>(List.of(new ScopeRule(new ArrayList<>(List.of("")),
                new ArrayList<>(List.of("secrets")), new ArrayList<>(List.of("get")), new ArrayList<>()))));
        PolicyRule written = new ScopeRule(List.of(""), List.of("secrets"), List.of("get"), List.of()).toPolicyRule();
        assertTrue(written.getResourceNames() == null || written.getResourceNames().isEmpty(),
                "the Role says nothing of names: RBAC grants every Secret");
        var verdict = new CeilingPolicyEvaluator().evaluate(b, new dev.mandate.policy.PolicyFacts() {
            @Override
            public List<dev.mandate.api.v1alpha1.AgentPolicy> policies() {
                return List.of(Guardrails.policy(Guardrails.POLICY, Guardrails.CEILING, List.of("view")));
            }

            @Override
            public java.util.Optional<io.fabric8.kubernetes.api.model.rbac.ClusterRole> clusterRole(String name) {
                return java.util.Optional.of(name.equals("view") ? Guardrails.builtIns().get(0) : Guardrails.ceiling());
            }

            @Override
            public java.util.Optional<java.util.Map<String, String>> namespaceLabels(String namespace) {
                return java.util.Optional.of(java.util.Map.of());
            }

            @Override
            public List<AgentBinding> tokenSecretHolders(String namespace, String secret) {
                return List.of();
            }
        });
        assertFalse(verdict.allowed());
        assertTrue(verdict.message().contains("\"secrets\" without resourceNames is never grantable"), verdict.message());
    }
}
