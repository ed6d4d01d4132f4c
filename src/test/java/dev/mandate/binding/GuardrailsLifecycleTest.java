package dev.mandate.binding;

import static dev.mandate.testing.Fixtures.binding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.ConditionTypes;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.testing.Fixtures;
import dev.mandate.testing.Guardrails;
import dev.mandate.testing.LifecycleRig;
import dev.mandate.token.AnchorSecrets;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Owners and policies, as the lifecycle sees them on the mock API server. */
class GuardrailsLifecycleTest {

    static final String NS = "support";

    final LifecycleRig rig = LifecycleRig.withGuardrails();

    @AfterEach
    void close() {
        rig.close();
    }

    AgentBinding issue(String name, String owner) {
        AgentBinding b = binding(NS, name);
        b.getSpec().setOwner(owner);
        rig.create(b);
        rig.reconcile(NS, name);
        return rig.get(NS, name);
    }

    Condition condition(String name, String type) {
        return rig.get(NS, name).getStatus().condition(type).orElseThrow();
    }

    boolean hasIdentity(String name) {
        return rig.client.serviceAccounts().inNamespace(NS).withName(name).get() != null;
    }

    void setOwnerActive(String owner, boolean active) {
        rig.client.resources(AgentOwner.class).withName(owner).edit(o -> {
            o.getSpec().setActive(active);
            return o;
        });
    }

    @Test
    void anOwnersDepartureRevokesEveryBindingThatNamesItAndOnlyThose() {
        issue("alice-bot-1", "alice");
        issue("alice-bot-2", "alice");
        issue("bob-bot", "bob");
        setOwnerActive("alice", false);
        rig.clock.advance(Duration.ofSeconds(3));
        for (String n : List.of("alice-bot-1", "alice-bot-2", "bob-bot")) {
            rig.reconcile(NS, n);
        }
        for (String n : List.of("alice-bot-1", "alice-bot-2")) {
            AgentBinding b = rig.get(NS, n);
            assertEquals(Phase.Revoked, b.getStatus().getPhase());
            assertEquals("OwnerDeparted", b.getStatus().getRevocationReason());
            assertEquals("OwnerDeparted", condition(n, ConditionTypes.READY).getReason());
            assertEquals("False", condition(n, ConditionTypes.OWNER_ACTIVE).getStatus());
            assertTrue(!hasIdentity(n), n + " lost its identity");
        }
        assertEquals(Phase.Active, rig.get(NS, "bob-bot").getStatus().getPhase());

        setOwnerActive("alice", true);
        rig.reconcile(NS, "alice-bot-1");
        AgentBinding back = rig.get(NS, "alice-bot-1");
        assertEquals(Phase.Active, back.getStatus().getPhase(), "reactivating the owner re-issues");
        assertEquals(2L, back.getStatus().getToken().getGeneration());
    }

    @Test
    void deletingTheOwnerIsADepartureNotAnUnknownOwner() {
        issue("alice-bot", "alice");
        rig.client.resources(AgentOwner.class).withName("alice").delete();
        rig.reconcile(NS, "alice-bot");
        assertEquals("OwnerDeparted", rig.get(NS, "alice-bot").getStatus().getRevocationReason());
        rig.reconcile(NS, "alice-bot");
        assertEquals("OwnerDeparted", rig.get(NS, "alice-bot").getStatus().getRevocationReason(),
                "and stays a departure on the next look");
        assertTrue(!hasIdentity("alice-bot"));
    }

    @Test
    void anUnknownOwnerGetsNothingUntilTheBindingNamesAnActiveOne() {
        AgentBinding b = issue("orphan-bot", "nobody");
        assertEquals(Phase.Revoked, b.getStatus().getPhase());
        assertEquals("OwnerUnknown", condition("orphan-bot", ConditionTypes.READY).getReason());
        assertTrue(condition("orphan-bot", ConditionTypes.READY).getMessage()
                .contains("AgentOwner nobody does not exist and AgentPolicy everywhere requires an active owner"));
        assertTrue(!hasIdentity("orphan-bot"));
        assertEquals(0, rig.cluster.tokens().minted().size());

        rig.edit(NS, "orphan-bot", x -> {
            x.getSpec().setOwner("bob");
            return x;
        });
        rig.reconcile(NS, "orphan-bot");
        assertEquals(Phase.Active, rig.get(NS, "orphan-bot").getStatus().getPhase(), "an active owner re-issues");
    }

    @Test
    void aPolicyThatDoesNotRequireAnActiveOwnerIssuesForAnUnknownOne() {
        rig.client.resources(AgentPolicy.class).withName(Guardrails.POLICY).edit(p -> {
            p.getSpec().setRequireActiveOwner(false);
            return p;
        });
        AgentBinding b = issue("lab-bot", "nobody");
        assertEquals(Phase.Active, b.getStatus().getPhase());
        assertEquals("False", condition("lab-bot", ConditionTypes.OWNER_ACTIVE).getStatus(), "still reported");
    }

    @Test
    void aBindingBeyondTheCeilingIsDeniedAndNothingIsCreated() {
        AgentBinding b = binding(NS, "greedy-bot");
        b.getSpec().getScope().getRules().add(Fixtures.rule("apps", "deployments", "delete"));
        rig.create(b);
        rig.reconcile(NS, "greedy-bot");
        AgentBinding after = rig.get(NS, "greedy-bot");
        assertEquals(Phase.Denied, after.getStatus().getPhase());
        Condition scope = condition("greedy-bot", ConditionTypes.SCOPE_ALLOWED);
        assertEquals("False", scope.getStatus());
        assertEquals("ScopeExceedsPolicy", scope.getReason());
        assertTrue(scope.getMessage().contains("scope.rules[1] asks for delete deployments.apps, beyond ceiling "
                + "ClusterRole mandate-ceiling-test"), scope.getMessage());
        assertEquals("ScopeDenied", condition("greedy-bot", ConditionTypes.READY).getReason());
        assertTrue(!hasIdentity("greedy-bot"));
        assertTrue(rig.client.rbac().roles().inNamespace(NS).list().getItems().isEmpty());
        assertTrue(rig.eventReasons(NS).contains("ScopeDenied"));
    }

    @Test
    void withNoPolicyNothingIsAdmitted() {
        rig.client.resources(AgentPolicy.class).withName(Guardrails.POLICY).delete();
        AgentBinding b = issue("any-bot", "alice");
        assertEquals(Phase.Denied, b.getStatus().getPhase());
        assertEquals("NoMatchingPolicy", condition("any-bot", ConditionTypes.SCOPE_ALLOWED).getReason());
        assertTrue(!hasIdentity("any-bot"));
    }

    @Test
    void statusNamesTheAdmittingPolicy() {
        assertEquals(Guardrails.POLICY, issue("support-bot", "alice").getStatus().getPolicy());
    }

    @Test
    void tighteningTheCeilingRevokesWhatItNoLongerAllowsAndLooseningReissues() {
        issue("support-bot", "alice");
        ClusterRole narrower = Guardrails.clusterRole(Guardrails.CEILING,
                java.util.Map.of("mandate.dev/aggregate-to-operator", "true"),
                Guardrails.rule(List.of(""), List.of("pods"), List.of("get")));
        rig.client.rbac().clusterRoles().withName(Guardrails.CEILING).edit(cr -> {
            cr.setRules(narrower.getRules());
            return cr;
        });
        rig.reconcile(NS, "support-bot");
        AgentBinding denied = rig.get(NS, "support-bot");
        assertEquals(Phase.Denied, denied.getStatus().getPhase());
        assertEquals("ScopeDenied", denied.getStatus().getRevocationReason());
        assertTrue(!hasIdentity("support-bot"));
        assertTrue(rig.secrets(NS).stream().noneMatch(AnchorSecrets::isAnchor), "every token dead");

        rig.client.rbac().clusterRoles().withName(Guardrails.CEILING).edit(cr -> {
            cr.setRules(Guardrails.ceiling().getRules());
            return cr;
        });
        rig.reconcile(NS, "support-bot");
        AgentBinding back = rig.get(NS, "support-bot");
        assertEquals(Phase.Active, back.getStatus().getPhase());
        assertNull(back.getStatus().getRevokedAt());
        assertNotNull(back.getStatus().getPolicy());
    }

    static dev.mandate.api.v1alpha1.ScopeRule readSecret(String name) {
        return new dev.mandate.api.v1alpha1.ScopeRule(new java.util.ArrayList<>(List.of("")),
                new java.util.ArrayList<>(List.of("secrets")), new java.util.ArrayList<>(List.of("get")),
                new java.util.ArrayList<>(List.of(name)));
    }

    @Test
    void anAgentMayNotBeGrantedAnotherAgentsTokenSecret() {
        issue("strong-bot", "alice");
        AgentBinding weak = binding(NS, "weak-bot");
        weak.getSpec().getScope().getRules().add(readSecret("strong-bot-token"));
        rig.create(weak);
        rig.reconcile(NS, "weak-bot");
        assertEquals(Phase.Denied, rig.get(NS, "weak-bot").getStatus().getPhase());
        assertTrue(condition("weak-bot", ConditionTypes.SCOPE_ALLOWED).getMessage().contains(
                "Secret \"strong-bot-token\" holds the token of AgentBinding strong-bot; an agent may not read another "
                        + "agent's token"));
        assertTrue(!hasIdentity("weak-bot"));
    }

    @Test
    void aBindingMayNotKeepItsTokenWhereAnotherBindingsRulesCanReadIt() {
        AgentBinding early = binding(NS, "early-bot");
        early.getSpec().getScope().getRules().add(readSecret("late-bot-token"));
        rig.create(early);
        rig.reconcile(NS, "early-bot");
        assertEquals(Phase.Active, rig.get(NS, "early-bot").getStatus().getPhase(), "no such token yet");
        issue("late-bot", "alice");
        assertEquals(Phase.Failed, rig.get(NS, "late-bot").getStatus().getPhase());
        assertTrue(condition("late-bot", ConditionTypes.READY).getMessage().contains("spec.tokenSecretName: Secret "
                + "late-bot-token is named in the rules of AgentBinding early-bot, whose agent could read this token"));
        assertTrue(!hasIdentity("late-bot"));
        assertEquals(null, rig.secret(NS, "late-bot-token"), "no token was written where early-bot can read it");
    }
}
