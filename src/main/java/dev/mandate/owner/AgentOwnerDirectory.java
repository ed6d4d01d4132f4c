package dev.mandate.owner;

import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.time.Times;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Owners are AgentOwner objects: active unless {@code spec.active} is false; unknown if absent. */
@ApplicationScoped
public class AgentOwnerDirectory implements OwnerDirectory {

    /** An owner is active unless its spec says {@code active: false}. */
    static boolean active(AgentOwner owner) {
        return owner.getSpec() == null || !Boolean.FALSE.equals(owner.getSpec().getActive());
    }

    @Override
    public OwnerState lookup(String ownerName, OwnerFacts facts) {
        Optional<AgentOwner> owner = ownerName == null ? Optional.empty() : facts.owner(ownerName);
        if (owner.isEmpty()) {
            return OwnerState.unknown();
        }
        if (active(owner.get())) {
            return OwnerState.active();
        }
        return OwnerState.departed(Optional.ofNullable(owner.get().getStatus())
                .flatMap(s -> Times.tryParse(s.getDepartedAt())).orElse(null));
    }
}
