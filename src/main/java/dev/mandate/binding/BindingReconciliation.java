package dev.mandate.binding;

import static dev.mandate.api.v1alpha1.ConditionTypes.READY;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.binding.cluster.Blocked;
import dev.mandate.binding.cluster.ClusterClient;
import dev.mandate.binding.cluster.ClusterView;
import dev.mandate.binding.cluster.Observed;
import dev.mandate.binding.cluster.OwnedObjects;
import dev.mandate.binding.revocation.ExpiryPlan;
import dev.mandate.binding.revocation.Revocation;
import dev.mandate.binding.revocation.Revoker;
import dev.mandate.binding.status.BindingEvents;
import dev.mandate.binding.status.Statuses;
import dev.mandate.metrics.MandateMetrics;
import dev.mandate.owner.OwnerDirectory;
import dev.mandate.policy.PolicyEvaluator;
import dev.mandate.spec.EffectiveSpec;
import dev.mandate.token.AnchorSecrets;
import dev.mandate.token.CurrentToken;
import dev.mandate.token.DeliverySecrets;
import dev.mandate.token.DeliverySecrets.Endpoint;
import dev.mandate.token.RotationRequest;
import dev.mandate.token.RotationSchedule;
import dev.mandate.token.RotationTrigger;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One reconciliation of one AgentBinding: observe the cluster once ({@link Observed}), decide with
 * pure functions ({@link Assessment}: the spec, the policy, the owner, the revocation chain, the
 * expiry plan; then the rotation schedule), act through the steps in the order that ends access
 * soonest and grants last, and return the whole status and when to look again. All state lives in the cluster (status, anchors,
 * the delivery Secret's annotations), so a restart re-mints nothing that is not due and writes
 * nothing when nothing changed.
 */
public final class BindingReconciliation {

    private static final Logger LOG = Logger.getLogger(BindingReconciliation.class);

    /** How soon to look again when objects of a deleted binding of the same name still exist. */
    static final Duration CLEANUP_RECHECK = Duration.ofSeconds(5);
    /** How soon to look again when the caches lag behind Mandate's own writes. */
    static final Duration STALE_RECHECK = Duration.ofSeconds(1);

    /**
     * @param status the whole status the binding should have now
     * @param wakeAt when there is work to do next (a rotation, the end of an overlap, the expiry)
     */
    public record Outcome(AgentBindingStatus status, Optional<Instant> wakeAt) {
    }

    private final Clock clock;
    private final PolicyEvaluator policies;
    private final OwnerDirectory owners;
    private final EventRecorder events;
    private final MandateMetrics metrics;
    private final Duration conflictRecheck;
    private final double revocationWriteRate;
    private final Revoker revoker;
    private final TokenIssuer issuer;
    private final AnchorRetirement retirement;
    private final DeliveryRepair repair;

    public BindingReconciliation(Clock clock, PolicyEvaluator policies, OwnerDirectory owners, EventRecorder events,
            MandateMetrics metrics, Supplier<Endpoint> endpoint, Duration conflictRecheck, double revocationWriteRate) {
        if (!(revocationWriteRate > 0)) {
            throw new IllegalArgumentException("mandate.revocation-write-rate must be above 0, not " + revocationWriteRate);
        }
        this.clock = clock;
        this.policies = policies;
        this.owners = owners;
        this.events = events;
        this.metrics = metrics;
        this.conflictRecheck = conflictRecheck;
        this.revocationWriteRate = revocationWriteRate;
        this.revoker = new Revoker(endpoint);
        this.issuer = new TokenIssuer(clock, events, metrics, endpoint);
        this.retirement = new AnchorRetirement(events);
        this.repair = new DeliveryRepair(endpoint);
    }

    public Outcome reconcile(AgentBinding binding, ClusterView view, ClusterClient api) {
        MDC.put("namespace", binding.getMetadata().getNamespace());
        MDC.put("binding", binding.getMetadata().getName());
        try {
            return run(Observed.of(binding, view, clock.instant()), view, new OwnedObjects(binding, api));
        } finally {
            MDC.remove("namespace");
            MDC.remove("binding");
            MDC.remove("generation");
        }
    }

    private Outcome run(Observed seen, ClusterView view, OwnedObjects writes) {
        AgentBinding b = seen.binding();
        Instant now = seen.now();
        if (b.getMetadata().getDeletionTimestamp() != null || view.namespaceTerminating(b.getMetadata().getNamespace())) {
            return beingDeleted(seen, writes);
        }
        Assessment a = Assessment.of(seen, view, policies, owners, revocationWriteRate);
        Statuses.Facts facts = a.facts();
        Optional<Instant> expiryWake = a.expiryWake();

        if (a.revocation().isPresent()) {
            if (revoker.unbind(seen, writes) > 0) {
                // Permissions first, for every binding revoked at this moment: the rest of this
                // revocation runs as a fresh reconciliation queued behind theirs.
                return new Outcome(b.getStatus(), Optional.of(now));
            }
            Revocation r = a.revocation().get();
            boolean said = revoke(seen, writes, 0, true, r.cause().name(), r.message(), Optional.of(r));
            return finish(seen, Statuses.revoked(facts, r, a.problems()), Optional.empty(), said);
        }
        Optional<ExpiryPlan> plan = a.plan();
        if (plan.isPresent() && plan.get().permissionsEnded(now)) {
            revoker.unbind(seen, writes);
            return finish(seen, Statuses.expiring(facts, seen.validToken(), plan.get()),
                    Optional.of(plan.get().expiry()), false);
        }
        if (!a.problems().isEmpty()) {
            return finish(seen, Statuses.frozen(facts, seen.validToken(), a.problems()), expiryWake, false);
        }
        try {
            return issue(seen, writes, a.reading().spec().orElseThrow(), facts, expiryWake);
        } catch (Blocked e) {
            return blocked(seen, facts, e, expiryWake, false);
        } catch (StaleView e) {
            LOG.debugf("cache behind own writes (%s); looking again in %s", e.getMessage(), STALE_RECHECK);
            return new Outcome(b.getStatus(), Optional.of(now.plus(STALE_RECHECK)));
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN
                    && String.valueOf(e.getMessage()).contains("because it is being terminated")) {
                return beingDeleted(seen, writes); // the namespace's deletion began before the cache heard of it
            }
            throw e;
        }
    }

    /** The identity, its permissions, then a token if one is due, then the end of older tokens. */
    private Outcome issue(Observed seen, OwnedObjects writes, EffectiveSpec spec, Statuses.Facts facts,
            Optional<Instant> expiryWake) {
        AgentBinding b = seen.binding();
        ServiceAccount account;
        try {
            account = ServiceAccountStep.ensure(seen, writes);
        } catch (Blocked e) {
            // The name now belongs to someone else: grants made for it must not reach that identity.
            boolean said = revoke(seen, writes, revoker.unbind(seen, writes), false, e.reason(), e.getMessage(),
                    Optional.empty());
            return blocked(seen, facts, e, expiryWake, said);
        }
        List<String> scopeChanges = RbacStep.apply(seen, writes, spec);
        Optional<Secret> delivery = TokenIssuer.deliveryFor(seen, writes, spec.tokenSecretName());
        Optional<CurrentToken> current = delivery.flatMap(DeliverySecrets::current);
        boolean anchorIntact = current.flatMap(t -> seen.anchorOf(t.generation()))
                .filter(a -> Objects.equals(AnchorSecrets.serviceAccountUid(a), account.getMetadata().getUid()))
                .isPresent();
        Optional<RotationRequest> request = Optional.ofNullable(b.getMetadata().getAnnotations())
                .flatMap(a -> RotationRequest.of(a.get(Metadata.ROTATE_REQUESTED_AT)));
        Optional<RotationSchedule.Decision> decision = RotationSchedule.decide(new RotationSchedule.Input(
                current, anchorIntact, spec.audiences(), spec.period(), spec.overlap(), request, seen.now()));
        long deliveredBefore = delivery.map(DeliverySecrets::recordedGeneration).orElse(0L);
        if (decision.isPresent()) {
            current = Optional.of(issuer.mint(seen, writes, spec, account, delivery, current, decision.get(), request));
        } else {
            repair.repair(seen, writes, delivery.orElseThrow());
        }
        CurrentToken token = current.orElseThrow();
        MDC.put("generation", Long.toString(token.generation()));
        Optional<Instant> overlapEnds = retirement.retire(seen, writes, spec, token, deliveredBefore);
        DeliveryRepair.deleteStrays(seen, writes, spec.tokenSecretName());
        if (!scopeChanges.isEmpty() && decision.map(d -> d.trigger() != RotationTrigger.TokenMissing).orElse(true)) {
            events.record(b, BindingEvents.scopeUpdated(scopeChanges));
        }
        Instant next = RotationSchedule.nextRotation(token, spec.period(), spec.overlap(), request);
        return finish(seen, Statuses.active(facts, token, next), earliest(Optional.of(next), overlapEnds, expiryWake),
                false);
    }

    private Outcome blocked(Observed seen, Statuses.Facts facts, Blocked e, Optional<Instant> expiryWake,
            boolean alreadySaid) {
        Duration recheck = e.waitsForCleanup() ? CLEANUP_RECHECK : conflictRecheck;
        return finish(seen, Statuses.blocked(facts, e.reason(), e.getMessage()),
                earliest(Optional.of(seen.now().plus(recheck)), expiryWake), alreadySaid);
    }

    private Outcome beingDeleted(Observed seen, OwnedObjects writes) {
        long deleted = revoker.beforeDeletion(seen, writes);
        if (deleted > 0) {
            LOG.infof("%s is being deleted: removed %d RoleBindings and token anchors ahead of the cleanup",
                    seen.binding().getMetadata().getDeletionTimestamp() != null ? "the binding"
                            : "namespace " + seen.binding().getMetadata().getNamespace(), deleted);
        }
        return new Outcome(seen.binding().getStatus(), Optional.empty());
    }

    /**
     * Revokes what is left after the RoleBindings and says so once: the {@code Revoked} Event, a
     * log line and, for a decided revocation, the revocation metrics.
     *
     * @param label   what the Event names as the cause (a revocation cause, or a conflict's reason)
     * @param decided the revocation decision, when it is one (a conflict is not counted as one)
     * @return whether anything was revoked (then the Event has said why)
     */
    private boolean revoke(Observed seen, OwnedObjects writes, long roleBindingsDeleted, boolean deleteServiceAccount,
            String label, String why, Optional<Revocation> decided) {
        Revoker.Report report = revoker.revoke(seen, writes, roleBindingsDeleted, deleteServiceAccount);
        if (!report.revokedAnything()) {
            return false;
        }
        Instant finished = clock.instant();
        LOG.infof("revoked identity (%s): %s", label, String.join(", ", report.done()));
        events.record(seen.binding(), BindingEvents.revoked(label, report.done(), why));
        decided.ifPresent(r -> metrics.revoked(seen.binding(), r.cause(), r.dueAt().orElse(seen.now()), finished));
        return true;
    }

    /** The outcome, with the Event for a Ready condition that turned to a new problem. */
    private Outcome finish(Observed seen, AgentBindingStatus status, Optional<Instant> wakeAt, boolean alreadySaid) {
        BindingEvents.readyTurned(Optional.ofNullable(seen.binding().getStatus()).flatMap(s -> s.condition(READY)),
                status.condition(READY).orElseThrow(), alreadySaid).ifPresent(e -> events.record(seen.binding(), e));
        return new Outcome(status, wakeAt);
    }

    @SafeVarargs
    static Optional<Instant> earliest(Optional<Instant>... candidates) {
        return Stream.of(candidates).flatMap(Optional::stream).min(Comparator.naturalOrder());
    }
}
