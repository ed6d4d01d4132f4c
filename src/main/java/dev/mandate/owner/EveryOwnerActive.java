package dev.mandate.owner;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** Treats every owner as active. Stands in until AgentOwner departure is enforced. */
@ApplicationScoped
@DefaultBean
public class EveryOwnerActive implements OwnerDirectory {

    @Override
    public OwnerState lookup(String ownerName) {
        return OwnerState.active();
    }
}
