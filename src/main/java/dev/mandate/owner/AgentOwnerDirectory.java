package dev.mandate.owner;

import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.token.Times;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Owners are AgentOwner objects: active unless {@code spec.active} is false; unknown if absent. */
@ApplicationScoped
public class AgentOwnerDirectory implements OwnerDirectory {

    @Override
    public OwnerState lookup(String ownerName, OwnerFacts facts) {
        Optional<AgentOwner> owner = ownerName == null ? Optional.empty() : facts.owner(ownerName);
        if (owner.isEmpty()) {
            return OwnerState.unknown();
        }
        if (owner.get().getSpec() == null || !Boolean.FALSE.equals(owner.get().getSpec().getActive())) {
            return OwnerState.active();
        }
        return OwnerState.departed(Optional.ofNullable(owner.get().getStatus())
                .flatMap(s -> Times.tryParse(s.getDepartedAt())).orElse(null));
    }
}
