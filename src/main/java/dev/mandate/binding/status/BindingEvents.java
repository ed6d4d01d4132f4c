package dev.mandate.binding.status;

import dev.mandate.api.v1alpha1.Reasons;
import dev.mandate.binding.revocation.RevocationCause;
import dev.mandate.time.Durations;
import dev.mandate.time.Times;
import dev.mandate.token.CurrentToken;
import dev.mandate.token.RotationSchedule;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which Events a binding's life produces, and every word they say, in one place. An Event marks
 * an act (a token issued, rotated or retired, RBAC changed, an identity revoked, an API error) or a
 * turn of the Ready condition to a new problem; never twice for the same thing. Never token
 * material. Pure.
 */
public final class BindingEvents {

    public static final String ISSUED = "Issued";
    public static final String ROTATED = "Rotated";
    public static final String TOKEN_RETIRED = "TokenRetired";
    public static final String SCOPE_UPDATED = "ScopeUpdated";
    public static final String REVOKED = "Revoked";
    public static final String RECONCILE_FAILED = "ReconcileFailed";

    /** Ready reasons that are an expected turn of a binding's life, not a problem: Normal Events. */
    static final Set<String> ROUTINE = Set.of(RevocationCause.Expired.name(), RevocationCause.Suspended.name(),
            Reasons.WAITING_FOR_CLEANUP);

    private BindingEvents() {
    }

    /**
     * A token was minted and delivered: {@code Issued} into a Secret that held none, else
     * {@code Rotated}, saying what triggered it and whether the API server shortened it.
     *
     * @param asked the lifetime asked of TokenRequest
     */
    public static BindingEvent minted(CurrentToken minted, Optional<CurrentToken> previous, String secret,
            Duration asked, Duration overlap, RotationSchedule.Decision why) {
        String shortened = minted.expiresAt().isBefore(minted.issuedAt().plus(asked))
                ? " (the API server shortened it from " + Durations.format(asked) + ")" : "";
        String because = " (" + why.trigger() + ": " + why.message() + ")";
        if (previous.isEmpty()) {
            return BindingEvent.normal(ISSUED, "Issued token generation " + minted.generation() + " into Secret "
                    + secret + ", valid until " + Times.format(minted.expiresAt()) + shortened + because);
        }
        return BindingEvent.normal(ROTATED, "Rotated to token generation " + minted.generation() + ", valid until "
                + Times.format(minted.expiresAt()) + shortened + "; generation " + previous.get().generation()
                + " stays valid for the " + Durations.format(overlap) + " overlap" + because);
    }

    /** Anchors of earlier generations were deleted: those tokens are dead. */
    public static BindingEvent tokenRetired(List<Long> generations) {
        boolean one = generations.size() == 1;
        return BindingEvent.normal(TOKEN_RETIRED, "Deleted the anchor of token generation" + (one ? " " : "s ")
                + generations.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + ": the API server no longer accepts " + (one ? "that token" : "those tokens"));
    }

    /** RBAC followed a scope edit; the token is the same. */
    public static BindingEvent scopeUpdated(List<String> changes) {
        return BindingEvent.normal(SCOPE_UPDATED, "RBAC updated in place, token unchanged: " + String.join(", ", changes));
    }

    /**
     * The only Event of a revocation: why ({@code label}, the cause or the conflict) and what was
     * deleted. The RoleBindings usually went in a reconciliation of their own just before, so
     * "permissions removed" comes first whatever {@code done} lists.
     */
    public static BindingEvent revoked(String label, List<String> done, String why) {
        return BindingEvent.warning(REVOKED, "Revoked (" + label + "): permissions removed; " + String.join(", ", done)
                + ". " + why);
    }

    /** An API error stopped a reconciliation; said on its first attempt, not on every retry. */
    public static BindingEvent reconcileFailed(String why) {
        return BindingEvent.warning(RECONCILE_FAILED, why);
    }

    /**
     * The Event for the Ready condition a reconciliation arrived at, if it turned to a new problem
     * (a new reason, or the same problem in other words). None when Ready is True, when an Event
     * already said it ({@code alreadySaid}: a revocation's), or for {@code Expiring}, which the
     * {@code Revoked} Event follows within seconds.
     */
    public static Optional<BindingEvent> readyTurned(Optional<Condition> before, Condition ready, boolean alreadySaid) {
        boolean isTrue = "True".equals(ready.getStatus());
        boolean changed = before.isEmpty() || !ready.getReason().equals(before.get().getReason())
                || (!isTrue && !ready.getMessage().equals(before.get().getMessage()));
        if (!changed || isTrue || alreadySaid || Reasons.EXPIRING.equals(ready.getReason())) {
            return Optional.empty();
        }
        return Optional.of(ROUTINE.contains(ready.getReason()) ? BindingEvent.normal(ready.getReason(), ready.getMessage())
                : BindingEvent.warning(ready.getReason(), ready.getMessage()));
    }
}
