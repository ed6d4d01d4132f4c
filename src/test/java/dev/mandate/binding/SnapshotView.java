package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.binding.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A view frozen at one moment: what an informer shows before it has caught up. */
final class SnapshotView implements ClusterView {

    private final Optional<ServiceAccount> sa;
    private final List<Role> roles;
    private final List<RoleBinding> roleBindings;
    private final List<Secret> secrets;
    private final Map<String, Secret> byName;

    private SnapshotView(Optional<ServiceAccount> sa, List<Role> roles, List<RoleBinding> roleBindings,
            List<Secret> secrets) {
        this.sa = sa;
        this.roles = roles;
        this.roleBindings = roleBindings;
        this.secrets = secrets;
        this.byName = secrets.stream().collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
    }

    private ClusterView live;

    /** Mandate's own objects frozen now; policies, ClusterRoles, namespaces and owners read live. */
    static SnapshotView of(ClusterView live, AgentBinding b) {
        SnapshotView v = new SnapshotView(live.serviceAccount(b), live.roles(b), live.roleBindings(b), live.secrets(b));
        v.live = live;
        return v;
    }

    @Override
    public List<dev.mandate.api.v1alpha1.AgentPolicy> policies() {
        return live.policies();
    }

    @Override
    public Optional<io.fabric8.kubernetes.api.model.rbac.ClusterRole> clusterRole(String name) {
        return live.clusterRole(name);
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
        return live.namespaceLabels(namespace);
    }

    @Override
    public boolean namespaceTerminating(String namespace) {
        return live.namespaceTerminating(namespace);
    }

    @Override
    public int bindingsExpiringBetween(Instant from, Instant to) {
        return live.bindingsExpiringBetween(from, to);
    }

    @Override
    public List<AgentBinding> tokenSecretHolders(String namespace, String secret) {
        return live.tokenSecretHolders(namespace, secret);
    }

    @Override
    public List<AgentBinding> secretNamers(String namespace, String secret) {
        return live.secretNamers(namespace, secret);
    }

    @Override
    public Optional<dev.mandate.api.v1alpha1.AgentOwner> owner(String name) {
        return live.owner(name);
    }

    @Override
    public Optional<ServiceAccount> serviceAccount(AgentBinding binding) {
        return sa;
    }

    @Override
    public List<Role> roles(AgentBinding binding) {
        return roles;
    }

    @Override
    public List<RoleBinding> roleBindings(AgentBinding binding) {
        return roleBindings;
    }

    @Override
    public List<Secret> secrets(AgentBinding binding) {
        return secrets;
    }

    @Override
    public Optional<Secret> managedSecret(String namespace, String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
