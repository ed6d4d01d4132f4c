package dev.mandate.token;

import java.time.Instant;
import java.util.List;

/** What the delivery Secret says about the token it holds (never the token itself). */
public record CurrentToken(long generation, Instant issuedAt, Instant expiresAt, List<String> audiences) {
}
