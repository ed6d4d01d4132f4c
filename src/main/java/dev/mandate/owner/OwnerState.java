package dev.mandate.owner;

import java.time.Instant;
import java.util.Optional;

/** What Mandate knows about the AgentOwner a binding names. */
public record OwnerState(Status status, Optional<Instant> departedAt) {

    public enum Status {
        ACTIVE, DEPARTED, UNKNOWN
    }

    public static OwnerState active() {
        return new OwnerState(Status.ACTIVE, Optional.empty());
    }

    public static OwnerState departed(Instant at) {
        return new OwnerState(Status.DEPARTED, Optional.ofNullable(at));
    }

    public static OwnerState unknown() {
        return new OwnerState(Status.UNKNOWN, Optional.empty());
    }
}
