package dev.mandate.binding.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.ConditionTypes;
import dev.mandate.api.v1alpha1.StatusConditions;
import dev.mandate.token.CurrentToken;
import dev.mandate.token.RotationSchedule;
import dev.mandate.token.RotationTrigger;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BindingEventsTest {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    static final RotationSchedule.Decision DUE = new RotationSchedule.Decision(RotationTrigger.TokenDue,
            "token generation 6 was due for rotation at 2026-12-01T12:00:00Z", T0);

    static Condition ready(boolean status, String reason, String message) {
        return StatusConditions.next(Optional.empty(), ConditionTypes.READY, status, reason, message, 1L, T0);
    }

    @Test
    void theFirstTokenIsIssuedAndLaterOnesRotateNamingTheTriggerAndTheOverlap() {
        CurrentToken first = new CurrentToken(1, T0, T0.plus(Duration.ofMinutes(65)), List.of());
        BindingEvent issued = BindingEvents.minted(first, Optional.empty(), "support-bot-token",
                Duration.ofMinutes(65), Duration.ofMinutes(5), DUE);
        assertFalse(issued.warning());
        assertEquals("Issued", issued.reason());
        assertEquals("Issued token generation 1 into Secret support-bot-token, valid until 2026-12-01T13:05:00Z "
                + "(TokenDue: token generation 6 was due for rotation at 2026-12-01T12:00:00Z)", issued.message());

        CurrentToken seventh = new CurrentToken(7, T0, T0.plus(Duration.ofMinutes(30)), List.of());
        BindingEvent rotated = BindingEvents.minted(seventh, Optional.of(first), "support-bot-token",
                Duration.ofMinutes(65), Duration.ofMinutes(5), DUE);
        assertEquals("Rotated", rotated.reason());
        assertTrue(rotated.message().startsWith("Rotated to token generation 7, valid until 2026-12-01T12:30:00Z "
                + "(the API server shortened it from 1h5m); generation 1 stays valid for the 5m overlap (TokenDue: "),
                rotated.message());
    }

    @Test
    void retiredTokensAreCountedInTheirOwnWords() {
        assertEquals("Deleted the anchor of token generation 3: the API server no longer accepts that token",
                BindingEvents.tokenRetired(List.of(3L)).message());
        assertEquals("Deleted the anchor of token generations 3, 4: the API server no longer accepts those tokens",
                BindingEvents.tokenRetired(List.of(3L, 4L)).message());
    }

    @Test
    void aRevocationIsOneWarningThatSaysWhyAndWhatWent() {
        BindingEvent e = BindingEvents.revoked("Expired", List.of("deleted 1 Role", "deleted 2 token anchors"),
                "The binding expired.");
        assertTrue(e.warning());
        assertEquals("Revoked (Expired): permissions removed; deleted 1 Role, deleted 2 token anchors. The binding "
                + "expired.", e.message());
    }

    @ParameterizedTest(name = "{0} is a {1} Event")
    @CsvSource({"InvalidSpec, Warning", "ServiceAccountConflict, Warning", "ResourceConflict, Warning",
            "OwnerUnknown, Warning", "ScopeDenied, Warning", "IssueFailed, Warning", "Expired, Normal",
            "Suspended, Normal", "WaitingForCleanup, Normal"})
    void readyTurningToAProblemIsAnEventRoutineOnesNormal(String reason, String type) {
        Optional<BindingEvent> e = BindingEvents.readyTurned(Optional.empty(), ready(false, reason, "why"), false);
        assertEquals(reason, e.orElseThrow().reason());
        assertEquals("Warning".equals(type), e.orElseThrow().warning());
        assertEquals("why", e.orElseThrow().message());
    }

    @Test
    void theSameProblemInTheSameWordsIsSaidOnceAndInNewWordsAgain() {
        Condition before = ready(false, "InvalidSpec", "spec.ttl: is wrong");
        assertEquals(Optional.empty(), BindingEvents.readyTurned(Optional.of(before), before, false));
        assertTrue(BindingEvents.readyTurned(Optional.of(before), ready(false, "InvalidSpec", "spec.owner: is required"),
                false).isPresent());
    }

    @Test
    void noEventWhenReadyIsTrueWhenARevocationAlreadySaidItOrForExpiring() {
        assertEquals(Optional.empty(), BindingEvents.readyTurned(Optional.empty(), ready(true, "TokenIssued", "ok"), false));
        assertEquals(Optional.empty(), BindingEvents.readyTurned(Optional.empty(), ready(false, "Expired", "x"), true),
                "the Revoked Event said it");
        assertEquals(Optional.empty(), BindingEvents.readyTurned(Optional.empty(), ready(false, "Expiring", "x"), false),
                "the Revoked Event follows within seconds");
    }
}
