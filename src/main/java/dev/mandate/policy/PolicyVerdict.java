package dev.mandate.policy;

import java.util.Optional;

/**
 * Whether a binding's scope and lifetime are allowed, and by which AgentPolicy.
 *
 * @param allowed            true if a policy admits the binding
 * @param policy             the admitting policy's name, when one did
 * @param requireActiveOwner whether the admitting policy requires an active AgentOwner
 * @param reason             a CamelCase reason for the ScopeAllowed condition
 * @param message            what a human needs to know, e.g. which rule exceeded which policy
 */
public record PolicyVerdict(boolean allowed, Optional<String> policy, boolean requireActiveOwner, String reason,
        String message) {

    public static PolicyVerdict allow(String policy, boolean requireActiveOwner, String message) {
        return new PolicyVerdict(true, Optional.ofNullable(policy), requireActiveOwner, "PolicyAllows", message);
    }

    public static PolicyVerdict deny(String reason, String message) {
        return new PolicyVerdict(false, Optional.empty(), true, reason, message);
    }
}
