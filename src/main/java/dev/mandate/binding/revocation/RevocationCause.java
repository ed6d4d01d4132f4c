package dev.mandate.binding.revocation;

import dev.mandate.api.v1alpha1.Phase;

/** Why a binding's identity is revoked. The names appear in status, Events and metrics alike. */
public enum RevocationCause {
    /** Past the earlier of creation + ttl and expiresAt. */
    Expired(Phase.Expired),
    /** The AgentOwner turned inactive or was deleted. */
    OwnerDeparted(Phase.Revoked),
    /** The AgentOwner does not exist and the admitting policy requires an active owner. */
    OwnerUnknown(Phase.Revoked),
    /** No AgentPolicy allows the binding's scope or lifetime (any more). */
    ScopeDenied(Phase.Denied),
    /** spec.suspended is true. */
    Suspended(Phase.Suspended);

    private final Phase phase;

    RevocationCause(Phase phase) {
        this.phase = phase;
    }

    /** The phase a binding revoked for this cause is in. */
    public Phase phase() {
        return phase;
    }
}
