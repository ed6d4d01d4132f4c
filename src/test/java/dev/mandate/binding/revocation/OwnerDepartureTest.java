package dev.mandate.binding.revocation;

import static dev.mandate.testing.Fixtures.binding;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.ConditionTypes;
import dev.mandate.api.v1alpha1.StatusConditions;
import dev.mandate.owner.OwnerState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OwnerDepartureTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    /** A binding at generation 2 whose status says the owner condition was as given, for {@code seenAt}. */
    static AgentBinding knowing(boolean active, String reason, long seenAt, String revokedAt) {
        AgentBinding b = binding("support", "support-bot");
        b.getMetadata().setGeneration(2L);
        AgentBindingStatus s = new AgentBindingStatus();
        s.setConditions(List.of(StatusConditions.next(Optional.empty(), ConditionTypes.OWNER_ACTIVE, active, reason,
                "m", seenAt, NOW.minusSeconds(600))));
        s.setRevokedAt(revokedAt);
        b.setStatus(s);
        return b;
    }

    @Test
    void anOwnerTheBindingKnewAsActiveAndThatVanishedHasDepartedNow() {
        OwnerState s = OwnerDeparture.effective(OwnerState.unknown(), knowing(true, "OwnerActive", 2, null), NOW);
        assertEquals(OwnerState.departed(NOW), s);
    }

    @Test
    void anOwnerAlreadySeenDepartingStaysDepartedSinceTheRevocation() {
        OwnerState s = OwnerDeparture.effective(OwnerState.unknown(),
                knowing(false, "OwnerDeparted", 2, "2026-12-01T11:50:00Z"), NOW);
        assertEquals(OwnerState.departed(Instant.parse("2026-12-01T11:50:00Z")), s);
    }

    @Test
    void anOwnerThatNeverExistedIsUnknown() {
        assertEquals(OwnerState.unknown(), OwnerDeparture.effective(OwnerState.unknown(),
                knowing(false, "OwnerUnknown", 2, null), NOW));
        assertEquals(OwnerState.unknown(), OwnerDeparture.effective(OwnerState.unknown(),
                binding("support", "fresh-bot"), NOW), "no status: nothing was known");
    }

    @Test
    void whatTheBindingKnewOfAnEarlierSpecDoesNotCount() {
        assertEquals(OwnerState.unknown(), OwnerDeparture.effective(OwnerState.unknown(),
                knowing(true, "OwnerActive", 1, null), NOW), "the spec changed since (perhaps to another owner)");
    }

    @Test
    void anOwnerTheDirectoryFindsIsTakenAsItIs() {
        AgentBinding b = knowing(true, "OwnerActive", 2, null);
        assertEquals(OwnerState.active(), OwnerDeparture.effective(OwnerState.active(), b, NOW));
        assertEquals(OwnerState.departed(NOW.minusSeconds(5)),
                OwnerDeparture.effective(OwnerState.departed(NOW.minusSeconds(5)), b, NOW));
    }
}
