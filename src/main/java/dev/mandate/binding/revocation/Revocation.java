package dev.mandate.binding.revocation;

import java.time.Instant;
import java.util.Optional;

/**
 * A decision to revoke.
 *
 * @param cause   why
 * @param message what a human reads in the condition and the Event
 * @param dueAt   when revocation became due (the expiry, the departure), for lag measurements
 */
public record Revocation(RevocationCause cause, String message, Optional<Instant> dueAt) {
}
