package dev.mandate.admission;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Names;
import dev.mandate.binding.cluster.ClusterView;
import dev.mandate.policy.TokenSecrets;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts the reconciler's decisions read, fetched from the API server for one admission request
 * (every replica serves the webhooks; only the leader's informers are warm). A binding being
 * admitted has no objects of its own yet that a decision needs, so those lists are empty; the
 * bindings of its namespace are listed once, lazily, for the token Secret checks.
 */
final class ApiFacts implements ClusterView {

    private final KubernetesClient client;
    private final String namespace;
    private final String self;
    private List<AgentBinding> neighbours;
    private List<AgentPolicy> policies;

    /** @param self the name of the binding being admitted, which is not its own neighbour */
    ApiFacts(KubernetesClient client, String namespace, String self) {
        this.client = client;
        this.namespace = namespace;
        this.self = self;
    }

    private List<AgentBinding> neighbours() {
        if (neighbours == null) {
            neighbours = client.resources(AgentBinding.class).inNamespace(namespace).list().getItems().stream()
                    .filter(b -> !b.getMetadata().getName().equals(self)).toList();
        }
        return neighbours;
    }

    @Override
    public Optional<ServiceAccount> serviceAccount(AgentBinding binding) {
        return Optional.empty();
    }

    @Override
    public List<Role> roles(AgentBinding binding) {
        return List.of();
    }

    @Override
    public List<RoleBinding> roleBindings(AgentBinding binding) {
        return List.of();
    }

    @Override
    public List<Secret> secrets(AgentBinding binding) {
        return List.of();
    }

    @Override
    public Optional<Secret> managedSecret(String ns, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(ns).withName(name).get())
                .filter(s -> s.getMetadata().getLabels() != null
                        && Metadata.MANAGED_BY_VALUE.equals(s.getMetadata().getLabels().get(Metadata.MANAGED_BY)));
    }

    @Override
    public List<AgentBinding> secretNamers(String ns, String secret) {
        return neighbours().stream().filter(b -> TokenSecrets.namedSecrets(b).contains(secret)).toList();
    }

    @Override
    public List<AgentBinding> tokenSecretHolders(String ns, String secret) {
        return neighbours().stream().filter(b -> secret.equals(Names.tokenSecret(b))).toList();
    }

    @Override
    public boolean namespaceTerminating(String ns) {
        return Optional.ofNullable(client.namespaces().withName(ns).get()).map(ClusterView::terminating).orElse(false);
    }

    @Override
    public int bindingsExpiringBetween(Instant from, Instant to) {
        return 0;
    }

    @Override
    public List<AgentPolicy> policies() {
        if (policies == null) {
            policies = client.resources(AgentPolicy.class).list().getItems();
        }
        return policies;
    }

    @Override
    public Optional<ClusterRole> clusterRole(String name) {
        return Optional.ofNullable(client.rbac().clusterRoles().withName(name).get());
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String ns) {
        Namespace n = client.namespaces().withName(ns).get();
        return Optional.ofNullable(n).map(x -> x.getMetadata().getLabels() == null ? Map.of() : x.getMetadata().getLabels());
    }

    @Override
    public Optional<AgentOwner> owner(String name) {
        return name == null || name.isBlank() ? Optional.empty()
                : Optional.ofNullable(client.resources(AgentOwner.class).withName(name).get());
    }
}
