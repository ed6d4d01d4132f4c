package dev.mandate.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} is {1} seconds")
    @CsvSource({
            "90s, 90",
            "15m, 900",
            "1h30m, 5400",
            "720h, 2592000",
            "1.5h, 5400",
            "1h0m30s, 3630",
            "1500ms, 1",
            "0s, 0",
    })
    void parsesGoDurations(String text, long seconds) {
        assertEquals(seconds, Durations.parse(text).getSeconds());
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"", "1", "1d", "h", "-1h", "1h 30m", "1H", "P1D", "1.h", "1e3s", "١h"})
    void rejectsWhatGoWouldNotParseOrWhatMandateDoesNotAccept(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("duration"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} overflows")
    @ValueSource(strings = {"2562048h", "99999999999999999999h", "9223372036854775808ms"})
    void rejectsDurationsBeyondGosLimitInsteadOfWrappingAround(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("292 years") || e.getMessage().contains("not a duration"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}s prints as {1}")
    @CsvSource({"0, 0s", "59, 59s", "60, 1m", "3900, 1h5m", "5430, 1h30m30s", "2592000, 720h"})
    void formatsLikeGoWithoutZeroUnits(long seconds, String text) {
        assertEquals(text, Durations.format(Duration.ofSeconds(seconds)));
    }
}
