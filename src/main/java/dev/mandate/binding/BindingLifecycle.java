package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.binding.StatusBuilder.ConditionDraft;
import dev.mandate.owner.OwnerDirectory;
import dev.mandate.owner.OwnerState;
import dev.mandate.policy.PolicyEvaluator;
import dev.mandate.policy.PolicyVerdict;
import dev.mandate.policy.TokenSecrets;
import dev.mandate.token.AnchorSecrets;
import dev.mandate.token.CurrentToken;
import dev.mandate.token.DeliverySecrets;
import dev.mandate.token.DeliverySecrets.Endpoint;
import dev.mandate.token.RotationRequest;
import dev.mandate.token.RotationSchedule;
import dev.mandate.token.RotationTrigger;
import dev.mandate.token.Times;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiPredicate;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One AgentBinding's life: issue, rotate, revoke. Reads the world through a {@link ClusterView},
 * asks pure functions what should be true ({@link SpecReader}, {@link RevocationPolicies},
 * {@link DesiredResources}, {@link RotationSchedule}), writes only the difference through a
 * {@link ClusterClient}, and says when it next has work to do. All state lives in the cluster
 * (status, anchors, the delivery Secret's annotations), so a restart re-mints nothing that is not
 * due and writes nothing when nothing changed.
 */
public final class BindingLifecycle {

    private static final Logger LOG = Logger.getLogger(BindingLifecycle.class);

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
    private final Telemetry telemetry;
    private final Supplier<Endpoint> endpoint;
    private final Duration conflictRecheck;
    private final double revocationWriteRate;

    /** Writes one binding's early removal of permissions costs: two RoleBindings and a status. */
    static final int UNBIND_WRITES = 3;
    static final Duration MAX_LEAD = Duration.ofMinutes(5);
    static final Duration MIN_LEAD = Duration.ofMillis(250);
    /**
     * How long before it acts on an expiry a binding wakes to plan again: bindings that join the
     * same expiry after this one planned lengthen the lead it needs.
     */
    static final Duration REPLAN = Duration.ofSeconds(5);

    public BindingLifecycle(Clock clock, PolicyEvaluator policies, OwnerDirectory owners, EventRecorder events,
            Telemetry telemetry, Supplier<Endpoint> endpoint, Duration conflictRecheck, double revocationWriteRate) {
        this.clock = clock;
        this.policies = policies;
        this.owners = owners;
        this.events = events;
        this.telemetry = telemetry;
        this.endpoint = endpoint;
        this.conflictRecheck = conflictRecheck;
        if (!(revocationWriteRate > 0)) {
            throw new IllegalArgumentException("mandate.revocation-write-rate must be above 0, not " + revocationWriteRate);
        }
        this.revocationWriteRate = revocationWriteRate;
    }

    public Outcome reconcile(AgentBinding binding, ClusterView view, ClusterClient api) {
        MDC.put("namespace", binding.getMetadata().getNamespace());
        MDC.put("binding", binding.getMetadata().getName());
        try {
            return new Run(binding, view, api).execute();
        } finally {
            MDC.remove("namespace");
            MDC.remove("binding");
            MDC.remove("generation");
        }
    }

    /** Thrown when the caches lag behind writes this operator already made; the run is repeated shortly. */
    private static final class StaleView extends RuntimeException {
        StaleView(String message) {
            super(message, null, false, false);
        }
    }

    /** A Mandate object whose name is taken by something Mandate must not touch. */
    private record Blocked(String reason, String message, Ownership ownership) {
    }

    private static final class BlockedException extends RuntimeException {
        final Blocked blocked;

        BlockedException(Blocked blocked) {
            super(blocked.message(), null, false, false);
            this.blocked = blocked;
        }
    }

    /** The state of one reconciliation. */
    private final class Run {
        final AgentBinding b;
        final ClusterView view;
        final ClusterClient api;
        final Instant now;
        final String ns;
        final String name;
        final OwnerReference ownerRef;
        final List<String> scopeChanges = new ArrayList<>();
        boolean revokedEvent;
        Optional<Instant> permissionsEnd = Optional.empty();
        /**
         * When to wake for the expiry: shortly before the permissions end, to count again the bindings
         * expiring with this one (a burst of them is seen one by one), then when they end.
         */
        Optional<Instant> expiryWake = Optional.empty();

        Optional<ServiceAccount> sa;
        List<Role> roles;
        List<RoleBinding> roleBindings;
        List<Secret> anchors;
        List<Secret> deliveries;

        Run(AgentBinding b, ClusterView view, ClusterClient api) {
            this.b = b;
            this.view = view;
            this.api = api;
            this.now = clock.instant();
            this.ns = b.getMetadata().getNamespace();
            this.name = b.getMetadata().getName();
            this.ownerRef = DesiredResources.ownerReference(b);
        }

        Outcome execute() {
            observe();
            if (b.getMetadata().getDeletionTimestamp() != null || view.namespaceTerminating(ns)) {
                return beingDeleted();
            }
            SpecReader.Reading reading = SpecReader.read(b);
            List<SpecProblem> problems = new ArrayList<>(reading.problems());
            reading.spec().flatMap(this::tokenSecretCollision).ifPresent(problems::add);
            PolicyVerdict verdict = policies.evaluate(b, view);
            OwnerState owner = ownerState();
            Optional<Revocation> revocation = RevocationPolicies.first(
                    new RevocationPolicies.Input(b, reading.expiry(), owner, verdict, now));
            List<ConditionDraft> guards = List.of(scopeCondition(verdict), ownerCondition(owner));
            permissionsEnd = reading.expiry().map(e -> e.minus(lead(e)));
            expiryWake = permissionsEnd.map(end -> now.isBefore(end.minus(REPLAN)) ? end.minus(REPLAN) : end);

            if (revocation.isPresent()) {
                Revocation r = revocation.get();
                if (unbind() > 0) {
                    // Permissions first, for every binding revoked at this moment: the rest of this
                    // revocation runs as a fresh reconciliation queued behind theirs.
                    return new Outcome(b.getStatus(), Optional.of(now));
                }
                revokeAll(0, r.cause().name(), Optional.of(r.cause()), r.message(), r.dueAt(), true);
                return revoked(reading, problems, revocation.get(), verdict, guards);
            }
            if (permissionsEnd.isPresent() && !now.isBefore(permissionsEnd.get())) {
                unbind();
                return expiring(reading, verdict, guards);
            }
            if (!problems.isEmpty()) {
                return frozen(reading, problems, verdict, guards);
            }
            EffectiveSpec spec = reading.spec().orElseThrow();
            try {
                return issue(spec, verdict, guards);
            } catch (BlockedException e) {
                return blocked(spec, e.blocked, verdict, guards);
            } catch (StaleView e) {
                LOG.debugf("cache behind own writes (%s); looking again in %s", e.getMessage(), STALE_RECHECK);
                return new Outcome(b.getStatus(), Optional.of(now.plus(STALE_RECHECK)));
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN && String.valueOf(e.getMessage())
                        .contains("because it is being terminated")) {
                    // The namespace's deletion began before the cache heard of it.
                    return beingDeleted();
                }
                throw e;
            }
        }

        /**
         * The owner as the directory sees it, except that an owner this binding knew as active (or
         * already saw depart) and that has since vanished was deleted: that is a departure too.
         */
        OwnerState ownerState() {
            String name = b.getSpec() == null ? null : b.getSpec().getOwner();
            OwnerState state = owners.lookup(name, view);
            if (state.status() != OwnerState.Status.UNKNOWN || b.getStatus() == null) {
                return state;
            }
            boolean knewIt = b.getStatus().condition(Conditions.OWNER_ACTIVE)
                    .filter(c -> Objects.equals(c.getObservedGeneration(), b.getMetadata().getGeneration()))
                    .filter(c -> "True".equals(c.getStatus())
                            || RevocationCause.OwnerDeparted.name().equals(c.getReason()))
                    .isPresent();
            return knewIt ? OwnerState.departed(Optional.ofNullable(b.getStatus().getRevokedAt())
                    .flatMap(Times::tryParse).orElse(now)) : state;
        }

        void observe() {
            sa = view.serviceAccount(b);
            roles = view.roles(b);
            roleBindings = view.roleBindings(b);
            List<Secret> secrets = view.secrets(b);
            anchors = secrets.stream().filter(AnchorSecrets::isAnchor)
                    .sorted(Comparator.comparingLong(s -> AnchorSecrets.generation(s).orElse(Long.MAX_VALUE)))
                    .toList();
            deliveries = secrets.stream()
                    .filter(s -> Metadata.COMPONENT_DELIVERY.equals(label(s, Metadata.COMPONENT)))
                    .toList();
        }

        <R extends HasMetadata> Stream<R> ours(List<R> objects) {
            return objects.stream().filter(o -> Ownership.of(o, b) == Ownership.OURS);
        }

        Optional<SpecProblem> tokenSecretCollision(EffectiveSpec spec) {
            List<String> readers = TokenSecrets.readersOf(b, view.secretNamers(ns, spec.tokenSecretName()));
            if (!readers.isEmpty()) {
                return Optional.of(new SpecProblem("spec.tokenSecretName", "Secret " + spec.tokenSecretName()
                        + " is named in the rules of AgentBinding" + (readers.size() == 1 ? " " : "s ")
                        + String.join(", ", readers) + ", whose agent could read this token; choose another name"));
            }
            return view.managedSecret(ns, spec.tokenSecretName())
                    .filter(s -> Ownership.of(s, b) == Ownership.FOREIGN)
                    .map(s -> new SpecProblem("spec.tokenSecretName", "Secret " + spec.tokenSecretName()
                            + " is already managed by Mandate for "
                            + Optional.ofNullable(label(s, Metadata.BINDING)).map(n -> "AgentBinding " + n)
                                    .orElse("another binding")
                            + "; choose another name"));
        }

        /**
         * How long before an expiry the binding's RoleBindings go: long enough that, when many
         * bindings expire at the same instant, every one of them has lost its permissions by then
         * (the API server takes writes at a finite rate). Zero for a binding expiring alone.
         */
        Duration lead(Instant expiry) {
            int together = view.bindingsExpiringBetween(expiry.minusSeconds(2), expiry);
            Duration lead = Duration.ofMillis((long) Math.ceil(together * UNBIND_WRITES * 1000.0 / revocationWriteRate));
            if (lead.compareTo(MIN_LEAD) < 0) {
                return Duration.ZERO;
            }
            return lead.plusSeconds(1).compareTo(MAX_LEAD) > 0 ? MAX_LEAD : lead.plusSeconds(1);
        }

        /**
         * The binding, or its whole namespace, is being deleted: the garbage collector or the
         * namespace controller removes what Mandate made. Mandate creates nothing (it would fight
         * them, and a terminating namespace refuses new objects) but takes the permissions and the
         * tokens away at once, in case the deletion stalls on something else.
         */
        Outcome beingDeleted() {
            long deleted = ours(roleBindings).sorted(BY_NAME).filter(this::deleteOurs).count()
                    + ours(anchors).filter(this::deleteOurs).count();
            if (deleted > 0) {
                LOG.infof("%s is being deleted: removed %d RoleBindings and token anchors ahead of the cleanup",
                        b.getMetadata().getDeletionTimestamp() != null ? "the binding" : "namespace " + ns, deleted);
            }
            return new Outcome(b.getStatus(), Optional.empty());
        }

        /** Deletes this binding's RoleBindings; how many were deleted. */
        long unbind() {
            return ours(roleBindings).sorted(BY_NAME).filter(this::deleteOurs).count();
        }

        /** The delivered token that is still valid, if any. */
        Optional<CurrentToken> validToken() {
            return ours(deliveries).map(DeliverySecrets::current).flatMap(Optional::stream)
                    .filter(t -> now.isBefore(t.expiresAt())).findFirst();
        }

        /** Permissions already removed ahead of an imminent expiry; the token lives until the expiry itself. */
        Outcome expiring(SpecReader.Reading reading, PolicyVerdict verdict, List<ConditionDraft> guards) {
            Instant expiry = reading.expiry().orElseThrow();
            Optional<CurrentToken> current = validToken();
            String message = "Permissions removed ahead of the expiry at " + Times.format(expiry) + ", as "
                    + view.bindingsExpiringBetween(expiry.minusSeconds(2), expiry) + " bindings expire with it; "
                    + "the rest is revoked at the expiry";
            var draft = new StatusBuilder.Draft(Phase.Active, conditions(false, Conditions.EXPIRING, message, guards),
                    name, tokenSecretName(), verdict.policy(), reading.expiry(), current, lastGeneration(),
                    Optional.empty(), Optional.empty(), Optional.empty());
            return finish(draft, Optional.of(expiry));
        }

        // ------------------------------------------------------------------------------ revoke

        /**
         * Revokes in the order that ends access soonest: RoleBindings (permissions gone on the next
         * request), Roles, anchors (every token dead), the delivery Secret's token, then the
         * ServiceAccount (any stray token dies with it). Deletes only what this binding owns. The
         * RoleBindings are the caller's to delete first ({@link #unbind}), usually in a
         * reconciliation of their own; it passes how many that deleted.
         */
        void revokeAll(long roleBindingsDeleted, String label, Optional<RevocationCause> cause, String why,
                Optional<Instant> dueAt, boolean deleteServiceAccount) {
            List<String> done = new ArrayList<>();
            count(done, "RoleBinding", roleBindingsDeleted);
            count(done, "Role", ours(roles).sorted(BY_NAME).filter(this::deleteOurs).count());
            count(done, "token anchor", ours(anchors).filter(this::deleteOurs).count());
            for (Secret d : ours(deliveries).toList()) {
                if (DeliverySecrets.token(d).isPresent()) {
                    Secret stripped = clone(d);
                    stripped.setData(DeliverySecrets.revokedData(ns, endpoint.get()));
                    Map<String, String> ann = new HashMap<>(orEmpty(stripped.getMetadata().getAnnotations()));
                    DeliverySecrets.TOKEN_ANNOTATIONS.stream().filter(k -> !k.equals(Metadata.TOKEN_GENERATION))
                            .forEach(ann::remove);
                    stripped.getMetadata().setAnnotations(ann);
                    api.update(stripped);
                    done.add("removed the token from Secret " + d.getMetadata().getName());
                }
            }
            if (deleteServiceAccount && sa.filter(s -> Ownership.of(s, b) == Ownership.OURS)
                    .map(this::deleteOurs).orElse(false)) {
                done.add("deleted ServiceAccount " + name);
            }
            if (!done.isEmpty()) {
                Instant finished = clock.instant();
                String message = "Revoked (" + label + "): permissions removed; " + String.join(", ", done) + ". " + why;
                LOG.infof("revoked identity (%s): %s", label, String.join(", ", done));
                events.warning(b, "Revoked", message);
                revokedEvent = true;
                cause.ifPresent(c -> telemetry.revoked(b, c, dueAt.orElse(now), finished));
            }
        }

        void count(List<String> done, String what, long n) {
            if (n > 0) {
                done.add("deleted " + n + " " + what + (n == 1 ? "" : "s"));
            }
        }

        boolean deleteOurs(HasMetadata o) {
            return api.deleteOwned(o, fresh -> Ownership.of(fresh, b) == Ownership.OURS);
        }

        Outcome revoked(SpecReader.Reading reading, List<SpecProblem> problems, Revocation r, PolicyVerdict verdict,
                List<ConditionDraft> guards) {
            Phase phase;
            String reason;
            String message;
            if (!problems.isEmpty()) {
                phase = Phase.Failed;
                reason = Conditions.INVALID_SPEC;
                message = summary(problems) + ". " + r.message();
            } else {
                phase = switch (r.cause()) {
                    case Expired -> Phase.Expired;
                    case Suspended -> Phase.Suspended;
                    case ScopeDenied -> Phase.Denied;
                    case OwnerDeparted, OwnerUnknown -> Phase.Revoked;
                };
                reason = r.cause().name();
                message = r.message();
            }
            AgentBindingStatus previous = b.getStatus();
            Instant revokedAt = previous != null && previous.getRevocationReason() != null
                    ? Times.tryParse(previous.getRevokedAt()).orElse(now) : now;
            var draft = new StatusBuilder.Draft(phase, conditions(false, reason, message, guards), name,
                    tokenSecretName(), verdict.policy(), reading.expiry(), Optional.empty(),
                    lastGeneration(), Optional.empty(), Optional.of(revokedAt), Optional.of(r.cause().name()));
            return finish(draft, Optional.empty());
        }

        // ------------------------------------------------------------------------------ frozen

        /**
         * An invalid spec issues nothing new and changes nothing that exists: the current token
         * lives out its remaining lifetime, and expiry, suspension or an owner's departure still
         * revoke everything.
         */
        Outcome frozen(SpecReader.Reading reading, List<SpecProblem> problems, PolicyVerdict verdict,
                List<ConditionDraft> guards) {
            Optional<CurrentToken> current = validToken();
            String message = summary(problems) + (current.isPresent()
                    ? ". Nothing new is issued until the spec is fixed; the current token stays valid until "
                            + Times.format(current.get().expiresAt())
                    : ". Nothing is issued until the spec is fixed");
            var draft = new StatusBuilder.Draft(Phase.Failed, conditions(false, Conditions.INVALID_SPEC, message, guards),
                    name, tokenSecretName(), verdict.policy(), reading.expiry(), current, lastGeneration(),
                    Optional.empty(), Optional.empty(), Optional.empty());
            return finish(draft, expiryWake);
        }

        // ------------------------------------------------------------------------------ blocked

        Outcome blocked(EffectiveSpec spec, Blocked blocked, PolicyVerdict verdict, List<ConditionDraft> guards) {
            Phase phase = blocked.ownership() == Ownership.PREVIOUS_INCARNATION ? Phase.Pending : Phase.Failed;
            Duration recheck = blocked.ownership() == Ownership.PREVIOUS_INCARNATION ? CLEANUP_RECHECK : conflictRecheck;
            var draft = new StatusBuilder.Draft(phase, conditions(false, blocked.reason(), blocked.message(), guards),
                    name, spec.tokenSecretName(), verdict.policy(), spec.expiry(), Optional.empty(), lastGeneration(),
                    Optional.empty(), Optional.empty(), Optional.empty());
            Optional<Instant> wake = earliest(Optional.of(now.plus(recheck)), expiryWake);
            return finish(draft, wake);
        }

        Blocked conflict(String kind, String objectName, Ownership ownership) {
            if (ownership == Ownership.PREVIOUS_INCARNATION) {
                return new Blocked(Conditions.WAITING_FOR_CLEANUP, kind + " " + objectName
                        + " still belongs to a deleted AgentBinding of the same name; waiting for garbage collection",
                        ownership);
            }
            if ("ServiceAccount".equals(kind)) {
                return new Blocked(Conditions.SERVICE_ACCOUNT_CONFLICT, "ServiceAccount " + objectName
                        + " exists and was not created by Mandate for this binding; Mandate never adopts an identity "
                        + "it did not make. Delete or rename that ServiceAccount, or rename the binding.", ownership);
            }
            return new Blocked(Conditions.RESOURCE_CONFLICT, kind + " " + objectName
                    + " exists and was not created by Mandate for this binding; Mandate does not change or delete "
                    + "it. Delete or rename it" + ("Secret".equals(kind) ? ", or set spec.tokenSecretName" : "")
                    + ".", ownership);
        }

        // ------------------------------------------------------------------------------ issue

        Outcome issue(EffectiveSpec spec, PolicyVerdict verdict, List<ConditionDraft> guards) {
            ServiceAccount account;
            try {
                account = ensureServiceAccount();
            } catch (BlockedException e) {
                // The name now belongs to someone else: grants made for it must not reach that identity.
                revokeAll(unbind(), e.blocked.reason(), Optional.empty(), e.getMessage(), Optional.empty(), false);
                throw e;
            }
            ensureRbac(spec);
            Optional<Secret> delivery = deliveryFor(spec);
            Optional<CurrentToken> current = delivery.flatMap(DeliverySecrets::current);
            String saUid = account.getMetadata().getUid();
            boolean anchorIntact = current.map(t -> anchorOf(t.generation())
                    .filter(a -> Objects.equals(AnchorSecrets.serviceAccountUid(a), saUid)).isPresent())
                    .orElse(false);
            Optional<RotationRequest> request = rotationRequest();
            Optional<RotationSchedule.Decision> decision = RotationSchedule.decide(new RotationSchedule.Input(
                    current, anchorIntact, spec.audiences(), spec.period(), spec.overlap(), request, now));
            long deliveredBefore = delivery.map(DeliverySecrets::recordedGeneration).orElse(0L);
            if (decision.isPresent()) {
                current = Optional.of(mint(spec, account, delivery, current, decision.get(), request));
            } else {
                repairDelivery(spec, delivery.orElseThrow());
            }
            CurrentToken token = current.orElseThrow();
            MDC.put("generation", Long.toString(token.generation()));
            Optional<Instant> overlapEnds = retireAnchors(spec, token, deliveredBefore);
            deleteStrayDeliveries(spec);
            if (!scopeChanges.isEmpty() && decision.map(d -> d.trigger() != RotationTrigger.TokenMissing).orElse(true)) {
                events.normal(b, "ScopeUpdated", "RBAC updated in place, token unchanged: "
                        + String.join(", ", scopeChanges));
            }

            Instant next = RotationSchedule.nextRotation(token, spec.period(), spec.overlap(), request);
            String message = "Token generation " + token.generation() + " is in Secret " + spec.tokenSecretName()
                    + ", valid until " + Times.format(token.expiresAt()) + "; next rotation at " + Times.format(next);
            var draft = new StatusBuilder.Draft(Phase.Active, conditions(true, Conditions.TOKEN_ISSUED, message, guards),
                    name, spec.tokenSecretName(), verdict.policy(), spec.expiry(), Optional.of(token),
                    OptionalLong.of(token.generation()), Optional.of(next), Optional.empty(), Optional.empty());
            return finish(draft, earliest(Optional.of(next), overlapEnds, expiryWake));
        }

        ServiceAccount ensureServiceAccount() {
            ServiceAccount desired = DesiredResources.serviceAccount(b);
            return ensure(ServiceAccount.class, desired, sa,
                    (have, want) -> Boolean.FALSE.equals(have.getAutomountServiceAccountToken()),
                    (have, want) -> {
                        have.setAutomountServiceAccountToken(false);
                        return have;
                    }, null);
        }

        void ensureRbac(EffectiveSpec spec) {
            List<Role> wantRoles = DesiredResources.roles(b, spec);
            List<RoleBinding> wantBindings = DesiredResources.roleBindings(b, spec);
            // Narrowing first: what the scope no longer names goes before anything new is granted.
            for (RoleBinding rb : ours(roleBindings).toList()) {
                if (wantBindings.stream().noneMatch(w -> sameName(w, rb)) && deleteOurs(rb)) {
                    scopeChanges.add("deleted RoleBinding " + rb.getMetadata().getName());
                }
            }
            for (Role r : ours(roles).toList()) {
                if (wantRoles.stream().noneMatch(w -> sameName(w, r)) && deleteOurs(r)) {
                    scopeChanges.add("deleted Role " + r.getMetadata().getName());
                }
            }
            for (Role want : wantRoles) {
                ensure(Role.class, want, byName(roles, want),
                        (have, w) -> DesiredResources.sameRules(have.getRules(), w.getRules()),
                        (have, w) -> {
                            have.setRules(w.getRules());
                            return have;
                        }, "Role");
            }
            for (RoleBinding want : wantBindings) {
                Optional<RoleBinding> have = byName(roleBindings, want);
                if (have.isPresent() && Ownership.of(have.get(), b) == Ownership.OURS
                        && !Objects.equals(have.get().getRoleRef(), want.getRoleRef())) {
                    // roleRef is immutable: replace the binding.
                    deleteOurs(have.get());
                    have = Optional.empty();
                }
                ensure(RoleBinding.class, want, have,
                        (h, w) -> DesiredResources.sameSubjects(h.getSubjects(), w.getSubjects()),
                        (h, w) -> {
                            h.setSubjects(w.getSubjects());
                            return h;
                        }, "RoleBinding");
            }
        }

        /**
         * Makes an object Mandate owns look as desired: create it if absent, update what differs
         * (keeping labels and annotations others added), never touch one owned by someone else.
         */
        <R extends HasMetadata> R ensure(Class<R> type, R desired, Optional<R> observed, BiPredicate<R, R> sameContent,
                BinaryOperator<R> merge, String changeLabel) {
            R have = observed.orElse(null);
            if (have == null) {
                try {
                    R created = api.create(desired);
                    if (changeLabel != null) {
                        scopeChanges.add("created " + changeLabel + " " + desired.getMetadata().getName());
                    }
                    return created;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                        throw e;
                    }
                    have = api.read(type, ns, desired.getMetadata().getName()).orElseThrow(() -> e);
                }
            }
            Ownership ownership = Ownership.of(have, b);
            if (ownership != Ownership.OURS) {
                throw new BlockedException(conflict(desired.getKind(), desired.getMetadata().getName(), ownership));
            }
            if (sameContent.test(have, desired) && carries(have, desired)) {
                return have;
            }
            R merged = merge.apply(clone(have), desired);
            Map<String, String> labels = new HashMap<>(orEmpty(merged.getMetadata().getLabels()));
            labels.putAll(desired.getMetadata().getLabels());
            merged.getMetadata().setLabels(labels);
            if (Ownership.of(merged, b) != Ownership.OURS) {
                List<OwnerReference> refs = new ArrayList<>(merged.getMetadata().getOwnerReferences());
                refs.add(ownerRef);
                merged.getMetadata().setOwnerReferences(refs);
            }
            R updated = api.update(merged);
            if (changeLabel != null) {
                scopeChanges.add("updated " + changeLabel + " " + desired.getMetadata().getName());
            }
            return updated;
        }

        boolean carries(HasMetadata have, HasMetadata desired) {
            Map<String, String> labels = orEmpty(have.getMetadata().getLabels());
            return desired.getMetadata().getLabels().entrySet().stream()
                    .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        }

        Optional<Secret> deliveryFor(EffectiveSpec spec) {
            Optional<Secret> cached = deliveries.stream()
                    .filter(s -> s.getMetadata().getName().equals(spec.tokenSecretName())).findFirst();
            if (cached.isPresent()) {
                Ownership o = Ownership.of(cached.get(), b);
                if (o != Ownership.OURS) {
                    throw new BlockedException(conflict("Secret", spec.tokenSecretName(), o));
                }
                return cached;
            }
            // Not in the cache: make sure the name is free before a token is minted for it.
            Optional<Secret> fresh = api.readSecret(ns, spec.tokenSecretName());
            if (fresh.isPresent()) {
                Ownership o = Ownership.of(fresh.get(), b);
                if (o != Ownership.OURS) {
                    throw new BlockedException(conflict("Secret", spec.tokenSecretName(), o));
                }
            }
            return fresh;
        }

        Optional<Secret> anchorOf(long generation) {
            return ours(anchors).filter(a -> AnchorSecrets.generation(a).orElse(-1) == generation).findFirst();
        }

        Optional<RotationRequest> rotationRequest() {
            Map<String, String> ann = b.getMetadata().getAnnotations();
            return ann == null ? Optional.empty() : RotationRequest.of(ann.get(Metadata.ROTATE_REQUESTED_AT));
        }

        CurrentToken mint(EffectiveSpec spec, ServiceAccount account, Optional<Secret> delivery,
                Optional<CurrentToken> previous, RotationSchedule.Decision decision, Optional<RotationRequest> request) {
            long generation = nextGeneration(delivery);
            MDC.put("generation", Long.toString(generation));
            try {
                Secret anchor = createAnchor(spec, generation, account);
                TokenRequest tokenRequest = new TokenRequestBuilder()
                        .withNewSpec()
                        .withAudiences(spec.audiences())
                        .withExpirationSeconds(spec.tokenLifetime().toSeconds())
                        .withNewBoundObjectRef("v1", "Secret", anchor.getMetadata().getName(),
                                anchor.getMetadata().getUid())
                        .endSpec()
                        .build();
                Instant started = clock.instant();
                TokenRequest response = api.requestToken(ns, account.getMetadata().getName(), tokenRequest);
                Duration took = Duration.between(started, clock.instant());
                String token = response.getStatus() == null ? null : response.getStatus().getToken();
                if (token == null || token.isBlank()) {
                    throw new KubernetesClientException("the TokenRequest API returned no token");
                }
                Instant expires = Times.truncate(Times.parse(response.getStatus().getExpirationTimestamp()));
                // Any new token satisfies a rotation request whose time has come.
                Optional<String> honored = request.filter(r -> !r.at().isAfter(now)).map(RotationRequest::value);
                CurrentToken minted = new CurrentToken(generation, Times.truncate(now), expires, spec.audiences(), honored);
                deliver(spec, delivery, token, minted);
                Instant done = clock.instant();
                telemetry.tokenIssued(b, decision.trigger(), decision.dueAt(), done, took);
                String shortened = expires.isBefore(minted.issuedAt().plus(spec.tokenLifetime()))
                        ? " (the API server shortened it from " + dev.mandate.token.Durations.format(spec.tokenLifetime()) + ")"
                        : "";
                if (previous.isEmpty()) {
                    events.normal(b, "Issued", "Issued token generation " + generation + " into Secret "
                            + spec.tokenSecretName() + ", valid until " + Times.format(expires) + shortened
                            + " (" + decision.trigger() + ": " + decision.message() + ")");
                } else {
                    events.normal(b, "Rotated", "Rotated to token generation " + generation + ", valid until "
                            + Times.format(expires) + shortened + "; generation " + previous.get().generation()
                            + " stays valid for the " + dev.mandate.token.Durations.format(spec.overlap())
                            + " overlap (" + decision.trigger() + ": " + decision.message() + ")");
                }
                LOG.infof("token generation %d delivered to Secret %s (%s), valid until %s", generation,
                        spec.tokenSecretName(), decision.trigger(), Times.format(expires));
                return minted;
            } catch (StaleView | BlockedException e) {
                throw e;
            } catch (RuntimeException e) {
                telemetry.tokenIssueFailed(b, decision.trigger());
                throw e;
            }
        }

        long nextGeneration(Optional<Secret> delivery) {
            long max = delivery.map(DeliverySecrets::recordedGeneration).orElse(0L);
            for (Secret a : anchors) {
                max = Math.max(max, AnchorSecrets.generation(a).orElse(0));
            }
            for (Secret d : deliveries) {
                max = Math.max(max, DeliverySecrets.recordedGeneration(d));
            }
            if (b.getStatus() != null && b.getStatus().getToken() != null && b.getStatus().getToken().getGeneration() != null) {
                max = Math.max(max, b.getStatus().getToken().getGeneration());
            }
            return max + 1;
        }

        Secret createAnchor(EffectiveSpec spec, long generation, ServiceAccount account) {
            Secret desired = AnchorSecrets.desired(ns, name, generation, account.getMetadata().getUid(), ownerRef);
            try {
                return api.create(desired);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
            // The anchor exists although the cache did not show it: the cache lags, or an earlier
            // run stopped between creating the anchor and delivering its token.
            Secret existing = api.readSecret(ns, desired.getMetadata().getName())
                    .orElseThrow(() -> new StaleView("anchor " + desired.getMetadata().getName() + " vanished"));
            Ownership o = Ownership.of(existing, b);
            if (o != Ownership.OURS) {
                throw new BlockedException(conflict("Secret", desired.getMetadata().getName(), o));
            }
            long delivered = api.readSecret(ns, spec.tokenSecretName())
                    .map(DeliverySecrets::recordedGeneration).orElse(0L);
            if (delivered >= generation
                    || !Objects.equals(AnchorSecrets.serviceAccountUid(existing), account.getMetadata().getUid())) {
                throw new StaleView("token generation " + generation + " already exists");
            }
            return existing;
        }

        void deliver(EffectiveSpec spec, Optional<Secret> observed, String token, CurrentToken minted) {
            Map<String, String> data = DeliverySecrets.data(token, ns, name, endpoint.get());
            Map<String, String> annotations = DeliverySecrets.annotations(minted);
            if (observed.isEmpty()) {
                api.create(new SecretBuilder()
                        .withNewMetadata()
                        .withName(spec.tokenSecretName())
                        .withNamespace(ns)
                        .withLabels(DesiredResources.labels(b, Metadata.COMPONENT_DELIVERY))
                        .withAnnotations(annotations)
                        .withOwnerReferences(ownerRef)
                        .endMetadata()
                        .withType("Opaque")
                        .withData(data)
                        .build());
                return;
            }
            Secret updated = clone(observed.get());
            Map<String, String> ann = new HashMap<>(orEmpty(updated.getMetadata().getAnnotations()));
            ann.putAll(annotations);
            updated.getMetadata().setAnnotations(ann);
            updated.setData(data);
            api.update(updated);
        }

        /** Keeps ca.crt, namespace and kubeconfig true to the operator's settings without minting. */
        void repairDelivery(EffectiveSpec spec, Secret delivery) {
            String token = DeliverySecrets.token(delivery).orElseThrow();
            Map<String, String> want = DeliverySecrets.data(token, ns, name, endpoint.get());
            if (DeliverySecrets.sameData(delivery.getData(), want)) {
                return;
            }
            Secret updated = clone(delivery);
            updated.setData(want);
            api.update(updated);
            LOG.infof("rewrote ca.crt/namespace/kubeconfig of Secret %s (token unchanged)", spec.tokenSecretName());
        }

        /**
         * Deletes anchors of older generations once the overlap after the current token's issue has
         * passed, and at once the anchors of generations that were never delivered (newer than what
         * the delivery Secret held before this run, or newer than what it holds now).
         *
         * @return when the overlap ends, if older anchors are still waiting for it
         */
        Optional<Instant> retireAnchors(EffectiveSpec spec, CurrentToken current, long deliveredBefore) {
            Instant overlapEnds = current.issuedAt().plus(spec.overlap());
            boolean waiting = false;
            List<Long> retired = new ArrayList<>();
            for (Secret a : ours(anchors).toList()) {
                OptionalLong g = AnchorSecrets.generation(a);
                if (g.isPresent() && g.getAsLong() == current.generation()) {
                    continue;
                }
                boolean neverDelivered = g.isPresent() && g.getAsLong() < current.generation()
                        && g.getAsLong() > deliveredBefore;
                if (g.isPresent() && g.getAsLong() < current.generation() && !neverDelivered
                        && now.isBefore(overlapEnds)) {
                    waiting = true;
                    continue;
                }
                if (g.isPresent() && g.getAsLong() > current.generation()) {
                    // Never delivered, as far as the cache knows; the server has the last word.
                    long delivered = api.readSecret(ns, spec.tokenSecretName())
                            .map(DeliverySecrets::recordedGeneration).orElse(0L);
                    if (delivered >= g.getAsLong()) {
                        throw new StaleView("generation " + g.getAsLong() + " was delivered meanwhile");
                    }
                }
                if (deleteOurs(a)) {
                    retired.add(g.orElse(-1));
                }
            }
            if (!retired.isEmpty()) {
                events.normal(b, "TokenRetired", "Deleted the anchor of token generation"
                        + (retired.size() == 1 ? " " : "s ") + retired.stream().map(String::valueOf)
                                .reduce((x, y) -> x + ", " + y).orElse("")
                        + ": the API server no longer accepts " + (retired.size() == 1 ? "that token" : "those tokens"));
            }
            return waiting ? Optional.of(overlapEnds) : Optional.empty();
        }

        /** A delivery Secret left under a previous spec.tokenSecretName. */
        void deleteStrayDeliveries(EffectiveSpec spec) {
            ours(deliveries).filter(d -> !d.getMetadata().getName().equals(spec.tokenSecretName()))
                    .forEach(this::deleteOurs);
        }

        // ------------------------------------------------------------------------------ status

        List<ConditionDraft> conditions(boolean ready, String reason, String message, List<ConditionDraft> guards) {
            List<ConditionDraft> all = new ArrayList<>();
            all.add(new ConditionDraft(Conditions.READY, ready, reason, message));
            all.addAll(guards);
            return all;
        }

        ConditionDraft scopeCondition(PolicyVerdict v) {
            return new ConditionDraft(Conditions.SCOPE_ALLOWED, v.allowed(), v.reason(), v.message());
        }

        ConditionDraft ownerCondition(OwnerState o) {
            String owner = b.getSpec() == null ? null : b.getSpec().getOwner();
            return switch (o.status()) {
                case ACTIVE -> new ConditionDraft(Conditions.OWNER_ACTIVE, true, Conditions.OWNER_IS_ACTIVE,
                        "AgentOwner " + owner + " is active");
                case DEPARTED -> new ConditionDraft(Conditions.OWNER_ACTIVE, false,
                        RevocationCause.OwnerDeparted.name(), "AgentOwner " + owner + " has departed"
                                + o.departedAt().map(t -> " (" + Times.format(t) + ")").orElse(""));
                case UNKNOWN -> new ConditionDraft(Conditions.OWNER_ACTIVE, false,
                        RevocationCause.OwnerUnknown.name(), "AgentOwner " + owner + " does not exist");
            };
        }

        OptionalLong lastGeneration() {
            long max = 0;
            for (Secret d : deliveries) {
                max = Math.max(max, DeliverySecrets.recordedGeneration(d));
            }
            for (Secret a : anchors) {
                max = Math.max(max, AnchorSecrets.generation(a).orElse(0));
            }
            if (b.getStatus() != null && b.getStatus().getToken() != null && b.getStatus().getToken().getGeneration() != null) {
                max = Math.max(max, b.getStatus().getToken().getGeneration());
            }
            return max == 0 ? OptionalLong.empty() : OptionalLong.of(max);
        }

        String tokenSecretName() {
            return TokenSecrets.tokenSecretName(b);
        }

        /** Builds the status and emits an Event when the Ready condition turns to a new problem. */
        Outcome finish(StatusBuilder.Draft draft, Optional<Instant> wakeAt) {
            AgentBindingStatus status = StatusBuilder.build(b, draft, now);
            ConditionDraft ready = draft.conditions().get(0);
            Optional<io.fabric8.kubernetes.api.model.Condition> before = Optional.ofNullable(b.getStatus())
                    .flatMap(s -> s.condition(Conditions.READY));
            boolean changed = before.isEmpty() || !ready.reason().equals(before.get().getReason())
                    || (!ready.status() && !ready.message().equals(before.get().getMessage()));
            // The Revoked event already says why; Expiring is followed by it within seconds.
            boolean said = revokedEvent || Conditions.EXPIRING.equals(ready.reason());
            if (changed && !ready.status() && !said) {
                if (isRoutine(ready.reason())) {
                    events.normal(b, ready.reason(), ready.message());
                } else {
                    events.warning(b, ready.reason(), ready.message());
                }
            }
            return new Outcome(status, wakeAt);
        }

        boolean isRoutine(String reason) {
            return reason.equals(RevocationCause.Expired.name()) || reason.equals(RevocationCause.Suspended.name())
                    || reason.equals(Conditions.WAITING_FOR_CLEANUP);
        }

        @SuppressWarnings("unchecked")
        <R extends HasMetadata> R clone(R o) {
            return (R) api.kubernetes().getKubernetesSerialization().clone(o);
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    /** Deletions go in name order, so that the audit log of a revocation reads the same every time. */
    static final Comparator<HasMetadata> BY_NAME = Comparator.comparing(o -> o.getMetadata().getName());

    static String summary(List<SpecProblem> problems) {
        return "Invalid spec: " + String.join("; ", problems.stream().map(SpecProblem::toString).toList());
    }

    static <R extends HasMetadata> Optional<R> byName(List<R> objects, HasMetadata like) {
        return objects.stream().filter(o -> sameName(o, like)).findFirst();
    }

    static boolean sameName(HasMetadata a, HasMetadata b) {
        return a.getMetadata().getName().equals(b.getMetadata().getName());
    }

    static String label(HasMetadata o, String key) {
        Map<String, String> l = o.getMetadata().getLabels();
        return l == null ? null : l.get(key);
    }

    static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    @SafeVarargs
    static Optional<Instant> earliest(Optional<Instant>... candidates) {
        return Stream.of(candidates).flatMap(Optional::stream).min(Comparator.naturalOrder());
    }
}
