package dev.mandate.binding;

/** Why a binding's identity is revoked. The names appear in status, Events and metrics alike. */
public enum RevocationCause {
    /** Past the earlier of creation + ttl and expiresAt. */
    Expired,
    /** The AgentOwner turned inactive or was deleted. */
    OwnerDeparted,
    /** The AgentOwner does not exist and the admitting policy requires an active owner. */
    OwnerUnknown,
    /** No AgentPolicy allows the binding's scope or lifetime (any more). */
    ScopeDenied,
    /** spec.suspended is true. */
    Suspended
}
