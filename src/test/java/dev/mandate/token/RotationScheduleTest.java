package dev.mandate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RotationScheduleTest {

    static final Instant ISSUED = Instant.parse("2026-11-29T10:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);
    static final Duration FIVE_MIN = Duration.ofMinutes(5);

    static CurrentToken token(Duration lifetime) {
        return new CurrentToken(4, ISSUED, ISSUED.plus(lifetime), List.of());
    }

    static Optional<RotationRequest> request(Instant at) {
        return Optional.of(new RotationRequest(Times.format(at), at));
    }

    static RotationSchedule.Input input(Optional<CurrentToken> t, boolean anchorIntact, Optional<Instant> requested,
            Instant now) {
        return new RotationSchedule.Input(t, anchorIntact, List.of(), HOUR, FIVE_MIN,
                requested.flatMap(RotationScheduleTest::request), now);
    }

    static Optional<RotationTrigger> trigger(RotationSchedule.Input in) {
        return RotationSchedule.decide(in).map(RotationSchedule.Decision::trigger);
    }

    @Test
    void nextRotationIsOnePeriodAfterIssue() {
        assertEquals(ISSUED.plus(HOUR), RotationSchedule.nextRotation(token(Duration.ofMinutes(65)), HOUR, FIVE_MIN,
                Optional.empty()));
    }

    @ParameterizedTest(name = "server returned {0}m: rotate after {1}m")
    @CsvSource({"65, 60", "60, 55", "30, 25", "11, 6"})
    void aServerShortenedExpiryPullsTheRotationToExpiryMinusOverlap(long lifetimeMinutes, long rotateAfterMinutes) {
        assertEquals(ISSUED.plus(Duration.ofMinutes(rotateAfterMinutes)),
                RotationSchedule.nextRotation(token(Duration.ofMinutes(lifetimeMinutes)), HOUR, FIVE_MIN, Optional.empty()));
    }

    @Test
    void aManualRequestForALaterTimeIsScheduledThen() {
        Instant requested = ISSUED.plus(Duration.ofMinutes(20));
        assertEquals(requested, RotationSchedule.nextRotation(token(Duration.ofMinutes(65)), HOUR, FIVE_MIN,
                request(requested)));
        assertEquals(ISSUED.plus(HOUR), RotationSchedule.nextRotation(token(Duration.ofMinutes(65)), HOUR, FIVE_MIN,
                request(ISSUED.minusSeconds(1))), "a request older than the token is already satisfied");
    }

    @Test
    void mintsWhenNoTokenWasDelivered() {
        assertEquals(Optional.of(RotationTrigger.TokenMissing), trigger(input(Optional.empty(), false, Optional.empty(), ISSUED)));
    }

    @Test
    void mintsWhenTheCurrentTokensAnchorIsGone() {
        var d = RotationSchedule.decide(input(Optional.of(token(Duration.ofMinutes(65))), false, Optional.empty(),
                ISSUED.plusSeconds(10))).orElseThrow();
        assertEquals(RotationTrigger.TokenMissing, d.trigger());
        assertTrue(d.message().contains("anchor of token generation 4 is gone"), d.message());
    }

    @ParameterizedTest(name = "{0}s after issue: {1}")
    @CsvSource({
            "0, none",
            "3599, none",
            "3600, TokenDue",
            "3700, TokenDue",
            "3900, TokenExpired",
            "99999, TokenExpired",
    })
    void rotatesWhenThePeriodHasPassedAndReportsAnExpiredTokenAsSuch(long secondsAfterIssue, String expected) {
        Optional<RotationTrigger> t = trigger(input(Optional.of(token(Duration.ofMinutes(65))), true, Optional.empty(),
                ISSUED.plusSeconds(secondsAfterIssue)));
        assertEquals(expected, t.map(Enum::name).orElse("none"));
    }

    @Test
    void theDueTimeOfATokenDueRotationIsTheScheduledTimeNotTheTimeItWasNoticed() {
        var d = RotationSchedule.decide(input(Optional.of(token(Duration.ofMinutes(65))), true, Optional.empty(),
                ISSUED.plus(Duration.ofMinutes(61)))).orElseThrow();
        assertEquals(ISSUED.plus(HOUR), d.dueAt(), "lag = done - due, so the due time must be the schedule's");
    }

    @ParameterizedTest(name = "requested {0}s after issue, now {1}s after: {2}")
    @CsvSource({
            "-60, 60, none",
            "0, 60, RotationRequested",
            "30, 60, RotationRequested",
            "60, 60, RotationRequested",
            "120, 60, none",
    })
    void rotatesOnARequestNewerThanTheLastRotationOnceItsTimeHasCome(long requestedAfter, long nowAfter, String expected) {
        Optional<RotationTrigger> t = trigger(input(Optional.of(token(Duration.ofMinutes(65))), true,
                Optional.of(ISSUED.plusSeconds(requestedAfter)), ISSUED.plusSeconds(nowAfter)));
        assertEquals(expected, t.map(Enum::name).orElse("none"));
    }

    @Test
    void aRequestInTheSameSecondAsTheIssueIsHonouredExactlyOnce() {
        CurrentToken fresh = token(Duration.ofMinutes(65));
        var same = new RotationSchedule.Input(Optional.of(fresh), true, List.of(), HOUR, FIVE_MIN, request(ISSUED), ISSUED);
        assertEquals(Optional.of(RotationTrigger.RotationRequested), trigger(same));
        CurrentToken rotated = new CurrentToken(5, ISSUED, ISSUED.plus(Duration.ofMinutes(65)), List.of(),
                Optional.of(Times.format(ISSUED)));
        var after = new RotationSchedule.Input(Optional.of(rotated), true, List.of(), HOUR, FIVE_MIN, request(ISSUED), ISSUED);
        assertEquals(Optional.empty(), trigger(after), "the new token records the request it satisfied");
        assertEquals(ISSUED.plus(HOUR), RotationSchedule.nextRotation(rotated, HOUR, FIVE_MIN, request(ISSUED)));
    }

    @Test
    void mintsWhenTheAudiencesChanged() {
        var in = new RotationSchedule.Input(Optional.of(token(Duration.ofMinutes(65))), true, List.of("vault"), HOUR,
                FIVE_MIN, Optional.empty(), ISSUED.plusSeconds(5));
        assertEquals(Optional.of(RotationTrigger.AudiencesChanged), trigger(in));
    }

    @Test
    void aMissingTokenOutranksEveryOtherTrigger() {
        var in = new RotationSchedule.Input(Optional.of(token(Duration.ofMinutes(65))), false, List.of("vault"), HOUR,
                FIVE_MIN, request(ISSUED.plusSeconds(1)), ISSUED.plus(Duration.ofHours(3)));
        assertEquals(Optional.of(RotationTrigger.TokenMissing), trigger(in));
    }
}
