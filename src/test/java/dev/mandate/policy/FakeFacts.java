package dev.mandate.policy;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.testing.Guardrails;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Policy facts held in memory: the Guardrails setting, editable per test. */
final class FakeFacts implements PolicyFacts {

    final List<AgentPolicy> policies = new ArrayList<>();
    final Map<String, ClusterRole> clusterRoles = new HashMap<>();
    final Map<String, Map<String, String>> namespaces = new HashMap<>();

    static FakeFacts guardrails() {
        FakeFacts f = new FakeFacts();
        Guardrails.builtIns().forEach(cr -> f.clusterRoles.put(cr.getMetadata().getName(), cr));
        f.clusterRoles.put(Guardrails.CEILING, Guardrails.ceiling());
        f.policies.add(Guardrails.policy(Guardrails.POLICY, Guardrails.CEILING, List.of("view", "view-pods")));
        f.namespaces.put("support", Map.of("mandate.dev/agents", "enabled"));
        return f;
    }

    @Override
    public List<AgentPolicy> policies() {
        return policies;
    }

    @Override
    public Optional<ClusterRole> clusterRole(String name) {
        return Optional.ofNullable(clusterRoles.get(name));
    }

    @Override
    public List<AgentBinding> tokenSecretHolders(String namespace, String secret) {
        return List.of(); // the evaluator's tests have no other bindings
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
        return Optional.ofNullable(namespaces.get(namespace));
    }
}
