package dev.mandate.binding.cluster;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.owner.OwnerFacts;
import dev.mandate.policy.PolicyFacts;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as the operator's caches see it: Mandate-managed objects (labelled
 * {@code app.kubernetes.io/managed-by=mandate}, attributed to a binding by their owner reference's
 * name; an object of a deleted binding of the same name is attributed too, so callers check the
 * uid), and the policies, ClusterRoles, namespaces and owners decisions read.
 */
public interface ClusterView extends PolicyFacts, OwnerFacts {

    Optional<ServiceAccount> serviceAccount(AgentBinding binding);

    List<Role> roles(AgentBinding binding);

    List<RoleBinding> roleBindings(AgentBinding binding);

    /** Anchor and delivery Secrets. */
    List<Secret> secrets(AgentBinding binding);

    /** Any Mandate-managed Secret of that name, whichever binding it belongs to. */
    Optional<Secret> managedSecret(String namespace, String name);

    /** The AgentBindings in the namespace whose rules name the Secret of this name (an index lookup). */
    List<AgentBinding> secretNamers(String namespace, String secret);

    /** True if the namespace is being deleted (it refuses new objects; its controller removes the rest). */
    boolean namespaceTerminating(String namespace);

    /** Whether this Namespace object is being deleted. */
    static boolean terminating(Namespace ns) {
        return ns.getMetadata().getDeletionTimestamp() != null
                || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase()));
    }

    /** How many bindings, cluster-wide, expire within [from, to] (whole seconds). */
    int bindingsExpiringBetween(Instant from, Instant to);
}
