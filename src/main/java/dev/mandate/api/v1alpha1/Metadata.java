package dev.mandate.api.v1alpha1;

/** Labels and annotations Mandate reads and writes; all of them are part of its API. */
public final class Metadata {

    /** On every object Mandate creates; its informers select on it. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "mandate";
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

    /** The AgentBinding an object was made for. */
    public static final String BINDING = "mandate.dev/binding";

    /** What an object is to its binding: identity, rbac, anchor or delivery. */
    public static final String COMPONENT = "mandate.dev/component";
    public static final String COMPONENT_IDENTITY = "identity";
    public static final String COMPONENT_RBAC = "rbac";
    public static final String COMPONENT_ANCHOR = "anchor";
    public static final String COMPONENT_DELIVERY = "delivery";

    /** On an AgentBinding: an RFC 3339 time; a value newer than the last rotation rotates the token. */
    public static final String ROTATE_REQUESTED_AT = "mandate.dev/rotate-requested-at";
    /** Who asked for the binding, as the admission webhook recorded it (JSON; a client-supplied value is overwritten). */
    public static final String REQUESTED_BY = "mandate.dev/requested-by";

    /** On anchor and delivery Secrets: the token generation. */
    public static final String TOKEN_GENERATION = "mandate.dev/token-generation";
    /** On the delivery Secret: when the API server stops accepting the token. */
    public static final String TOKEN_EXPIRES_AT = "mandate.dev/token-expires-at";
    /** On the delivery Secret: when the token was issued. */
    public static final String TOKEN_ISSUED_AT = "mandate.dev/token-issued-at";
    /** On the delivery Secret: the audiences the token was minted for, comma-separated. */
    public static final String TOKEN_AUDIENCES = "mandate.dev/token-audiences";
    /** On the delivery Secret: the rotate-requested-at value the current token already satisfies. */
    public static final String ROTATION_REQUEST_HONORED = "mandate.dev/rotation-request-honored";
    /** On anchor Secrets: the uid of the ServiceAccount the token was minted for. */
    public static final String SERVICE_ACCOUNT_UID = "mandate.dev/service-account-uid";

    /** Type of the per-generation anchor Secrets; they hold no data. */
    public static final String ANCHOR_SECRET_TYPE = "mandate.dev/token-anchor";

    /**
     * On ClusterRoles (set by admins): aggregates a ceiling's rules (or a bind grant) into the
     * operator's grant role; a policy whose ceiling lacks it is not Ready.
     */
    public static final String AGGREGATE_TO_OPERATOR = "mandate.dev/aggregate-to-operator";

    private Metadata() {
    }
}
