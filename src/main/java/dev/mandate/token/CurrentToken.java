package dev.mandate.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the delivery Secret says about the token it holds (never the token itself).
 *
 * @param honoredRequest the rotate-requested-at value this token was minted for, if any
 */
public record CurrentToken(long generation, Instant issuedAt, Instant expiresAt, List<String> audiences,
        Optional<String> honoredRequest) {

    public CurrentToken(long generation, Instant issuedAt, Instant expiresAt, List<String> audiences) {
        this(generation, issuedAt, expiresAt, audiences, Optional.empty());
    }

    /** Whether the API server still accepts the token at {@code now}: until its expiry, not after. */
    public boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
