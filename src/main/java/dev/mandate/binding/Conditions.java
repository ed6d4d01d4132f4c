package dev.mandate.binding;

/** Condition types and the reasons Mandate gives them. Each reason is a CamelCase cause. */
public final class Conditions {

    public static final String READY = "Ready";
    public static final String SCOPE_ALLOWED = "ScopeAllowed";
    public static final String OWNER_ACTIVE = "OwnerActive";

    /** Ready=True: the agent holds a valid token for the declared scope. */
    public static final String TOKEN_ISSUED = "TokenIssued";
    /** Ready=False: the spec cannot be served as written. */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** Ready=False: a ServiceAccount of the binding's name exists and Mandate did not create it. */
    public static final String SERVICE_ACCOUNT_CONFLICT = "ServiceAccountConflict";
    /** Ready=False: a Role, RoleBinding or Secret Mandate needs exists and Mandate did not create it. */
    public static final String RESOURCE_CONFLICT = "ResourceConflict";
    /** Ready=False: objects of a deleted binding of the same name await garbage collection. */
    public static final String WAITING_FOR_CLEANUP = "WaitingForCleanup";
    /** Ready=False: the expiry is seconds away and permissions were removed ahead of it (mass expiries). */
    public static final String EXPIRING = "Expiring";
    /** Ready=False: issuing failed (API error); retried with backoff. */
    public static final String ISSUE_FAILED = "IssueFailed";

    public static final String OWNER_IS_ACTIVE = "OwnerActive";

    private Conditions() {
    }
}
