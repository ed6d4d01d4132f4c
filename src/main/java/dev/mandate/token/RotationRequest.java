package dev.mandate.token;

import dev.mandate.time.Times;
import java.time.Instant;
import java.util.Optional;

/**
 * A manual rotation request: the {@code mandate.dev/rotate-requested-at} annotation's value and the
 * time it names. A request is honoured once: the delivery Secret records the value it satisfied.
 */
public record RotationRequest(String value, Instant at) {

    /** Reads the annotation; empty when unset or not an RFC 3339 time. */
    public static Optional<RotationRequest> of(String value) {
        return Times.tryParse(value).map(at -> new RotationRequest(value, at));
    }

    /** Whether {@code token} already satisfies this request. */
    public boolean satisfiedBy(CurrentToken token) {
        return at.isBefore(token.issuedAt()) || token.honoredRequest().filter(value::equals).isPresent();
    }
}
