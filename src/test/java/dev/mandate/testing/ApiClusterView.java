package dev.mandate.testing;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Names;
import dev.mandate.binding.cluster.ClusterView;
import dev.mandate.policy.TokenSecrets;
import dev.mandate.spec.SpecReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
 * The operator's view read straight from the API server, with the same selection its informers
 * make (label {@code app.kubernetes.io/managed-by=mandate}, attributed by owner reference name).
 */
public final class ApiClusterView implements ClusterView {

    private final KubernetesClient client;

    public ApiClusterView(KubernetesClient client) {
        this.client = client;
    }

    private <R extends HasMetadata> List<R> owned(Class<R> type, AgentBinding b) {
        return client.resources(type).inNamespace(b.getMetadata().getNamespace())
                .withLabel(Metadata.MANAGED_BY, Metadata.MANAGED_BY_VALUE).list().getItems().stream()
                .filter(o -> o.getMetadata().getOwnerReferences() != null && o.getMetadata().getOwnerReferences()
                        .stream().anyMatch(r -> "AgentBinding".equals(r.getKind())
                                && b.getMetadata().getName().equals(r.getName())))
                .toList();
    }

    @Override
    public Optional<ServiceAccount> serviceAccount(AgentBinding b) {
        return owned(ServiceAccount.class, b).stream()
                .filter(sa -> sa.getMetadata().getName().equals(b.getMetadata().getName())).findFirst();
    }

    @Override
    public List<Role> roles(AgentBinding b) {
        return owned(Role.class, b);
    }

    @Override
    public List<RoleBinding> roleBindings(AgentBinding b) {
        return owned(RoleBinding.class, b);
    }

    @Override
    public List<Secret> secrets(AgentBinding b) {
        return owned(Secret.class, b);
    }

    @Override
    public List<AgentPolicy> policies() {
        return client.resources(AgentPolicy.class).list().getItems();
    }

    @Override
    public Optional<ClusterRole> clusterRole(String name) {
        return Optional.ofNullable(client.rbac().clusterRoles().withName(name).get());
    }

    @Override
    public boolean namespaceTerminating(String namespace) {
        return Optional.ofNullable(client.namespaces().withName(namespace).get()).map(ClusterView::terminating)
                .orElse(false);
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
        return Optional.ofNullable(client.namespaces().withName(namespace).get())
                .map(n -> n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels());
    }

    @Override
    public List<AgentBinding> tokenSecretHolders(String namespace, String secret) {
        return client.resources(AgentBinding.class).inNamespace(namespace).list().getItems().stream()
                .filter(b -> secret.equals(Names.tokenSecret(b))).toList();
    }

    @Override
    public List<AgentBinding> secretNamers(String namespace, String secret) {
        return client.resources(AgentBinding.class).inNamespace(namespace).list().getItems().stream()
                .filter(b -> TokenSecrets.namedSecrets(b).contains(secret)).toList();
    }

    @Override
    public int bindingsExpiringBetween(Instant from, Instant to) {
        long a = from.getEpochSecond();
        long z = to.getEpochSecond();
        return (int) client.resources(AgentBinding.class).inAnyNamespace().list().getItems().stream()
                .map(b -> SpecReader.read(b).expiry())
                .flatMap(Optional::stream).filter(e -> e.getEpochSecond() >= a && e.getEpochSecond() <= z).count();
    }

    @Override
    public Optional<AgentOwner> owner(String name) {
        return Optional.ofNullable(client.resources(AgentOwner.class).withName(name).get());
    }

    @Override
    public Optional<Secret> managedSecret(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get())
                .filter(s -> s.getMetadata().getLabels() != null
                        && Metadata.MANAGED_BY_VALUE.equals(s.getMetadata().getLabels().get(Metadata.MANAGED_BY)));
    }
}
