package dev.mandate.owner;

/** Looks up the AgentOwner a binding names. */
public interface OwnerDirectory {

    OwnerState lookup(String ownerName, OwnerFacts facts);
}
