package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.binding.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The operator's informer caches, as JOSDK's Context exposes them. */
final class InformerClusterView implements ClusterView {

    private final Context<AgentBinding> context;

    InformerClusterView(Context<AgentBinding> context) {
        this.context = context;
    }

    @SuppressWarnings("unchecked")
    private <R extends HasMetadata> InformerEventSource<R, AgentBinding> source(Class<R> type) {
        return (InformerEventSource<R, AgentBinding>) context.eventSourceRetriever().getEventSourceFor(type);
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
        return source(Secret.class).get(new ResourceID(name, namespace));
    }

    @Override
    public List<AgentPolicy> policies() {
        return source(AgentPolicy.class).list(p -> true).toList();
    }

    @Override
    public Optional<ClusterRole> clusterRole(String name) {
        return source(ClusterRole.class).get(new ResourceID(name));
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
        return source(Namespace.class).get(new ResourceID(namespace))
                .map(n -> n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels());
    }

    @Override
    public boolean namespaceTerminating(String namespace) {
        return source(Namespace.class).get(new ResourceID(namespace)).map(ClusterView::terminating).orElse(false);
    }

    @Override
    public List<AgentBinding> tokenSecretHolders(String namespace, String secret) {
        return context.getPrimaryCache().byIndex(BindingEventSources.BY_TOKEN_SECRET, namespace + "/" + secret);
    }

    @Override
    public List<AgentBinding> secretNamers(String namespace, String secret) {
        return context.getPrimaryCache().byIndex(BindingEventSources.BY_NAMED_SECRET, namespace + "/" + secret);
    }

    @Override
    public int bindingsExpiringBetween(Instant from, Instant to) {
        int n = 0;
        for (long s = from.getEpochSecond(); s <= to.getEpochSecond(); s++) {
            n += context.getPrimaryCache().byIndex(BindingEventSources.BY_EXPIRY, Long.toString(s)).size();
        }
        return n;
    }

    @Override
    public Optional<AgentOwner> owner(String name) {
        return source(AgentOwner.class).get(new ResourceID(name));
    }
}
