package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;

/** The operator's label-selected informer caches, as JOSDK's Context exposes them. */
final class InformerClusterView implements ClusterView {

    private final Context<AgentBinding> context;

    InformerClusterView(Context<AgentBinding> context) {
        this.context = context;
    }

    @Override
    public Optional<ServiceAccount> serviceAccount(AgentBinding binding) {
        return context.getSecondaryResources(ServiceAccount.class).stream()
                .filter(sa -> sa.getMetadata().getName().equals(binding.getMetadata().getName()))
                .findFirst();
    }

    @Override
    public List<Role> roles(AgentBinding binding) {
        return List.copyOf(context.getSecondaryResources(Role.class));
    }

    @Override
    public List<RoleBinding> roleBindings(AgentBinding binding) {
        return List.copyOf(context.getSecondaryResources(RoleBinding.class));
    }

    @Override
    public List<Secret> secrets(AgentBinding binding) {
        return List.copyOf(context.getSecondaryResources(Secret.class));
    }

    @Override
    public Optional<Secret> managedSecret(String namespace, String name) {
        var source = (InformerEventSource<Secret, AgentBinding>) context.eventSourceRetriever()
                .getEventSourceFor(Secret.class);
        return source.get(new ResourceID(name, namespace));
    }
}
