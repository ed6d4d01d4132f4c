package dev.mandate.api.v1alpha1;

/** The condition types of an AgentBinding's status. Their reasons are in {@link Reasons}. */
public final class ConditionTypes {

    /** Whether the agent holds a valid token for the declared scope. */
    public static final String READY = "Ready";
    /** Whether an AgentPolicy admits the binding; the message names it, or what exceeded which policy. */
    public static final String SCOPE_ALLOWED = "ScopeAllowed";
    /** Whether the binding's AgentOwner is active. */
    public static final String OWNER_ACTIVE = "OwnerActive";

    private ConditionTypes() {
    }
}
