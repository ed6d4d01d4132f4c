package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.api.v1alpha1.StatusConditions;
import dev.mandate.cache.LeanCache;
import dev.mandate.policy.Selectors;
import dev.mandate.policy.TokenSecrets;
import dev.mandate.token.Times;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The JOSDK adapter around {@link BindingLifecycle}: wires the label-selected informers for what
 * Mandate makes, hands the lifecycle a view of them, writes the status it returns (only when it
 * changed) and reschedules for the exact time the lifecycle names. No polling.
 *
 * <p>Not generation-aware: the rotate-requested-at annotation changes metadata only and must
 * still trigger a reconciliation. Retries never give up (a binding whose token cannot be renewed
 * must keep trying), backing off to one attempt a minute.
 */
@ControllerConfiguration(name = AgentBindingReconciler.NAME, generationAwareEventProcessing = false,
        fieldManager = "mandate")
@GradualRetry(maxAttempts = -1, initialInterval = 1000, intervalMultiplier = 2.0, maxInterval = 60_000)
public class AgentBindingReconciler implements ConfigurableReconciler<AgentBinding> {

    public static final String NAME = "agentbindings";
    private static final Logger LOG = Logger.getLogger(AgentBindingReconciler.class);

    @Inject
    BindingLifecycle lifecycle;

    @Inject
    EventRecorder events;

    @Inject
    Clock clock;

    @Inject
    dev.mandate.metrics.BindingCache bindingCache;

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

    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<AgentBinding> configuration) {
        configuration.withItemStore(LeanCache.lean());
    }

    @Override
    public List<EventSource<?, AgentBinding>> prepareEventSources(EventSourceContext<AgentBinding> context) {
        IndexerResourceCache<AgentBinding> bindings = context.getPrimaryCache();
        bindingCache.set(bindings);
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
                BY_TOKEN_SECRET, b -> List.of(b.getMetadata().getNamespace() + "/" + TokenSecrets.tokenSecretName(b)),
                BY_NAMED_SECRET, b -> TokenSecrets.namedSecrets(b).stream().filter(Objects::nonNull).distinct()
                        .map(s -> b.getMetadata().getNamespace() + "/" + s).toList()));

        InformerEventSource<Namespace, AgentBinding> namespaces = clusterScoped(Namespace.class, context,
                ns -> ids(bindings.list(ns.getMetadata().getName())),
                b -> Set.of(new ResourceID(b.getMetadata().getNamespace())));
        // A policy's status (its own Ready condition) means nothing to its bindings: only spec edits wake them.
        InformerEventSource<AgentPolicy, AgentBinding> policies = clusterScoped(AgentPolicy.class, context,
                p -> governedBy(p, bindings, namespaces), b -> Set.of(),
                (now, before) -> !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration()));
        InformerEventSource<ClusterRole, AgentBinding> clusterRoles = clusterScoped(ClusterRole.class, context,
                cr -> {
                    Set<ResourceID> ids = new HashSet<>(ids(bindings.byIndex(BY_CLUSTER_ROLE, cr.getMetadata().getName())));
                    policies.list(p -> p.getSpec() != null
                            && cr.getMetadata().getName().equals(p.getSpec().getCeilingClusterRole()))
                            .forEach(p -> ids.addAll(governedBy(p, bindings, namespaces)));
                    return ids;
                }, b -> Set.of());
        // An owner's status counts its bindings and changes with each of them: only spec edits and
        // the departure time wake the bindings (else every new binding would wake all its siblings).
        InformerEventSource<AgentOwner, AgentBinding> owners = clusterScoped(AgentOwner.class, context,
                o -> ids(bindings.byIndex(BY_OWNER, o.getMetadata().getName())),
                b -> b.getSpec() == null || b.getSpec().getOwner() == null ? Set.of()
                        : Set.of(new ResourceID(b.getSpec().getOwner())),
                (now, before) -> !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
                        || !Objects.equals(departedAt(now), departedAt(before)));
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

    /** A cluster-wide informer on a cluster-scoped type, mapped to the bindings it concerns. */
    private static <R extends HasMetadata> InformerEventSource<R, AgentBinding> clusterScoped(Class<R> type,
            EventSourceContext<AgentBinding> context, SecondaryToPrimaryMapper<R> toBindings,
            PrimaryToSecondaryMapper<AgentBinding> fromBinding) {
        return clusterScoped(type, context, toBindings, fromBinding, (now, before) -> true);
    }

    /** The same, waking bindings only for the updates that pass {@code relevant}. */
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

    static String departedAt(AgentOwner o) {
        return o.getStatus() == null ? null : o.getStatus().getDepartedAt();
    }

    /**
     * The bindings a policy change may affect: those it admitted (status.policy) and every binding
     * in a namespace it now selects. Found through indexes and the namespace cache, never by
     * listing every binding.
     */
    static Set<ResourceID> governedBy(AgentPolicy p, IndexerResourceCache<AgentBinding> bindings,
            InformerEventSource<Namespace, AgentBinding> namespaces) {
        Set<ResourceID> ids = new HashSet<>(ids(bindings.byIndex(BY_POLICY, p.getMetadata().getName())));
        var selector = p.getSpec() == null ? null : p.getSpec().getNamespaceSelector();
        namespaces.list(ns -> Selectors.matches(selector, ns.getMetadata().getLabels()))
                .forEach(ns -> ids.addAll(ids(bindings.list(ns.getMetadata().getName()))));
        return ids;
    }

    static Set<ResourceID> ids(java.util.stream.Stream<AgentBinding> bindings) {
        return bindings.map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    static Set<ResourceID> ids(List<AgentBinding> bindings) {
        return ids(bindings.stream());
    }

    @Override
    public UpdateControl<AgentBinding> reconcile(AgentBinding binding, Context<AgentBinding> context) {
        BindingLifecycle.Outcome outcome = lifecycle.reconcile(binding, new InformerClusterView(context),
                new ClusterClient(context.getClient(), cachingIn(context)));
        UpdateControl<AgentBinding> control = StatusBuilder.same(binding.getStatus(), outcome.status())
                ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(statusOnly(binding, outcome.status()));
        outcome.wakeAt().ifPresent(at -> control.rescheduleAfter(delayUntil(at)));
        return control;
    }

    /**
     * On an API error: keep Ready as it is while the current token is still valid (the agent
     * still works; the retry will rotate), otherwise say why nothing works.
     */
    @Override
    public ErrorStatusUpdateControl<AgentBinding> updateErrorStatus(AgentBinding binding,
            Context<AgentBinding> context, Exception e) {
        if (changedWhileReconciled(binding, e)) {
            LOG.debugf("%s/%s changed while it was reconciled; reconciling it again",
                    binding.getMetadata().getNamespace(), binding.getMetadata().getName());
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        String why = describe(e);
        int attempt = context.getRetryInfo().map(r -> r.getAttemptCount()).orElse(1);
        LOG.warnf("reconciling %s/%s failed (attempt %d): %s", binding.getMetadata().getNamespace(),
                binding.getMetadata().getName(), attempt, why);
        if (attempt == 1) {
            events.warning(binding, "ReconcileFailed", why);
        }
        AgentBindingStatus status = binding.getStatus();
        boolean tokenStillValid = status != null && status.getPhase() == Phase.Active && status.getToken() != null
                && Times.tryParse(status.getToken().getExpiresAt()).map(t -> clock.instant().isBefore(t)).orElse(false);
        if (tokenStillValid) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        AgentBindingStatus failed = status == null ? new AgentBindingStatus() : copy(status);
        if (failed.getPhase() == null) {
            failed.setPhase(Phase.Pending);
        }
        failed.setObservedGeneration(binding.getMetadata().getGeneration());
        List<io.fabric8.kubernetes.api.model.Condition> conditions = new ArrayList<>(
                failed.getConditions() == null ? List.of() : failed.getConditions());
        var previous = failed.condition(Conditions.READY);
        conditions.removeIf(c -> Conditions.READY.equals(c.getType()));
        conditions.add(0, StatusConditions.next(previous, Conditions.READY, false, Conditions.ISSUE_FAILED,
                "Retrying after an API error: " + why, binding.getMetadata().getGeneration(), clock.instant()));
        failed.setConditions(conditions);
        if (StatusBuilder.same(status, failed)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        return ErrorStatusUpdateControl.patchStatus(statusOnly(binding, failed));
    }

    /**
     * Status patches carry only the status, so the status manager never claims spec fields, and
     * the resourceVersion read ({@link Metadata#statusPatch}): a binding edited during its
     * reconciliation is reconciled again, not left with the edit unseen.
     */
    public static AgentBinding statusOnly(AgentBinding binding, AgentBindingStatus status) {
        AgentBinding patch = new AgentBinding();
        patch.setMetadata(Metadata.statusPatch(binding));
        patch.setSpec(null);
        patch.setStatus(status);
        return patch;
    }

    Duration delayUntil(Instant at) {
        Duration d = Duration.between(clock.instant(), at);
        // Round up to whole milliseconds so the timer never fires a hair before the due time.
        return d.isNegative() ? Duration.ZERO : Duration.ofMillis((d.toNanos() + 999_999) / 1_000_000);
    }

    static ClusterClient.WriteThrough cachingIn(Context<AgentBinding> context) {
        return new ClusterClient.WriteThrough() {
            @Override
            public <R extends HasMetadata> R write(R resource, java.util.function.UnaryOperator<R> operation) {
                return context.resourceOperations().resourcePatch(resource, operation);
            }
        };
    }

    /** The status patch met a newer version of this binding (see {@link #statusOnly}). */
    public static boolean changedWhileReconciled(AgentBinding binding, Exception e) {
        return e instanceof KubernetesClientException k && k.getCode() == HttpURLConnection.HTTP_CONFLICT
                && k.getStatus() != null && k.getStatus().getDetails() != null
                && "agentbindings".equals(k.getStatus().getDetails().getKind())
                && binding.getMetadata().getName().equals(k.getStatus().getDetails().getName());
    }

    static String describe(Exception e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null) {
            return "HTTP " + k.getCode() + " " + Optional.ofNullable(k.getStatus().getReason()).orElse("") + ": "
                    + Optional.ofNullable(k.getStatus().getMessage()).orElse("");
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static AgentBindingStatus copy(AgentBindingStatus s) {
        return io.fabric8.kubernetes.client.utils.Serialization.clone(s);
    }
}
