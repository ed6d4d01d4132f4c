package dev.mandate.binding.revocation;

import static dev.mandate.testing.Fixtures.binding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.owner.OwnerState;
import dev.mandate.policy.PolicyVerdict;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RevocationPoliciesTest {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final PolicyVerdict ALLOWED = PolicyVerdict.allow("support-agents", true, "ok");
    static final PolicyVerdict ALLOWED_NO_OWNER_NEEDED = PolicyVerdict.allow("lab", false, "ok");

    static Optional<RevocationCause> cause(AgentBinding b, Optional<Instant> expiry, OwnerState owner, PolicyVerdict v) {
        return RevocationPolicies.first(new RevocationPolicies.Input(b, expiry, owner, v, NOW)).map(Revocation::cause);
    }

    static AgentBinding suspended() {
        AgentBinding b = binding("support", "support-bot");
        b.getSpec().setSuspended(true);
        return b;
    }

    @Test
    void anActiveBindingWithinItsLifetimeIsNotRevoked() {
        assertEquals(Optional.empty(), cause(binding("s", "b"), Optional.of(NOW.plusSeconds(1)), OwnerState.active(), ALLOWED));
    }

    @Test
    void expiresAtTheExpiryInstantNotASecondLater() {
        Revocation r = RevocationPolicies.first(new RevocationPolicies.Input(binding("s", "b"), Optional.of(NOW),
                OwnerState.active(), ALLOWED, NOW)).orElseThrow();
        assertEquals(RevocationCause.Expired, r.cause());
        assertEquals(Optional.of(NOW), r.dueAt(), "the lag is measured from the expiry");
        assertTrue(r.message().contains("expired at 2026-11-29T12:00:00Z"), r.message());
    }

    @Test
    void theMostFinalCauseWins() {
        assertEquals(Optional.of(RevocationCause.Expired),
                cause(suspended(), Optional.of(NOW.minusSeconds(1)), OwnerState.departed(NOW), PolicyVerdict.deny("NoMatchingPolicy", "no")));
        assertEquals(Optional.of(RevocationCause.OwnerDeparted),
                cause(suspended(), Optional.empty(), OwnerState.departed(NOW), PolicyVerdict.deny("NoMatchingPolicy", "no")));
        assertEquals(Optional.of(RevocationCause.ScopeDenied),
                cause(suspended(), Optional.empty(), OwnerState.active(), PolicyVerdict.deny("NoMatchingPolicy", "no")));
        assertEquals(Optional.of(RevocationCause.Suspended),
                cause(suspended(), Optional.empty(), OwnerState.active(), ALLOWED));
    }

    @Test
    void anUnknownOwnerRevokesOnlyWhereThePolicyRequiresAnActiveOwner() {
        assertEquals(Optional.of(RevocationCause.OwnerUnknown),
                cause(binding("s", "b"), Optional.empty(), OwnerState.unknown(), ALLOWED));
        assertEquals(Optional.empty(),
                cause(binding("s", "b"), Optional.empty(), OwnerState.unknown(), ALLOWED_NO_OWNER_NEEDED));
    }

    @Test
    void aDepartedOwnersDepartureTimeIsTheDueTime() {
        Instant left = NOW.minusSeconds(30);
        Revocation r = RevocationPolicies.first(new RevocationPolicies.Input(binding("s", "b"), Optional.empty(),
                OwnerState.departed(left), ALLOWED, NOW)).orElseThrow();
        assertEquals(Optional.of(left), r.dueAt());
        assertTrue(r.message().contains("AgentOwner alice has departed"), r.message());
    }
}
