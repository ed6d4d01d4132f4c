package dev.mandate.policy;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a policy decision reads from the cluster (from the operator's caches). */
public interface PolicyFacts {

    List<AgentPolicy> policies();

    Optional<ClusterRole> clusterRole(String name);

    /** The namespace's labels; empty if the namespace is not known. */
    Optional<Map<String, String>> namespaceLabels(String namespace);

    /**
     * The AgentBindings in the namespace that keep their token in the Secret of this name (to keep
     * agents away from each other's tokens). An index lookup: never a scan of every binding.
     */
    List<AgentBinding> tokenSecretHolders(String namespace, String secret);
}
