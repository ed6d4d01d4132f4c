package dev.mandate.api.v1alpha1;

/** Where a binding is in its life; the Ready condition's reason says why. */
public enum Phase {
    /** Accepted, identity not issued yet (or waiting on a transient problem). */
    Pending,
    /** The agent holds a valid token. */
    Active,
    /** {@code spec.suspended} is true: everything revoked, binding kept. */
    Suspended,
    /** Past its ttl/expiresAt: everything revoked, binding kept. */
    Expired,
    /** Revoked for another cause (owner departed or unknown). */
    Revoked,
    /** No policy admits the binding's scope: nothing issued, or everything revoked. */
    Denied,
    /** The spec cannot be served as written (invalid spec, conflict with objects Mandate did not create). */
    Failed
}
