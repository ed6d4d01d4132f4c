package dev.mandate.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "2027-01-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "2027-01-01t00:00:00z, 2027-01-01T00:00:00Z",
            "2027-01-01T01:00:00+01:00, 2027-01-01T00:00:00Z",
            "2027-01-01T00:00:00.999Z, 2027-01-01T00:00:00Z",
    })
    void readsRfc3339AndStoresUtcWholeSeconds(String in, String stored) {
        assertEquals(stored, Times.format(Times.parse(in)));
    }

    @ParameterizedTest
    @CsvSource({"2027-01-01", "tomorrow", "2027-13-01T00:00:00Z", "2027-01-01T00:00:00"})
    void rejectsWhatIsNotAnRfc3339Time(String in) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Times.parse(in));
        assertTrue(e.getMessage().contains("RFC 3339"), e.getMessage());
        assertTrue(Times.tryParse(in).isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"2026-11-29T10:00:00.400Z, 2026-11-29T10:00:00Z"})
    void truncatesToWholeSeconds(String in, String out) {
        assertEquals(Instant.parse(out), Times.truncate(Instant.parse(in)));
    }
}
