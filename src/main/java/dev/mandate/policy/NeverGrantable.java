package dev.mandate.policy;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What no binding may ever hold, whatever a policy says: wildcards in its rules; the
 * verbs escalate, bind and impersonate; serviceaccounts/token, pods/exec and pods/attach; writes to
 * rbac.authorization.k8s.io; anything in mandate.dev (an agent must not edit its own leash);
 * secrets without resourceNames. Also rejects what RBAC would silently ignore (upper case,
 * malformed or empty names), because a rule that grants nothing is a mistake worth naming. Pure.
 */
public final class NeverGrantable {

    static final Set<String> FORBIDDEN_VERBS = Set.of("escalate", "bind", "impersonate");
    static final Set<String> FORBIDDEN_CORE_RESOURCES = Set.of("serviceaccounts/token", "pods/exec", "pods/attach");
    static final Set<String> READ_VERBS = Set.of("get", "list", "watch");
    static final String RBAC_GROUP = "rbac.authorization.k8s.io";
    static final String MANDATE_GROUP = "mandate.dev";

    private static final Pattern VERB = Pattern.compile("^[a-z]+$");
    private static final Pattern GROUP = Pattern.compile("^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern RESOURCE = Pattern.compile("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(/[a-z0-9]([-a-z0-9]*[a-z0-9])?)?$");
    private static final int MAX_NAME = 253;

    private NeverGrantable() {
    }

    /**
     * Everything wrong with these rules, each message naming the rule and the field.
     *
     * @param where      how to name the rules in messages, e.g. "scope.rules" or "ClusterRole edit"
     * @param checkSyntax whether to reject what RBAC would ignore (only for rules a user wrote)
     */
    public static List<String> violations(String where, List<PolicyRule> rules, boolean checkSyntax) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule r = rules.get(i);
            String at = where + "[" + i + "]";
            List<String> groups = orEmpty(r.getApiGroups());
            List<String> resources = orEmpty(r.getResources());
            List<String> verbs = orEmpty(r.getVerbs());
            List<String> names = orEmpty(r.getResourceNames());
            if (!orEmpty(r.getNonResourceURLs()).isEmpty()) {
                out.add(at + ".nonResourceURLs: non-resource URLs cannot be granted to an agent");
            }
            wildcards(out, at + ".apiGroups", groups);
            wildcards(out, at + ".resources", resources);
            wildcards(out, at + ".verbs", verbs);
            wildcards(out, at + ".resourceNames", names);
            if (checkSyntax) {
                syntax(out, at + ".apiGroups", groups, GROUP, "an API group (lower-case DNS name, or \"\" for the core group)");
                syntax(out, at + ".resources", resources, RESOURCE, "a resource (lower-case plural, optionally /subresource)");
                syntax(out, at + ".verbs", verbs, VERB, "a verb (lower-case letters)");
                for (String n : names) {
                    if (n == null || n.isEmpty() || n.length() > MAX_NAME) {
                        out.add(at + ".resourceNames: \"" + abbreviate(n) + "\" is not an object name");
                    }
                }
            }
            for (String v : verbs) {
                if (v != null && FORBIDDEN_VERBS.contains(v)) {
                    out.add(at + ".verbs: \"" + v + "\" is never grantable (it lets an identity raise its own or "
                            + "others' permissions)");
                }
            }
            boolean writes = verbs.stream().anyMatch(v -> v != null && !READ_VERBS.contains(v));
            for (String g : groups) {
                if (RBAC_GROUP.equals(g) && writes) {
                    out.add(at + ": writes to " + RBAC_GROUP + " are never grantable (verbs "
                            + verbs.stream().filter(v -> !READ_VERBS.contains(v)).toList() + ")");
                }
                if (MANDATE_GROUP.equals(g)) {
                    out.add(at + ": nothing in " + MANDATE_GROUP + " is grantable: an agent must not edit its own leash");
                }
            }
            if (groups.contains("")) {
                for (String res : resources) {
                    if (FORBIDDEN_CORE_RESOURCES.contains(res)) {
                        out.add(at + ".resources: \"" + res + "\" is never grantable");
                    }
                    if (("secrets".equals(res) || res.startsWith("secrets/")) && names.isEmpty()) {
                        out.add(at + ": \"" + res + "\" without resourceNames is never grantable: name the Secrets "
                                + "the agent may use");
                    }
                }
            }
        }
        return out;
    }

    private static void wildcards(List<String> out, String field, List<String> values) {
        for (String v : values) {
            if (v != null && v.contains("*")) {
                out.add(field + ": \"" + v + "\" is a wildcard; wildcards are never grantable, list what the agent needs");
            }
        }
    }

    private static void syntax(List<String> out, String field, List<String> values, Pattern p, String what) {
        for (String v : values) {
            if (v == null || (v.contains("*"))) {
                continue;
            }
            if (v.length() > MAX_NAME || !p.matcher(v).matches()) {
                String hint = v.toLowerCase(java.util.Locale.ROOT).strip();
                out.add(field + ": \"" + abbreviate(v) + "\" is not " + what
                        + (!hint.equals(v) && p.matcher(hint).matches() ? "; RBAC is case-sensitive and would ignore it "
                                + "(did you mean \"" + hint + "\"?)" : ""));
            }
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
