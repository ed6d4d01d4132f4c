package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Names;
import dev.mandate.cache.LeanCache;
import dev.mandate.policy.Selectors;
import dev.mandate.policy.TokenSecrets;
import dev.mandate.spec.SpecReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What wakes a binding, and the indexes that find it without listing every binding: label-selected
 * informers for the objects Mandate makes (attributed by owner reference), and cluster-wide ones
 * for namespaces, policies, ClusterRoles and owners, each mapped to the bindings it concerns.
 */
final class BindingEventSources {

    /** Primary-cache indexes: who to wake when an owner, a policy or a ClusterRole changes. */
    static final String BY_OWNER = "owner";
    static final String BY_POLICY = "policy";
    static final String BY_CLUSTER_ROLE = "clusterRole";
    /** Epoch second of each binding's expiry: how many bindings expire together. */
    static final String BY_EXPIRY = "expirySecond";
    /** namespace/name of the Secret each binding keeps its token in. */
    static final String BY_TOKEN_SECRET = "tokenSecret";
    /** namespace/name of each Secret a binding's rules name. */
    static final String BY_NAMED_SECRET = "namedSecret";

    private BindingEventSources() {
    }

    static List<EventSource<?, AgentBinding>> prepare(EventSourceContext<AgentBinding> context) {
        IndexerResourceCache<AgentBinding> bindings = context.getPrimaryCache();
        bindings.addIndexers(Map.of(
                BY_OWNER, b -> b.getSpec() == null || b.getSpec().getOwner() == null ? List.of()
                        : List.of(b.getSpec().getOwner()),
                BY_POLICY, b -> b.getStatus() == null || b.getStatus().getPolicy() == null ? List.of()
                        : List.of(b.getStatus().getPolicy()),
                BY_CLUSTER_ROLE, b -> b.getSpec() == null || b.getSpec().getScope() == null
                        || b.getSpec().getScope().getClusterRoles() == null ? List.of()
                                : b.getSpec().getScope().getClusterRoles(),
                BY_EXPIRY, b -> SpecReader.expiry(b).map(e -> List.of(Long.toString(e.getEpochSecond())))
                        .orElse(List.of()),
                BY_TOKEN_SECRET, b -> List.of(b.getMetadata().getNamespace() + "/" + Names.tokenSecret(b)),
                BY_NAMED_SECRET, b -> TokenSecrets.namedSecrets(b).stream().filter(Objects::nonNull).distinct()
                        .map(s -> b.getMetadata().getNamespace() + "/" + s).toList()));

        InformerEventSource<Namespace, AgentBinding> namespaces = clusterScoped(Namespace.class, context,
                ns -> ids(bindings.list(ns.getMetadata().getName())),
                b -> Set.of(new ResourceID(b.getMetadata().getNamespace())), (now, before) -> true);
        // A policy's status (its own Ready condition) means nothing to its bindings: only spec edits wake them.
        InformerEventSource<AgentPolicy, AgentBinding> policies = clusterScoped(AgentPolicy.class, context,
                p -> governedBy(p, bindings, namespaces), b -> Set.of(), BindingEventSources::specChanged);
        InformerEventSource<ClusterRole, AgentBinding> clusterRoles = clusterScoped(ClusterRole.class, context,
                cr -> {
                    Set<ResourceID> ids = new HashSet<>(ids(bindings.byIndex(BY_CLUSTER_ROLE, cr.getMetadata().getName())));
                    policies.list(p -> p.getSpec() != null
                            && cr.getMetadata().getName().equals(p.getSpec().getCeilingClusterRole()))
                            .forEach(p -> ids.addAll(governedBy(p, bindings, namespaces)));
                    return ids;
                }, b -> Set.of(), (now, before) -> true);
        // An owner's status counts its bindings and changes with each of them: only spec edits and
        // the departure time wake the bindings (else every new binding would wake all its siblings).
        InformerEventSource<AgentOwner, AgentBinding> owners = clusterScoped(AgentOwner.class, context,
                o -> ids(bindings.byIndex(BY_OWNER, o.getMetadata().getName())),
                b -> b.getSpec() == null || b.getSpec().getOwner() == null ? Set.of()
                        : Set.of(new ResourceID(b.getSpec().getOwner())),
                (now, before) -> specChanged(now, before) || !Objects.equals(departedAt(now), departedAt(before)));
        return List.of(
                managed(ServiceAccount.class, context),
                managed(Role.class, context),
                managed(RoleBinding.class, context),
                managed(Secret.class, context),
                namespaces, policies, clusterRoles, owners);
    }

    /** An informer that caches only what Mandate made, attributed to bindings by owner reference. */
    private static <R extends HasMetadata> EventSource<R, AgentBinding> managed(Class<R> type,
            EventSourceContext<AgentBinding> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, AgentBinding.class)
                .withLabelSelector(Metadata.MANAGED_SELECTOR)
                .withItemStore(LeanCache.lean())
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(AgentBinding.class))
                .build(), context);
    }

    /** A cluster-wide informer on a cluster-scoped type, waking the bindings it concerns on the updates that pass {@code relevant}. */
    private static <R extends HasMetadata> InformerEventSource<R, AgentBinding> clusterScoped(Class<R> type,
            EventSourceContext<AgentBinding> context, SecondaryToPrimaryMapper<R> toBindings,
            PrimaryToSecondaryMapper<AgentBinding> fromBinding, OnUpdateFilter<R> relevant) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, AgentBinding.class)
                .withWatchAllNamespaces()
                .withItemStore(LeanCache.lean())
                .withSecondaryToPrimaryMapper(toBindings)
                .withPrimaryToSecondaryMapper(fromBinding)
                .withOnUpdateFilter(relevant)
                .build(), context);
    }

    private static boolean specChanged(HasMetadata now, HasMetadata before) {
        return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration());
    }

    private static String departedAt(AgentOwner o) {
        return o.getStatus() == null ? null : o.getStatus().getDepartedAt();
    }

    /**
     * The bindings a policy change may affect: those it admitted (status.policy) and every binding
     * in a namespace it now selects. Found through indexes and the namespace cache, never by
     * listing every binding.
     */
    private static Set<ResourceID> governedBy(AgentPolicy p, IndexerResourceCache<AgentBinding> bindings,
            InformerEventSource<Namespace, AgentBinding> namespaces) {
        Set<ResourceID> ids = new HashSet<>(ids(bindings.byIndex(BY_POLICY, p.getMetadata().getName())));
        var selector = p.getSpec() == null ? null : p.getSpec().getNamespaceSelector();
        namespaces.list(ns -> Selectors.matches(selector, ns.getMetadata().getLabels()))
                .forEach(ns -> ids.addAll(ids(bindings.list(ns.getMetadata().getName()))));
        return ids;
    }

    private static Set<ResourceID> ids(Stream<AgentBinding> bindings) {
        return bindings.map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private static Set<ResourceID> ids(List<AgentBinding> bindings) {
        return ids(bindings.stream());
    }
}
