package dev.mandate.binding.cluster;

import dev.mandate.api.v1alpha1.Reasons;

/**
 * A name Mandate needs is taken by an object it must not touch: the binding cannot be served
 * until it is free. Thrown where the object is met; the reconciliation turns it into the status.
 */
public final class Blocked extends RuntimeException {

    private final String reason;
    private final Ownership ownership;

    private Blocked(String reason, String message, Ownership ownership) {
        super(message, null, false, false);
        this.reason = reason;
        this.ownership = ownership;
    }

    /** The {@code Ready} reason: WaitingForCleanup, ServiceAccountConflict or ResourceConflict. */
    public String reason() {
        return reason;
    }

    /** Whether garbage collection will free the name (objects of a deleted binding of the same name). */
    public boolean waitsForCleanup() {
        return ownership == Ownership.PREVIOUS_INCARNATION;
    }

    /** Why {@code kind} {@code name} blocks the binding, and what a human can do about it. */
    public static Blocked by(String kind, String name, Ownership ownership) {
        if (ownership == Ownership.PREVIOUS_INCARNATION) {
            return new Blocked(Reasons.WAITING_FOR_CLEANUP, kind + " " + name
                    + " still belongs to a deleted AgentBinding of the same name; waiting for garbage collection",
                    ownership);
        }
        if ("ServiceAccount".equals(kind)) {
            return new Blocked(Reasons.SERVICE_ACCOUNT_CONFLICT, "ServiceAccount " + name
                    + " exists and was not created by Mandate for this binding; Mandate never adopts an identity "
                    + "it did not make. Delete or rename that ServiceAccount, or rename the binding.", ownership);
        }
        return new Blocked(Reasons.RESOURCE_CONFLICT, kind + " " + name
                + " exists and was not created by Mandate for this binding; Mandate does not change or delete "
                + "it. Delete or rename it" + ("Secret".equals(kind) ? ", or set spec.tokenSecretName" : "")
                + ".", ownership);
    }
}
