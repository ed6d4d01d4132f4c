package dev.mandate.testing;

import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentOwnerSpec;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.AgentPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The policy setting most tests run under, as an admin would install it: a ceiling ClusterRole,
 * ClusterRoles bindings may name, one AgentPolicy for every namespace, and two active owners.
 */
public final class Guardrails {

    public static final String CEILING = "mandate-ceiling-test";
    public static final String POLICY = "everywhere";

    private Guardrails() {
    }

    public static PolicyRule rule(List<String> groups, List<String> resources, List<String> verbs) {
        return new PolicyRuleBuilder().withApiGroups(groups).withResources(resources).withVerbs(verbs).build();
    }

    public static ClusterRole clusterRole(String name, Map<String, String> labels, PolicyRule... rules) {
        return new ClusterRoleBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build())
                .withRules(rules).build();
    }

    /** The built-in view and edit ClusterRoles, abridged to what matters here. */
    public static List<ClusterRole> builtIns() {
        return List.of(
                clusterRole("view", Map.of(),
                        rule(List.of(""), List.of("configmaps", "pods", "pods/log", "services", "events"),
                                List.of("get", "list", "watch"))),
                clusterRole("view-pods", Map.of(),
                        rule(List.of(""), List.of("pods"), List.of("get", "list", "watch"))),
                clusterRole("edit", Map.of(),
                        rule(List.of(""), List.of("configmaps", "secrets", "pods"), List.of("get", "list", "watch",
                                "create", "update", "patch", "delete")),
                        rule(List.of(""), List.of("pods/exec", "pods/attach"), List.of("create", "get"))),
                clusterRole("cluster-admin", Map.of(), rule(List.of("*"), List.of("*"), List.of("*"))));
    }

    public static ClusterRole ceiling() {
        return clusterRole(CEILING, Map.of("mandate.dev/aggregate-to-operator", "true"),
                rule(List.of(""), List.of("configmaps", "pods", "pods/log", "events"), List.of("get", "list", "watch")),
                rule(List.of(""), List.of("secrets"), List.of("get")),
                rule(List.of("apps"), List.of("deployments", "deployments/scale"), List.of("get", "list", "watch", "update")));
    }

    public static AgentPolicy policy(String name, String ceiling, List<String> allowedClusterRoles) {
        AgentPolicy p = new AgentPolicy();
        p.setMetadata(new ObjectMetaBuilder().withName(name).build());
        AgentPolicySpec spec = new AgentPolicySpec();
        spec.setCeilingClusterRole(ceiling);
        spec.setAllowedClusterRoles(new ArrayList<>(allowedClusterRoles));
        spec.setMaxTTL("2160h");
        spec.setMaxTokenLifetime("24h");
        p.setSpec(spec);
        return p;
    }

    public static AgentOwner owner(String name, boolean active) {
        AgentOwner o = new AgentOwner();
        o.setMetadata(new ObjectMetaBuilder().withName(name).build());
        o.setSpec(new AgentOwnerSpec(name.substring(0, 1).toUpperCase() + name.substring(1) + " Example",
                name + "@example.com", active));
        return o;
    }

    /** Installs the setting: built-in ClusterRoles, the ceiling, the policy "everywhere", owners alice and bob. */
    public static void install(KubernetesClient client) {
        builtIns().forEach(cr -> client.resource(cr).create());
        client.resource(ceiling()).create();
        client.resource(policy(POLICY, CEILING, List.of("view", "view-pods"))).create();
        client.resource(owner("alice", true)).create();
        client.resource(owner("bob", true)).create();
    }
}
