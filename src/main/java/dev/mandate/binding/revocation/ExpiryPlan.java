package dev.mandate.binding.revocation;

import java.time.Duration;
import java.time.Instant;

/**
 * When a binding's permissions end ahead of its expiry, and when to wake for it. When many bindings
 * expire at the same instant, revoking them all takes the API server time (it takes writes at a
 * finite rate), so their RoleBindings go early enough that every one of them has lost its
 * permissions by the expiry; the token and the rest go at the expiry itself. A burst of bindings is
 * seen one by one, so a binding wakes {@link #REPLAN} before it acts to count its group again.
 * Pure.
 *
 * @param expiry         the binding's expiry
 * @param together       how many bindings, this one included, expire within {@link #WINDOW} before it
 * @param permissionsEnd when its RoleBindings go
 * @param wakeAt         when to look again for the expiry: {@link #REPLAN} before the permissions
 *                       end, or when they end if that is sooner
 */
public record ExpiryPlan(Instant expiry, int together, Instant permissionsEnd, Instant wakeAt) {

    /** Bindings whose expiries lie this close before one another's are revoked as one group. */
    public static final Duration WINDOW = Duration.ofSeconds(2);
    /**
     * Writes assumed per binding for the early removal of its permissions: its RoleBindings (one or
     * two for most scopes) and the status write. A binding with more ClusterRoles costs more.
     */
    static final int UNBIND_WRITES = 3;
    /** A lead shorter than this is not worth taking: the permissions end at the expiry. */
    static final Duration MIN_LEAD = Duration.ofMillis(250);
    static final Duration MAX_LEAD = Duration.ofMinutes(5);
    /** How long before it acts on an expiry a binding wakes to count its group again. */
    public static final Duration REPLAN = Duration.ofSeconds(5);

    /**
     * @param writeRate writes per second the API server is assumed to take for revocations
     *                  ({@code mandate.revocation-write-rate})
     */
    public static ExpiryPlan of(Instant expiry, int together, double writeRate, Instant now) {
        Instant end = expiry.minus(lead(together, writeRate));
        Instant wake = now.isBefore(end.minus(REPLAN)) ? end.minus(REPLAN) : end;
        return new ExpiryPlan(expiry, together, end, wake);
    }

    /**
     * How long before the expiry the group's RoleBindings go: the time its writes take at the
     * assumed rate, plus a second, at most {@link #MAX_LEAD}. Zero when that time is under
     * {@link #MIN_LEAD}: at the default 200 writes/s, for a group of up to 16 bindings.
     */
    static Duration lead(int together, double writeRate) {
        Duration lead = Duration.ofMillis((long) Math.ceil(together * UNBIND_WRITES * 1000.0 / writeRate));
        if (lead.compareTo(MIN_LEAD) < 0) {
            return Duration.ZERO;
        }
        return lead.plusSeconds(1).compareTo(MAX_LEAD) > 0 ? MAX_LEAD : lead.plusSeconds(1);
    }

    /** Whether the permissions have ended (the RoleBindings must go now). */
    public boolean permissionsEnded(Instant now) {
        return !now.isBefore(permissionsEnd);
    }

    /** The first instant of the window of bindings that expire with this one. */
    public static Instant windowStart(Instant expiry) {
        return expiry.minus(WINDOW);
    }
}
