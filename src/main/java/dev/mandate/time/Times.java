package dev.mandate.time;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** RFC 3339 times as Mandate stores them: UTC, truncated to whole seconds (like cert-manager). */
public final class Times {

    private static final DateTimeFormatter RFC3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            .toFormatter()
            .withResolverStyle(java.time.format.ResolverStyle.STRICT);

    private Times() {
    }

    public static String format(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Parses an RFC 3339 time; throws IllegalArgumentException with a readable message. */
    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text, RFC3339).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an RFC 3339 time such as 2027-01-01T00:00:00Z");
        }
    }

    /** Parses what Mandate itself wrote; empty for a missing or unreadable value. */
    public static Optional<Instant> tryParse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }


    public static Instant truncate(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS);
    }
}
