package dev.mandate.binding.status;

import static dev.mandate.api.v1alpha1.ConditionTypes.OWNER_ACTIVE;
import static dev.mandate.api.v1alpha1.ConditionTypes.READY;
import static dev.mandate.api.v1alpha1.ConditionTypes.SCOPE_ALLOWED;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.Names;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.api.v1alpha1.Reasons;
import dev.mandate.api.v1alpha1.StatusConditions;
import dev.mandate.api.v1alpha1.StatusPatch;
import dev.mandate.api.v1alpha1.TokenStatus;
import dev.mandate.binding.revocation.ExpiryPlan;
import dev.mandate.binding.revocation.Revocation;
import dev.mandate.binding.revocation.RevocationCause;
import dev.mandate.owner.OwnerState;
import dev.mandate.policy.PolicyVerdict;
import dev.mandate.spec.SpecProblem;
import dev.mandate.spec.SpecReader;
import dev.mandate.time.Times;
import dev.mandate.token.CurrentToken;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The status a binding should have, one factory per situation. Each builds the whole status:
 * conditions keep their {@code lastTransitionTime} while their status does not change, times are
 * whole seconds, and {@code observedGeneration} is always set (Keycloak's status aggregator). Pure.
 */
public final class Statuses {

    /**
     * What every status of a binding says besides its phase, its Ready condition and its token.
     *
     * @param now            when the reconciliation began (transition times)
     * @param lastGeneration the highest token generation ever issued, kept after a revocation
     */
    public record Facts(AgentBinding binding, Instant now, PolicyVerdict verdict, OwnerState owner,
            Optional<Instant> expiry, OptionalLong lastGeneration) {
    }

    private Statuses() {
    }

    /** The agent holds a valid token for the declared scope. */
    public static AgentBindingStatus active(Facts f, CurrentToken token, Instant nextRotation) {
        String message = "Token generation " + token.generation() + " is in Secret " + Names.tokenSecret(f.binding())
                + ", valid until " + Times.format(token.expiresAt()) + "; next rotation at " + Times.format(nextRotation);
        AgentBindingStatus s = base(f, Phase.Active, true, Reasons.TOKEN_ISSUED, message, Optional.of(token));
        s.setNextRotationAt(Times.format(nextRotation));
        return s;
    }

    /** Permissions already removed ahead of an imminent mass expiry; the token lives until the expiry itself. */
    public static AgentBindingStatus expiring(Facts f, Optional<CurrentToken> current, ExpiryPlan plan) {
        String message = "Permissions removed ahead of the expiry at " + Times.format(plan.expiry()) + ", as "
                + plan.together() + " bindings expire with it; the rest is revoked at the expiry";
        return base(f, Phase.Active, false, Reasons.EXPIRING, message, current);
    }

    /**
     * An invalid spec issues nothing new and changes nothing that exists: the current token lives
     * out its remaining lifetime, and expiry, suspension or an owner's departure still revoke it.
     */
    public static AgentBindingStatus frozen(Facts f, Optional<CurrentToken> current, List<SpecProblem> problems) {
        String message = SpecReader.Reading.summary(problems) + current
                .map(t -> ". Nothing new is issued until the spec is fixed; the current token stays valid until "
                        + Times.format(t.expiresAt()))
                .orElse(". Nothing is issued until the spec is fixed");
        return base(f, Phase.Failed, false, Reasons.INVALID_SPEC, message, current);
    }

    /**
     * A name Mandate needs is taken: {@code Pending} while garbage collection frees it
     * ({@code WaitingForCleanup}), {@code Failed} while someone else's object holds it.
     */
    public static AgentBindingStatus blocked(Facts f, String reason, String message) {
        Phase phase = Reasons.WAITING_FOR_CLEANUP.equals(reason) ? Phase.Pending : Phase.Failed;
        return base(f, phase, false, reason, message, Optional.empty());
    }

    /**
     * Revoked, or refused before anything was issued, for a cause. An invalid spec still says so
     * first ({@code InvalidSpec}): that is what a human must fix. The revocation time is the first
     * one recorded.
     */
    public static AgentBindingStatus revoked(Facts f, Revocation r, List<SpecProblem> problems) {
        AgentBindingStatus s = problems.isEmpty()
                ? base(f, r.cause().phase(), false, r.cause().name(), r.message(), Optional.empty())
                : base(f, Phase.Failed, false, Reasons.INVALID_SPEC,
                        SpecReader.Reading.summary(problems) + ". " + r.message(), Optional.empty());
        AgentBindingStatus previous = f.binding().getStatus();
        Instant revokedAt = previous != null && previous.getRevocationReason() != null
                ? Times.tryParse(previous.getRevokedAt()).orElse(f.now()) : f.now();
        s.setRevokedAt(Times.format(revokedAt));
        s.setRevocationReason(r.cause().name());
        return s;
    }

    /**
     * After an API error: nothing changes while the current token is still valid (the agent still
     * works; the retry will rotate); otherwise Ready says why nothing works ({@code IssueFailed}).
     *
     * @return empty when the status already says it
     */
    public static Optional<AgentBindingStatus> issueFailed(AgentBinding binding, String why, Instant now) {
        AgentBindingStatus status = binding.getStatus();
        boolean tokenStillValid = status != null && status.getPhase() == Phase.Active
                && recordedToken(status).filter(t -> t.validAt(now)).isPresent();
        if (tokenStillValid) {
            return Optional.empty();
        }
        AgentBindingStatus failed = status == null ? new AgentBindingStatus() : Serialization.clone(status);
        if (failed.getPhase() == null) {
            failed.setPhase(Phase.Pending);
        }
        Long generation = binding.getMetadata().getGeneration();
        failed.setObservedGeneration(generation);
        List<Condition> conditions = new ArrayList<>(failed.getConditions() == null ? List.of() : failed.getConditions());
        Optional<Condition> previous = failed.condition(READY);
        conditions.removeIf(c -> READY.equals(c.getType()));
        conditions.add(0, StatusConditions.next(previous, READY, false, Reasons.ISSUE_FAILED,
                "Retrying after an API error: " + why, generation, now));
        failed.setConditions(conditions);
        return StatusPatch.same(status, failed) ? Optional.empty() : Optional.of(failed);
    }

    /** The token a status records, if it records one with its expiry. */
    static Optional<CurrentToken> recordedToken(AgentBindingStatus s) {
        TokenStatus t = s.getToken();
        if (t == null) {
            return Optional.empty();
        }
        return Times.tryParse(t.getExpiresAt()).map(expires -> new CurrentToken(
                t.getGeneration() == null ? 0 : t.getGeneration(), Times.tryParse(t.getIssuedAt()).orElse(expires),
                expires, List.of()));
    }

    private static AgentBindingStatus base(Facts f, Phase phase, boolean ready, String reason, String message,
            Optional<CurrentToken> token) {
        AgentBinding b = f.binding();
        AgentBindingStatus previous = b.getStatus();
        AgentBindingStatus s = new AgentBindingStatus();
        s.setPhase(phase);
        s.setObservedGeneration(b.getMetadata().getGeneration());
        s.setServiceAccountName(Names.serviceAccount(b));
        s.setTokenSecretName(Names.tokenSecret(b));
        s.setPolicy(f.verdict().policy().orElse(null));
        s.setExpiresAt(f.expiry().map(Times::format).orElse(null));
        if (token.isPresent()) {
            CurrentToken t = token.get();
            s.setToken(new TokenStatus(t.generation(), Times.format(t.issuedAt()), Times.format(t.expiresAt())));
            s.setLastRotationAt(Times.format(t.issuedAt()));
        } else {
            f.lastGeneration().ifPresent(g -> s.setToken(new TokenStatus(g, null, null)));
            s.setLastRotationAt(previous == null ? null : previous.getLastRotationAt());
        }
        List<Condition> conditions = new ArrayList<>();
        for (ConditionDraft c : List.of(new ConditionDraft(READY, ready, reason, message), scope(f.verdict()),
                owner(b, f.owner()))) {
            conditions.add(StatusConditions.next(Optional.ofNullable(previous).flatMap(x -> x.condition(c.type())),
                    c.type(), c.status(), c.reason(), c.message(), b.getMetadata().getGeneration(), f.now()));
        }
        s.setConditions(conditions);
        return s;
    }

    static ConditionDraft scope(PolicyVerdict v) {
        return new ConditionDraft(SCOPE_ALLOWED, v.allowed(), v.reason(), v.message());
    }

    static ConditionDraft owner(AgentBinding b, OwnerState o) {
        String owner = b.getSpec() == null ? null : b.getSpec().getOwner();
        return switch (o.status()) {
            case ACTIVE -> new ConditionDraft(OWNER_ACTIVE, true, Reasons.OWNER_ACTIVE, "AgentOwner " + owner + " is active");
            case DEPARTED -> new ConditionDraft(OWNER_ACTIVE, false, RevocationCause.OwnerDeparted.name(),
                    "AgentOwner " + owner + " has departed" + o.departedAt().map(t -> " (" + Times.format(t) + ")").orElse(""));
            case UNKNOWN -> new ConditionDraft(OWNER_ACTIVE, false, RevocationCause.OwnerUnknown.name(),
                    "AgentOwner " + owner + " does not exist");
        };
    }
}
