package dev.mandate.api.v1alpha1;

/** Regular expressions shared by the CRD schema and the operator's own validation. */
public final class Patterns {

    /** A Go-style duration restricted to hours, minutes, seconds and milliseconds: 90s, 15m, 1h30m, 1.5h. */
    public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(h|m|s|ms))+$";

    /** An RFC 3339 date-time: 2027-01-01T00:00:00Z, 2027-01-01T01:00:00.5+01:00. */
    public static final String RFC3339 = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

    /** A DNS-1123 subdomain: the names of ServiceAccounts, Secrets and cluster-scoped objects. */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** The name of an RBAC object (a path segment name): no '/', no '%', not '.' or '..'. */
    public static final String RBAC_NAME = "^[^/%]+$";

    private Patterns() {
    }
}
