package dev.mandate.owner;

import dev.mandate.api.v1alpha1.AgentOwner;
import java.util.Optional;

/** What an owner lookup reads from the cluster (from the operator's caches). */
public interface OwnerFacts {

    Optional<AgentOwner> owner(String name);
}
