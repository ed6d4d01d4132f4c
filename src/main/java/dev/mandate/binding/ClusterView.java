package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Optional;

/**
 * Mandate-managed objects as the operator's caches see them: only objects labelled
 * {@code app.kubernetes.io/managed-by=mandate}, attributed to a binding by their owner reference's
 * name. An object of a deleted binding of the same name is attributed too; callers check the uid.
 */
public interface ClusterView {

    Optional<ServiceAccount> serviceAccount(AgentBinding binding);

    List<Role> roles(AgentBinding binding);

    List<RoleBinding> roleBindings(AgentBinding binding);

    /** Anchor and delivery Secrets. */
    List<Secret> secrets(AgentBinding binding);

    /** Any Mandate-managed Secret of that name, whichever binding it belongs to. */
    Optional<Secret> managedSecret(String namespace, String name);
}
