package dev.mandate.api.v1alpha1;

/**
 * The reasons Mandate gives an AgentBinding's conditions ({@link ConditionTypes}), each a CamelCase
 * cause; they are part of its API (the README's table lists them). The revocation causes
 * ({@code Expired}, {@code OwnerDeparted}, ...) are reasons too, and so are the policy
 * evaluator's ({@code NoMatchingPolicy}, ...); each is defined where it is decided.
 */
public final class Reasons {

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
    /** OwnerActive=True: the owner is active (the reason has the condition type's name, as is usual). */
    public static final String OWNER_ACTIVE = "OwnerActive";

    private Reasons() {
    }
}
