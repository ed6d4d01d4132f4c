package dev.mandate.binding.revocation;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.ConditionTypes;
import dev.mandate.owner.OwnerState;
import dev.mandate.time.Times;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When an owner that cannot be found has departed. An AgentOwner that is deleted leaves no trace
 * but the bindings that named it: a binding whose status (for its current generation) knew the
 * owner as active, or had already seen it depart, lost an owner that existed, and that is a
 * departure ({@code OwnerDeparted}), not an owner that never existed ({@code OwnerUnknown}). Pure.
 */
public final class OwnerDeparture {

    private OwnerDeparture() {
    }

    /**
     * @param looked what the owner directory says now
     * @param now    when this is decided (the departure time, when no earlier one is recorded)
     */
    public static OwnerState effective(OwnerState looked, AgentBinding binding, Instant now) {
        if (looked.status() != OwnerState.Status.UNKNOWN || binding.getStatus() == null) {
            return looked;
        }
        boolean knewIt = binding.getStatus().condition(ConditionTypes.OWNER_ACTIVE)
                .filter(c -> Objects.equals(c.getObservedGeneration(), binding.getMetadata().getGeneration()))
                .filter(c -> "True".equals(c.getStatus()) || RevocationCause.OwnerDeparted.name().equals(c.getReason()))
                .isPresent();
        return knewIt ? OwnerState.departed(Optional.ofNullable(binding.getStatus().getRevokedAt())
                .flatMap(Times::tryParse).orElse(now)) : looked;
    }
}
