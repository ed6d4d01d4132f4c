package dev.mandate.binding;

import static dev.mandate.testing.Fixtures.binding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.binding.StatusBuilder.ConditionDraft;
import dev.mandate.token.CurrentToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {

    static final Instant T0 = Instant.parse("2026-11-29T10:00:00.750Z");

    static StatusBuilder.Draft draft(boolean ready, String reason) {
        CurrentToken t = new CurrentToken(3, T0, T0.plusSeconds(3900), List.of());
        return new StatusBuilder.Draft(ready ? Phase.Active : Phase.Suspended,
                List.of(new ConditionDraft(Conditions.READY, ready, reason, "m"),
                        new ConditionDraft(Conditions.OWNER_ACTIVE, true, "OwnerActive", "alice")),
                "support-bot", "support-bot-token", Optional.empty(), Optional.of(T0.plusSeconds(86400)),
                ready ? Optional.of(t) : Optional.empty(), OptionalLong.of(3),
                ready ? Optional.of(T0.plusSeconds(3600)) : Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    static AgentBinding withGeneration(long g, AgentBindingStatus previous) {
        AgentBinding b = binding("support", "support-bot");
        b.getMetadata().setGeneration(g);
        b.setStatus(previous);
        return b;
    }

    @Test
    void timesAreStoredInWholeSecondsAndObservedGenerationIsAlwaysSet() {
        AgentBindingStatus s = StatusBuilder.build(withGeneration(4, null), draft(true, "TokenIssued"), T0);
        assertEquals(4L, s.getObservedGeneration());
        assertEquals("2026-11-29T10:00:00Z", s.getToken().getIssuedAt());
        assertEquals("2026-11-29T11:00:00Z", s.getNextRotationAt());
        assertEquals("2026-11-29T10:00:00Z", s.condition(Conditions.READY).orElseThrow().getLastTransitionTime());
        assertEquals(4L, s.condition(Conditions.READY).orElseThrow().getObservedGeneration());
    }

    @Test
    void aConditionKeepsItsTransitionTimeUntilItsStatusChanges() {
        AgentBindingStatus first = StatusBuilder.build(withGeneration(1, null), draft(true, "TokenIssued"), T0);
        AgentBindingStatus later = StatusBuilder.build(withGeneration(2, first), draft(true, "TokenIssued"),
                T0.plusSeconds(600));
        assertEquals("2026-11-29T10:00:00Z", later.condition(Conditions.READY).orElseThrow().getLastTransitionTime());
        AgentBindingStatus flipped = StatusBuilder.build(withGeneration(3, later), draft(false, "Suspended"),
                T0.plusSeconds(1200));
        assertEquals("2026-11-29T10:20:00Z", flipped.condition(Conditions.READY).orElseThrow().getLastTransitionTime());
        assertEquals("2026-11-29T10:00:00Z", flipped.condition(Conditions.OWNER_ACTIVE).orElseThrow().getLastTransitionTime());
    }

    @Test
    void aRevokedBindingKeepsItsTokenGenerationAndLastRotationButNoLiveTokenFacts() {
        AgentBindingStatus active = StatusBuilder.build(withGeneration(1, null), draft(true, "TokenIssued"), T0);
        AgentBindingStatus revoked = StatusBuilder.build(withGeneration(2, active), draft(false, "Suspended"),
                T0.plusSeconds(60));
        assertEquals(3L, revoked.getToken().getGeneration());
        assertNull(revoked.getToken().getExpiresAt());
        assertNull(revoked.getNextRotationAt());
        assertEquals(active.getLastRotationAt(), revoked.getLastRotationAt());
    }

    @Test
    void theSameFactsMakeTheSameStatusSoNothingIsWritten() {
        AgentBindingStatus a = StatusBuilder.build(withGeneration(1, null), draft(true, "TokenIssued"), T0);
        AgentBindingStatus b = StatusBuilder.build(withGeneration(1, a), draft(true, "TokenIssued"), T0.plusSeconds(30));
        assertTrue(StatusBuilder.same(a, b));
        AgentBindingStatus c = StatusBuilder.build(withGeneration(2, a), draft(true, "TokenIssued"), T0.plusSeconds(30));
        assertFalse(StatusBuilder.same(a, c), "observedGeneration moved");
        assertFalse(StatusBuilder.same(null, a));
        assertTrue(StatusBuilder.same(null, null));
    }
}
