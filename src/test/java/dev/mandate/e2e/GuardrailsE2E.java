package dev.mandate.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.testing.Fixtures;
import dev.mandate.testing.Guardrails;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policies, owners and the operator's own RBAC, on the real API server. The operator runs as its
 * ServiceAccount under deploy/rbac, with deploy/examples/guardrails.yaml installed.
 */
class GuardrailsE2E extends E2ESupport {

    @BeforeEach
    void operator() {
        cluster.operator();
    }

    @Test
    void aBindingWithinTheCeilingIsAdmittedByThePolicyAndWorks() {
        String ns = cluster.namespace("e2e-within");
        create(ns, "support-bot", b -> { });
        AgentBinding b = awaitPhase(ns, "support-bot", Phase.Active);
        assertEquals("support-agents", b.getStatus().getPolicy());
        assertEquals(200, awaitAgent(ns, "support-bot", 1).status(configMaps(ns)));
        AgentPolicy policy = admin.resources(AgentPolicy.class).withName("support-agents").get();
        assertEquals("CeilingReady", policy.getStatus().getConditions().get(0).getReason(),
                "the policy reports its ceiling usable");
    }

    @Test
    void aBindingBeyondTheCeilingIsDeniedAndNothingIsCreated() {
        String ns = cluster.namespace("e2e-beyond");
        create(ns, "greedy-bot", b -> b.getSpec().getScope().getRules().add(Fixtures.rule("", "configmaps", "delete")));
        AgentBinding b = awaitPhase(ns, "greedy-bot", Phase.Denied);
        var scope = b.getStatus().condition("ScopeAllowed").orElseThrow();
        assertEquals("ScopeExceedsPolicy", scope.getReason());
        assertTrue(scope.getMessage().contains("scope.rules[1] asks for delete configmaps, beyond ceiling ClusterRole "
                + "mandate-ceiling-support"), scope.getMessage());
        assertTrue(nothingFor(ns, "greedy-bot"), "no ServiceAccount, Role, RoleBinding or Secret");
        create(ns, "exec-bot", x -> x.getSpec().getScope().getRules().add(Fixtures.rule("", "pods/exec", "create")));
        assertEquals("NeverGrantable", awaitPhase(ns, "exec-bot", Phase.Denied).getStatus().condition("ScopeAllowed")
                .orElseThrow().getReason());
        assertTrue(nothingFor(ns, "exec-bot"));
    }

    static Role role(String ns, String name, String resource, String... verbs) {
        return new RoleBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withRules(Guardrails.rule(List.of(""), List.of(resource), List.of(verbs))).build();
    }

    static RoleBinding bindingTo(String ns, String clusterRole) {
        return new RoleBindingBuilder().withNewMetadata().withName("to-" + clusterRole).withNamespace(ns).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                .addNewSubject().withKind("ServiceAccount").withName("default").withNamespace(ns).endSubject().build();
    }

    @Test
    void theApiServerItselfRefusesGrantsBeyondTheCeilingsWhenMandatesOwnCheckIsBypassed() throws Exception {
        String ns = cluster.namespace("e2e-defense");
        try (KubernetesClient operator = cluster.operatorClient()) {
            // The operator's credentials, used directly: no Mandate code decides anything here.
            assertNotNull(operator.resource(role(ns, "within", "configmaps", "get", "list")).create(),
                    "within the aggregated ceilings the operator may grant");
            assertNotNull(operator.resource(bindingTo(ns, "view")).create(), "bind on view is granted by name");

            // Beyond the ceilings (and beyond what the operator holds for its own work: ServiceAccounts,
            // Secrets, tokens, Roles and RoleBindings, which Mandate's never-grantable list refuses).
            Role deployments = new RoleBuilder().withNewMetadata().withName("deploy").withNamespace(ns).endMetadata()
                    .withRules(Guardrails.rule(List.of("apps"), List.of("deployments"), List.of("create"))).build();
            for (Role beyond : List.of(role(ns, "exec", "pods/exec", "create"), role(ns, "delete", "configmaps", "delete"),
                    role(ns, "nodes", "nodes", "get"), deployments)) {
                KubernetesClientException e = assertThrows(KubernetesClientException.class,
                        () -> operator.resource(beyond).create());
                assertEquals(403, e.getCode());
                assertTrue(e.getMessage().contains("attempting to grant RBAC permissions not currently held"), e.getMessage());
            }
            for (String clusterRole : List.of("cluster-admin", "edit", "admin")) {
                KubernetesClientException e = assertThrows(KubernetesClientException.class,
                        () -> operator.resource(bindingTo(ns, clusterRole)).create());
                assertEquals(403, e.getCode(), clusterRole);
            }
            for (String[] verbOnResource : new String[][] {{"escalate", "roles"}, {"bind", "clusterroles"},
                    {"impersonate", "users"}, {"create", "clusterrolebindings"}}) {
                SelfSubjectAccessReview review = operator.authorization().v1().selfSubjectAccessReview()
                        .create(new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                                .withNamespace(ns).withVerb(verbOnResource[0]).withResource(verbOnResource[1])
                                .withGroup(verbOnResource[1].equals("users") ? "" : "rbac.authorization.k8s.io")
                                .endResourceAttributes().endSpec().build());
                assertFalse(review.getStatus().getAllowed(), "the operator may not " + String.join(" ", verbOnResource));
            }
        }
    }

    void setActive(String owner, boolean active) {
        admin.resources(AgentOwner.class).withName(owner).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"active\":" + active + "}}");
    }

    @Test
    void anOwnersDepartureTurnsTheAgentsRequestsInto403And401WithinSeconds() {
        String ns = cluster.namespace("e2e-offboard");
        String carol = "carol-" + UUID.randomUUID().toString().substring(0, 6);
        admin.resource(Guardrails.owner(carol, true)).create();
        create(ns, "carol-bot", b -> b.getSpec().setOwner(carol));
        Agent agent = awaitAgent(ns, "carol-bot", 1);
        assertEquals(200, agent.status(configMaps(ns)));
        await().atMost(PATIENCE).pollInterval(POLL).until(() -> {
            AgentOwner o = admin.resources(AgentOwner.class).withName(carol).get();
            return o.getStatus() != null && Integer.valueOf(1).equals(o.getStatus().getBindings());
        });

        Instant departed = Instant.now();
        setActive(carol, false);
        AtomicReference<Instant> forbidden = new AtomicReference<>();
        await("permissions gone").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            int s = agent.status(configMaps(ns));
            if (s == 403 || s == 401) {
                forbidden.set(Instant.now());
                return true;
            }
            return false;
        });
        AtomicReference<Instant> rejected = new AtomicReference<>();
        await("token rejected").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (agent.status(configMaps(ns)) == 401) {
                rejected.set(Instant.now());
                return true;
            }
            return false;
        });
        long toForbidden = Duration.between(departed, forbidden.get()).toMillis();
        long toRejected = Duration.between(departed, rejected.get()).toMillis();
        System.out.printf("[e2e] owner departure: requests refused after %d ms, token rejected (401) after %d ms%n",
                toForbidden, toRejected);
        assertTrue(toForbidden < 5_000, "permissions gone within seconds: " + toForbidden + " ms");
        assertTrue(toRejected < 20_000, "token dead within the API server's token cache time: " + toRejected + " ms");

        AgentBinding b = awaitPhase(ns, "carol-bot", Phase.Revoked);
        assertEquals("OwnerDeparted", b.getStatus().getRevocationReason());
        await().atMost(PATIENCE).pollInterval(POLL).until(() ->
                admin.resources(AgentOwner.class).withName(carol).get().getStatus().getDepartedAt() != null);

        setActive(carol, true);
        awaitPhase(ns, "carol-bot", Phase.Active);
        assertEquals(200, awaitAgent(ns, "carol-bot", 2).status(configMaps(ns)), "reactivating the owner re-issues");
    }

    @Test
    void tighteningAPolicyRevokesWhatItNoLongerAllowsAndLooseningReissues() {
        String id = UUID.randomUUID().toString().substring(0, 6);
        String ns = cluster.namespace("e2e-tighten", Map.of("mandate.dev/e2e-policy", id));
        AgentPolicy p = Guardrails.policy("aa-tighten-" + id, "mandate-ceiling-support", List.of("view"));
        p.getSpec().setNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels("mandate.dev/e2e-policy", id).build());
        admin.resource(p).create();
        try {
            create(ns, "governed-bot", b -> { });
            assertEquals(p.getMetadata().getName(), awaitPhase(ns, "governed-bot", Phase.Active).getStatus().getPolicy());
            Agent agent = awaitAgent(ns, "governed-bot", 1);
            assertEquals(200, agent.status("/api/v1/namespaces/" + ns + "/pods"), "view lets it list pods");

            admin.resources(AgentPolicy.class).withName(p.getMetadata().getName()).patch(
                    PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"allowedClusterRoles\":[]}}");
            AgentBinding denied = awaitPhase(ns, "governed-bot", Phase.Denied);
            assertEquals("ScopeDenied", denied.getStatus().getRevocationReason());
            assertTrue(denied.getStatus().condition("ScopeAllowed").orElseThrow().getMessage()
                    .contains("view is not in allowedClusterRoles []"));
            await("token rejected").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> agent.status(configMaps(ns)) == 401);
            assertTrue(nothingFor(ns, "governed-bot") || admin.serviceAccounts().inNamespace(ns)
                    .withName("governed-bot").get() == null);

            admin.resources(AgentPolicy.class).withName(p.getMetadata().getName()).patch(
                    PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"allowedClusterRoles\":[\"view\"]}}");
            awaitPhase(ns, "governed-bot", Phase.Active);
            assertEquals(200, awaitAgent(ns, "governed-bot", 2).status(configMaps(ns)));
        } finally {
            admin.resources(AgentPolicy.class).withName(p.getMetadata().getName()).delete();
        }
    }
}
