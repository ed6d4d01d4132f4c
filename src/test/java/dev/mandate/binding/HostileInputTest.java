package dev.mandate.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.ConditionTypes;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.api.v1alpha1.ScopeRule;
import dev.mandate.testing.Fixtures;
import dev.mandate.testing.Guardrails;
import dev.mandate.testing.LifecycleRig;
import dev.mandate.token.DeliverySecrets;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bindings (and one policy) that try to escape, or are simply broken. Each is reconciled on the
 * mock API server (which, like an old or careless cluster, enforces no schema) next to a healthy
 * binding: each must end Denied or Failed with a message that names the problem, get no identity,
 * and the healthy binding must rotate on schedule after every one of them.
 */
class HostileInputTest {

    static final String NS = "hostile";
    static final String LAB = "lab";

    LifecycleRig rig;
    final AtomicInteger rotations = new AtomicInteger(1);

    @BeforeEach
    void setUp() {
        rig = LifecycleRig.withGuardrails();
        rig.namespace(NS);
        rig.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(LAB)
                .addToLabels("mandate.dev/agents", "lab").endMetadata().build()).create();
        // A second, careless policy for namespace "lab": its ceiling is cluster-admin (every permission).
        AgentPolicy wild = Guardrails.policy("lab-wild", "cluster-admin", List.of("view", "edit", "cluster-admin"));
        wild.getSpec().setNamespaceSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                .addToMatchLabels("mandate.dev/agents", "lab").build());
        rig.client.resource(wild).create();
        rig.client.resource(Guardrails.clusterRole("reader-nodes", Map.of(),
                Guardrails.rule(List.of(""), List.of("nodes"), List.of("get")))).create();
        rig.create(Fixtures.binding(NS, "steady-bot"));
        rig.reconcile(NS, "steady-bot");
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    static ScopeRule rule(List<String> groups, List<String> resources, List<String> verbs, List<String> names) {
        return new ScopeRule(new ArrayList<>(groups), new ArrayList<>(resources), new ArrayList<>(verbs),
                names == null ? null : new ArrayList<>(names));
    }

    static Consumer<AgentBinding> rules(ScopeRule... r) {
        return b -> b.getSpec().getScope().setRules(new ArrayList<>(List.of(r)));
    }

    static Consumer<AgentBinding> core(String resource, String... verbs) {
        return rules(rule(List.of(""), List.of(resource), List.of(verbs), null));
    }

    static Consumer<AgentBinding> clusterRoles(String... names) {
        return b -> b.getSpec().getScope().setClusterRoles(new ArrayList<>(List.of(names)));
    }

    static Arguments hostile(String what, Consumer<AgentBinding> change, String reason, String message) {
        return Arguments.of(what, NS, change, reason, message);
    }

    static Arguments inLab(String what, Consumer<AgentBinding> change, String reason, String message) {
        return Arguments.of(what, LAB, change, reason, message);
    }

    static Stream<Arguments> table() {
        List<String> manyResources = IntStream.range(0, 64).mapToObj(i -> "things" + i).toList();
        List<String> manyVerbs = IntStream.range(0, 16).mapToObj(i -> "verb" + (char) ('a' + i)).toList();
        ScopeRule huge = rule(List.of(""), manyResources, manyVerbs, null);
        return Stream.of(
                // wildcards
                hostile("every verb", core("pods", "*"), "NeverGrantable", "verbs: \"*\" is a wildcard"),
                hostile("every resource", core("*", "get"), "NeverGrantable", "resources: \"*\" is a wildcard"),
                hostile("every API group", rules(rule(List.of("*"), List.of("pods"), List.of("get"), null)), "NeverGrantable", "apiGroups: \"*\" is a wildcard"),
                hostile("every subresource of pods", core("pods/*", "get"), "NeverGrantable", "\"pods/*\" is a wildcard"),
                hostile("one subresource of everything", core("*/log", "get"), "NeverGrantable", "\"*/log\" is a wildcard"),
                hostile("every object name", rules(rule(List.of(""), List.of("configmaps"), List.of("get"), List.of("*"))), "NeverGrantable", "resourceNames: \"*\" is a wildcard"),
                // escalation verbs
                hostile("escalate roles", rules(rule(List.of("rbac.authorization.k8s.io"), List.of("roles"), List.of("escalate"), null)), "NeverGrantable", "\"escalate\" is never grantable"),
                hostile("bind clusterroles", rules(rule(List.of("rbac.authorization.k8s.io"), List.of("clusterroles"), List.of("bind"), null)), "NeverGrantable", "\"bind\" is never grantable"),
                hostile("impersonate users", core("users", "impersonate"), "NeverGrantable", "\"impersonate\" is never grantable"),
                hostile("impersonate service accounts", core("serviceaccounts", "impersonate"), "NeverGrantable", "\"impersonate\" is never grantable"),
                // credential and execution paths
                hostile("mint tokens", core("serviceaccounts/token", "create"), "NeverGrantable", "\"serviceaccounts/token\" is never grantable"),
                hostile("exec into pods", core("pods/exec", "create"), "NeverGrantable", "\"pods/exec\" is never grantable"),
                hostile("attach to pods", core("pods/attach", "create"), "NeverGrantable", "\"pods/attach\" is never grantable"),
                // RBAC writes
                hostile("create Roles", rules(rule(List.of("rbac.authorization.k8s.io"), List.of("roles"), List.of("create"), null)), "NeverGrantable", "writes to rbac.authorization.k8s.io are never grantable"),
                hostile("update RoleBindings", rules(rule(List.of("rbac.authorization.k8s.io"), List.of("rolebindings"), List.of("get", "update"), null)), "NeverGrantable", "writes to rbac.authorization.k8s.io"),
                hostile("delete ClusterRoleBindings", rules(rule(List.of("rbac.authorization.k8s.io"), List.of("clusterrolebindings"), List.of("delete"), null)), "NeverGrantable", "writes to rbac.authorization.k8s.io"),
                // its own leash
                hostile("edit its own binding", rules(rule(List.of("mandate.dev"), List.of("agentbindings"), List.of("update"), null)), "NeverGrantable", "an agent must not edit its own leash"),
                hostile("read the policies", rules(rule(List.of("mandate.dev"), List.of("agentpolicies"), List.of("get"), null)), "NeverGrantable", "nothing in mandate.dev is grantable"),
                hostile("patch its own status", rules(rule(List.of("mandate.dev"), List.of("agentbindings/status"), List.of("patch"), null)), "NeverGrantable", "nothing in mandate.dev is grantable"),
                // secrets
                hostile("read every Secret", core("secrets", "get"), "NeverGrantable", "\"secrets\" without resourceNames is never grantable"),
                hostile("list Secrets", core("secrets", "list", "watch"), "NeverGrantable", "\"secrets\" without resourceNames"),
                hostile("read another agent's token", rules(rule(List.of(""), List.of("secrets"), List.of("get"), List.of("steady-bot-token"))), "NeverGrantable", "Secret \"steady-bot-token\" holds the token of AgentBinding steady-bot"),
                hostile("read a token anchor", rules(rule(List.of(""), List.of("secrets"), List.of("get"), List.of("steady-bot-anchor-1"))), "NeverGrantable", "has the name of a token anchor"),
                hostile("write a named Secret beyond the ceiling", rules(rule(List.of(""), List.of("secrets"), List.of("update"), List.of("faq"))), "ScopeExceedsPolicy", "asks for update secrets named faq, beyond ceiling"),
                // beyond the ceiling
                hostile("delete ConfigMaps", core("configmaps", "delete"), "ScopeExceedsPolicy", "asks for delete configmaps, beyond ceiling ClusterRole mandate-ceiling-test"),
                hostile("delete Deployments", rules(rule(List.of("apps"), List.of("deployments"), List.of("delete"), null)), "ScopeExceedsPolicy", "delete deployments.apps"),
                hostile("write pod logs", core("pods/log", "create"), "ScopeExceedsPolicy", "create pods/log"),
                hostile("a ClusterRole the policy does not allow", clusterRoles("reader-nodes"), "ScopeExceedsPolicy", "reader-nodes is not in allowedClusterRoles [view, view-pods]"),
                // subresource and case tricks
                hostile("a trailing slash", core("pods/exec/", "create"), "NeverGrantable", "\"pods/exec/\" is not a resource"),
                hostile("a trailing space", core("pods/exec ", "create"), "NeverGrantable", "is not a resource"),
                hostile("a double slash", core("pods//exec", "create"), "NeverGrantable", "\"pods//exec\" is not a resource"),
                hostile("upper-case subresource", core("PODS/exec", "create"), "NeverGrantable", "RBAC is case-sensitive"),
                hostile("upper-case verb", core("configmaps", "Get"), "NeverGrantable", "did you mean \"get\"?"),
                hostile("upper-case Secrets", core("Secrets", "get"), "NeverGrantable", "did you mean \"secrets\"?"),
                hostile("upper-case RBAC group", rules(rule(List.of("RBAC.authorization.k8s.io"), List.of("roles"), List.of("create"), null)), "NeverGrantable", "RBAC is case-sensitive"),
                // empty strings
                hostile("an empty verb", core("configmaps", ""), "NeverGrantable", "\"\" is not a verb"),
                hostile("an empty resource", core("", "get"), "NeverGrantable", "\"\" is not a resource"),
                hostile("an empty object name", rules(rule(List.of(""), List.of("configmaps"), List.of("get"), List.of(""))), "NeverGrantable", "\"\" is not an object name"),
                hostile("an empty ClusterRole name", clusterRoles(""), "ClusterRoleNotFound", "scope.clusterRoles: \"\" is not a ClusterRole name"),
                // ClusterRoles that carry what a rule could not
                hostile("bind cluster-admin", clusterRoles("cluster-admin"), "NeverGrantable", "ClusterRole cluster-admin rule[0].apiGroups: \"*\" is a wildcard"),
                hostile("bind edit", clusterRoles("edit"), "NeverGrantable", "ClusterRole edit rule[0]: \"secrets\" without resourceNames"),
                hostile("bind a ClusterRole that does not exist", clusterRoles("ghost"), "ClusterRoleNotFound", "ClusterRole ghost not found"),
                // size
                hostile("a huge rule list", b -> b.getSpec().getScope().setRules(new ArrayList<>(java.util.Collections.nCopies(256, huge))), "ScopeTooLarge", "262144 distinct permissions"),
                hostile("a very long object name", rules(rule(List.of(""), List.of("configmaps"), List.of("get"), List.of("x".repeat(300)))), "NeverGrantable", "is not an object name"),
                // lifetimes and names
                hostile("a ttl beyond any clock", b -> b.getSpec().setTtl("99999999999h"), "InvalidSpec", "spec.ttl: \"99999999999h\" is too long"),
                hostile("a zero period", b -> b.getSpec().getRotation().setPeriod("0s"), "InvalidSpec", "spec.rotation.period: must be longer than 0s"),
                hostile("a one-millisecond period", b -> b.getSpec().getRotation().setPeriod("1ms"), "InvalidSpec", "below the 10m minimum token lifetime"),
                hostile("an expiry before creation", b -> b.getSpec().setExpiresAt("2001-01-01T00:00:00Z"), "InvalidSpec", "spec.expiresAt: 2001-01-01T00:00:00Z is not after the binding's creation"),
                hostile("February 30th", b -> b.getSpec().setExpiresAt("2027-02-30T00:00:00Z"), "InvalidSpec", "is not an RFC 3339 time"),
                hostile("a lifetime beyond maxTTL", b -> b.getSpec().setTtl("100000h"), "ScopeExceedsPolicy", "exceeds maxTTL 2160h"),
                hostile("no expiry under a maxTTL", b -> b.getSpec().setTtl(null), "ScopeExceedsPolicy", "sets neither ttl nor expiresAt"),
                hostile("a token longer than maxTokenLifetime", b -> b.getSpec().getRotation().setPeriod("48h"), "ScopeExceedsPolicy", "exceeds maxTokenLifetime 24h"),
                hostile("a name too long for a label", b -> b.getMetadata().setName("a".repeat(64)), "InvalidSpec", "metadata.name: is 64 characters"),
                // a careless policy cannot lift the hard limits
                inLab("exec under a cluster-admin ceiling", core("pods/exec", "create"), "NeverGrantable", "\"pods/exec\" is never grantable"),
                inLab("bind cluster-admin under a policy that allows it", clusterRoles("cluster-admin"), "NeverGrantable", "ClusterRole cluster-admin"),
                inLab("every Secret under a cluster-admin ceiling", core("secrets", "get"), "NeverGrantable", "without resourceNames is never grantable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eachEscapeAttemptIsRefusedByNameAndTheOthersKeepRotating(String what, String ns, Consumer<AgentBinding> change,
            String reason, String message) {
        String name = "h" + Integer.toHexString(what.hashCode() & 0x7fffffff);
        AgentBinding b = Fixtures.binding(ns, name);
        change.accept(b);
        name = b.getMetadata().getName();
        rig.create(b);
        rig.reconcile(ns, name);

        AgentBinding after = rig.get(ns, name);
        Phase phase = after.getStatus().getPhase();
        assertTrue(phase == Phase.Denied || phase == Phase.Failed, what + ": phase " + phase);
        String readyReason = after.getStatus().condition(ConditionTypes.READY).orElseThrow().getReason();
        String said = after.getStatus().getConditions().stream()
                .filter(c -> "False".equals(c.getStatus()))
                .map(c -> c.getReason() + ": " + c.getMessage()).reduce("", (x, y) -> x + " | " + y);
        assertTrue(said.contains(reason + ": ") && said.contains(message), what + " said: " + said);
        assertTrue(readyReason.equals("ScopeDenied") || readyReason.equals("InvalidSpec"), readyReason);
        assertNull(rig.client.serviceAccounts().inNamespace(ns).withName(name).get(), what + ": no identity");
        assertTrue(rig.client.rbac().roleBindings().inNamespace(ns).list().getItems().stream()
                .noneMatch(rb -> rb.getSubjects().get(0).getName().equals(after.getMetadata().getName())), what + ": no grants");

        // The healthy binding next door rotates on schedule.
        rig.clock.advance(Duration.ofHours(1));
        rig.reconcile(NS, "steady-bot");
        assertEquals(rotations.incrementAndGet(),
                DeliverySecrets.current(rig.secret(NS, "steady-bot-token")).orElseThrow().generation());
    }
}
