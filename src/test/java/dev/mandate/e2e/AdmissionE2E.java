package dev.mandate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.admission.Requester;
import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentOwnerSpec;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.OwnerSubject;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.api.v1alpha1.ScopeRule;
import dev.mandate.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admission webhooks on the real API server, with distinct identities: client certificates
 * minted from the local CA for made-up users, each with only the RBAC a case gives it. The webhooks
 * are registered by URL to the shared operator on 127.0.0.1 (the control plane has no nodes), for
 * namespaces labelled {@link E2ECluster#ADMISSION_LABEL}. Each refusal is the API server's own text.
 */
class AdmissionE2E extends E2ESupport {

    private String ns;
    private String tag;

    @BeforeEach
    void setUp() {
        cluster.operator();
        ns = cluster.namespace("e2e-adm", Map.of("mandate.dev/agents", "enabled", E2ECluster.ADMISSION_LABEL, "on"));
        tag = UUID.randomUUID().toString().substring(0, 6);
    }

    /** A user who may create, update and read AgentBindings in the test namespace, and nothing else. */
    private Identity requester(String name, String... groups) {
        Identity who = Identity.of(cluster, name + "-" + tag, groups);
        String role = "e2e-adm-bindings-" + tag;
        if (admin.rbac().clusterRoles().withName(role).get() == null) {
            admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(role).endMetadata()
                    .addNewRule().withApiGroups("mandate.dev").withResources("agentbindings")
                    .withVerbs("get", "list", "create", "update", "patch").endRule().build()).create();
        }
        grant(who.user(), "ClusterRole", role, ns);
        return who;
    }

    private void grant(String user, String kind, String role, String namespace) {
        admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata()
                .withGenerateName("e2e-").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                .withKind(kind).withName(role).endRoleRef().addNewSubject().withKind("User")
                .withApiGroup("rbac.authorization.k8s.io").withName(user).endSubject().build()).create();
    }

    /** {@code use} on one Mandate object, cluster-wide (AgentPolicies and AgentOwners are cluster-scoped). */
    private void allowUse(Identity who, String resource, String name) {
        String role = "e2e-use-" + resource + "-" + name + "-" + tag;
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(role).endMetadata()
                .addNewRule().withApiGroups("mandate.dev").withResources(resource).withResourceNames(name)
                .withVerbs("use").endRule().build()).create();
        admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata().withName(role).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole").withName(role).endRoleRef().addNewSubject().withKind("User")
                .withApiGroup("rbac.authorization.k8s.io").withName(who.user()).endSubject().build()).create();
    }

    /** An owner whose one subject is this user. */
    private String ownerFor(Identity who) {
        String name = "owner-" + tag;
        AgentOwner o = new AgentOwner();
        o.setMetadata(new ObjectMetaBuilder().withName(name).build());
        o.setSpec(new AgentOwnerSpec("Owner " + tag, "owner@example.com", true));
        o.getSpec().setSubjects(List.of(OwnerSubject.user(who.user())));
        admin.resource(o).create();
        return name;
    }

    private AgentBinding binding(String name, String owner, Consumer<AgentBinding> customize) {
        AgentBinding b = Fixtures.binding(ns, name);
        b.getSpec().setOwner(owner);
        b.getSpec().getScope().setClusterRoles(new java.util.ArrayList<>());
        customize.accept(b);
        return b;
    }

    /** A JSON merge patch as {@code kubectl patch --type merge} sends it: no resourceVersion, so no conflict with status writes. */
    private AgentBinding mergePatch(Identity who, String name, Map<String, Object> patch) {
        return who.client().resources(AgentBinding.class).inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    }

    private static String refusal(Runnable call) {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, call::run);
        return e.getMessage();
    }

    @Test
    void aRequesterWhoMayNotReadConfigMapsIsRefusedABindingThatReadsThemAndAdmittedWithUseOnThePolicy() {
        Identity dev = requester("dev");
        String owner = ownerFor(dev);
        AgentBinding b = binding("reader", owner, x -> { });
        String refused = refusal(() -> dev.client().resource(b).create());
        assertTrue(refused.contains("user \"" + dev.user() + "\" may not get configmaps in namespace \"" + ns + "\""),
                refused);
        assertTrue(refused.contains("ask for less, or get \"use\" on AgentPolicy \"support-agents\""), refused);
        assertNull(binding(ns, "reader"), "nothing was created");

        allowUse(dev, "agentpolicies", "support-agents");
        dev.client().resource(binding("reader", owner, x -> { })).create();
        AgentBinding admitted = awaitPhase(ns, "reader", Phase.Active);
        assertEquals(dev.user(), Requester.userOf(admitted.getMetadata().getAnnotations().get(Metadata.REQUESTED_BY))
                .orElseThrow(), "the webhook recorded who asked");
    }

    @Test
    void aRequesterWhoHoldsThePermissionsMayDelegateThemAsAGitOpsServiceAccountWould() {
        Identity sync = requester("gitops-sync");
        grant(sync.user(), "ClusterRole", "view", ns); // view reads configmaps (get, list, watch)
        String owner = ownerFor(sync);
        sync.client().resource(binding("synced", owner, x -> { })).create();
        assertEquals(Phase.Active, awaitPhase(ns, "synced", Phase.Active).getStatus().getPhase());
    }

    @Test
    void namingAnOwnerYouAreNotASubjectOfIsRefusedAndAllowedWithUseOnTheOwner() {
        Identity dev = requester("dev");
        allowUse(dev, "agentpolicies", "support-agents");
        String refused = refusal(() -> dev.client().resource(binding("owned", "alice", x -> { })).create());
        assertTrue(refused.contains("user \"" + dev.user() + "\" may not name AgentOwner \"alice\": they are not one "
                + "of its subjects"), refused);
        allowUse(dev, "agentowners", "alice");
        dev.client().resource(binding("owned", "alice", x -> { })).create();
        assertNotNull(binding(ns, "owned"));
    }

    @Test
    void aForgedRequesterIsOverwrittenAndAnAnnotationOnlyEditCannotChangeIt() {
        Identity dev = requester("dev");
        allowUse(dev, "agentpolicies", "support-agents");
        String owner = ownerFor(dev);
        AgentBinding forged = binding("forged", owner, x -> x.getMetadata().setAnnotations(
                new java.util.HashMap<>(Map.of(Metadata.REQUESTED_BY, "{\"user\":\"cluster-admin\"}"))));
        AgentBinding created = dev.client().resource(forged).create();
        assertEquals(dev.user(), Requester.userOf(created.getMetadata().getAnnotations().get(Metadata.REQUESTED_BY))
                .orElseThrow());
        AgentBinding edited = mergePatch(dev, "forged", Map.of("metadata", Map.of("annotations",
                Map.of(Metadata.REQUESTED_BY, "{\"user\":\"cluster-admin\"}"))));
        assertEquals(dev.user(), Requester.userOf(edited.getMetadata().getAnnotations().get(Metadata.REQUESTED_BY))
                .orElseThrow(), "an edit of the annotation alone gets the recorded value back");
    }

    @Test
    void anUpdateThatWidensTheScopeIsCheckedAgainAndOneThatOnlyTouchesAnnotationsIsNot() {
        Identity dev = requester("dev");
        grant(dev.user(), "ClusterRole", "view", ns);
        String owner = ownerFor(dev);
        dev.client().resource(binding("grows", owner, x -> { })).create();
        AgentBinding annotated = mergePatch(dev, "grows", Map.of("metadata", Map.of("annotations",
                Map.of("example.com/note", "an annotation alone"))));
        assertEquals("an annotation alone", annotated.getMetadata().getAnnotations().get("example.com/note"));
        AgentBinding wider = binding(ns, "grows");
        wider.getSpec().getScope().getRules().add(new ScopeRule(List.of(""), List.of("secrets"), List.of("get"),
                List.of("app-config")));
        String refused = refusal(() -> mergePatch(dev, "grows", Map.of("spec", Map.of("scope",
                Map.of("rules", wider.getSpec().getScope().getRules())))));
        assertTrue(refused.contains("user \"" + dev.user() + "\" may not get secrets \"app-config\" in namespace \""
                + ns + "\""), refused);
    }

    @Test
    void aServerSideDryRunPrintsThePlanAndCreatesNothing() throws Exception {
        Identity dev = requester("dev");
        allowUse(dev, "agentpolicies", "support-agents");
        String owner = ownerFor(dev);
        Path file = Files.createTempFile("binding", ".yaml");
        Files.writeString(file, Serialization.asYaml(binding("planned", owner, x -> { })));
        Tools.Result r = Tools.run(List.of("kubectl", "--kubeconfig", dev.kubeconfig().toString(), "apply",
                "--dry-run=server", "-f", file.toString()), null);
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("Warning: mandate: grants get,list,watch configmaps in " + ns
                + "; policy support-agents; owner " + owner + " (requested by " + dev.user() + "); token 1h + 5m overlap"),
                r.output());
        assertNull(binding(ns, "planned"), "a dry run creates nothing");

        Files.writeString(file, Serialization.asYaml(binding("refused", owner, x -> x.getSpec().getScope().getRules()
                .add(Fixtures.rule("", "pods/exec", "create")))));
        Tools.Result refused = Tools.run(List.of("kubectl", "--kubeconfig", dev.kubeconfig().toString(), "apply",
                "--dry-run=server", "-f", file.toString()), null);
        assertEquals(1, refused.code(), refused.output());
        assertTrue(refused.output().contains("admission webhook \"agentbindings.mandate.dev\" denied the request"),
                refused.output());
        assertTrue(refused.output().contains("pods/exec"), refused.output());
    }

    @Test
    void withTheOperatorStoppedACreateIsRefusedAndNothingIsGranted() {
        cluster.operator().stop();
        try {
            String refused = refusal(() -> admin.resource(binding("unguarded", "alice", x -> { })).create());
            assertTrue(refused.contains("failed calling webhook \"agentbindings.mandate.dev\""), refused);
            assertNull(binding(ns, "unguarded"));
            assertEquals(List.of(), admin.serviceAccounts().inNamespace(ns).list().getItems().stream()
                    .filter(s -> !s.getMetadata().getName().equals("default")).toList());
        } finally {
            cluster.operator(); // started again, for the next test
        }
    }
}
