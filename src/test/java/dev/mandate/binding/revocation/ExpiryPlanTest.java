package dev.mandate.binding.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpiryPlanTest {

    static final Instant EXPIRY = Instant.parse("2026-12-01T12:00:00Z");
    static final Instant LONG_BEFORE = EXPIRY.minus(Duration.ofHours(1));

    @ParameterizedTest(name = "{0} bindings at {1} writes/s: permissions end {2} ms early")
    @CsvSource({
            "1, 200, 0",         // 15 ms of writes: not worth a lead
            "16, 200, 0",        // 240 ms: still under the 250 ms threshold
            "17, 200, 1255",     // 255 ms, plus the 1 s margin
            "1000, 200, 16000",  // 15 s plus 1 s: what BENCHMARKS.md measured against
            "2, 3, 3000",        // 6 writes at 3/s: 2 s plus 1 s
            "100000, 200, 300000" // capped at 5 minutes
    })
    void permissionsEndAheadOfAMassExpiryByTheTimeTheGroupsWritesTakePlusASecond(int together, double rate,
            long leadMillis) {
        ExpiryPlan plan = ExpiryPlan.of(EXPIRY, together, rate, LONG_BEFORE);
        assertEquals(EXPIRY.minusMillis(leadMillis), plan.permissionsEnd());
        assertEquals(together, plan.together());
        assertEquals(EXPIRY, plan.expiry());
    }

    @Test
    void aBindingWakesFiveSecondsBeforeItActsToCountItsGroupAgainThenWhenItActs() {
        ExpiryPlan early = ExpiryPlan.of(EXPIRY, 1, 200, LONG_BEFORE);
        assertEquals(EXPIRY.minus(ExpiryPlan.REPLAN), early.wakeAt());
        ExpiryPlan late = ExpiryPlan.of(EXPIRY, 1, 200, EXPIRY.minus(ExpiryPlan.REPLAN));
        assertEquals(EXPIRY, late.wakeAt(), "within the re-plan window it wakes when the permissions end");
    }

    @Test
    void thePermissionsHaveEndedFromTheInstantTheyEndNotAMillisecondBefore() {
        ExpiryPlan plan = ExpiryPlan.of(EXPIRY, 2, 3, LONG_BEFORE);
        assertFalse(plan.permissionsEnded(plan.permissionsEnd().minusMillis(1)));
        assertTrue(plan.permissionsEnded(plan.permissionsEnd()));
    }

    @Test
    void theGroupIsTheBindingsExpiringInTheTwoSecondsUpToThisOne() {
        assertEquals(EXPIRY.minusSeconds(2), ExpiryPlan.windowStart(EXPIRY));
    }
}
