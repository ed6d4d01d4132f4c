package dev.mandate.policy;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a set of RBAC rules covers another, with exactly the semantics the Kubernetes API server
 * uses for its own privilege-escalation check ({@code pkg/registry/rbac/validation}): a requested
 * rule is broken into atoms (one API group, one resource, one verb, one resource name) and every
 * atom must be covered by one rule of the ceiling. So what Mandate admits is what the API server
 * lets an operator holding the ceiling grant, no more. Pure.
 */
public final class RbacCoverage {

    public static final String ALL = "*";

    /** One atomic permission. {@code resourceName} is null for "any object". */
    public record Atom(String apiGroup, String resource, String verb, String resourceName) {

        @Override
        public String toString() {
            return verb + " " + resource + (apiGroup.isEmpty() ? "" : "." + apiGroup)
                    + (resourceName == null ? "" : " named " + resourceName);
        }
    }

    private RbacCoverage() {
    }

    /** Breaks a rule into atoms (Kubernetes' BreakdownRule). */
    public static List<Atom> atoms(PolicyRule rule) {
        List<Atom> atoms = new ArrayList<>();
        List<String> names = orEmpty(rule.getResourceNames());
        for (String group : orEmpty(rule.getApiGroups())) {
            for (String resource : orEmpty(rule.getResources())) {
                for (String verb : orEmpty(rule.getVerbs())) {
                    if (names.isEmpty()) {
                        atoms.add(new Atom(group, resource, verb, null));
                    } else {
                        for (String name : names) {
                            atoms.add(new Atom(group, resource, verb, name));
                        }
                    }
                }
            }
        }
        return atoms;
    }

    /** The atoms of {@code requested} that no rule of {@code ceiling} covers; empty means covered. */
    public static List<Atom> uncovered(List<PolicyRule> ceiling, PolicyRule requested) {
        List<Atom> missing = new ArrayList<>();
        for (Atom a : atoms(requested)) {
            if (ceiling.stream().noneMatch(owner -> covers(owner, a))) {
                missing.add(a);
            }
        }
        return missing;
    }

    /** Kubernetes' ruleCovers for one atom. */
    static boolean covers(PolicyRule owner, Atom a) {
        if (!orEmpty(owner.getNonResourceURLs()).isEmpty() && orEmpty(owner.getResources()).isEmpty()) {
            return false;
        }
        boolean verb = has(owner.getVerbs(), ALL) || has(owner.getVerbs(), a.verb());
        boolean group = has(owner.getApiGroups(), ALL) || has(owner.getApiGroups(), a.apiGroup());
        boolean resource = resourceCovers(orEmpty(owner.getResources()), a.resource());
        boolean name = a.resourceName() == null
                ? orEmpty(owner.getResourceNames()).isEmpty()
                : orEmpty(owner.getResourceNames()).isEmpty() || has(owner.getResourceNames(), a.resourceName());
        return verb && group && resource && name;
    }

    /** Kubernetes' resourceCoversAll for one resource: "*", an exact match, or "*&#47;subresource". */
    static boolean resourceCovers(List<String> owned, String resource) {
        if (owned.contains(ALL) || owned.contains(resource)) {
            return true;
        }
        int slash = resource.indexOf('/');
        return slash >= 0 && owned.contains("*/" + resource.substring(slash + 1));
    }

    private static boolean has(List<String> l, String s) {
        return l != null && l.contains(s);
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
