package dev.mandate.time;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations ({@code 90s}, {@code 15m}, {@code 1h30m}, {@code 1.5h}), as cert-manager uses them. */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile(dev.mandate.api.v1alpha1.Patterns.DURATION);
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|h|m|s)");
    /** Go's own limit: a duration is an int64 count of nanoseconds (about 292 years). */
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * Parses a Go duration.
     *
     * @throws IllegalArgumentException with a message a human can act on
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty; expected a duration such as 90s, 15m, 1h30m or 720h");
        }
        if (text.length() > 32 || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("\"" + abbreviate(text)
                    + "\" is not a duration; expected a number and a unit (h, m, s, ms), e.g. 90s, 15m, 1h30m, 720h");
        }
        Matcher m = PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        while (m.find()) {
            BigDecimal value = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                default -> 1_000_000L;
            };
            nanos = nanos.add(value.multiply(BigDecimal.valueOf(unit)));
            if (nanos.compareTo(MAX_NANOS) > 0) {
                throw new IllegalArgumentException("\"" + text + "\" is too long; durations are limited to about 292 years (2562047h)");
            }
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** Formats a duration the way Go prints it, to whole seconds: {@code 1h30m0s} becomes {@code 1h30m}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        if (s < 0) {
            b.append('-');
            s = -s;
        }
        long h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (sec > 0) {
            b.append(sec).append('s');
        }
        return b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
