package dev.mandate.policy;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.AgentPolicySpec;
import dev.mandate.api.v1alpha1.Patterns;
import dev.mandate.api.v1alpha1.ScopeRule;
import dev.mandate.spec.SpecReader;
import dev.mandate.time.Durations;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Admits a binding by the first AgentPolicy, in name order, that selects its namespace and allows
 * all of it: rules within the ceiling ClusterRole (Kubernetes' escalation semantics), ClusterRoles
 * among those allowed, lifetime within maxTTL, token lifetime within maxTokenLifetime. Before any
 * policy, what is never grantable is refused, in the binding's rules and in the ClusterRoles it
 * names. With no policy, nothing is admitted. Pure over the facts it is given.
 */
@ApplicationScoped
public class CeilingPolicyEvaluator implements PolicyEvaluator {

    private static final Pattern RBAC_NAME = Pattern.compile(Patterns.RBAC_NAME);

    public static final String NEVER_GRANTABLE = "NeverGrantable";
    public static final String NO_POLICY = "NoMatchingPolicy";
    public static final String EXCEEDS_POLICY = "ScopeExceedsPolicy";
    public static final String UNKNOWN_CLUSTER_ROLE = "ClusterRoleNotFound";
    public static final String TOO_LARGE = "ScopeTooLarge";
    /** A bound on the work one binding can cause: Kubernetes checks rules atom by atom, and so does this. */
    public static final long MAX_PERMISSIONS = 20_000;
    static final int MAX_LISTED = 5;

    @Override
    public PolicyVerdict evaluate(AgentBinding binding, SpecReader.Reading reading, PolicyFacts facts) {
        var scope = binding.getSpec() == null ? null : binding.getSpec().getScope();
        List<ScopeRule> scopeRules = scope == null || scope.getRules() == null ? List.of() : scope.getRules();
        List<PolicyRule> rules = scopeRules.stream().map(ScopeRule::toPolicyRule).toList();
        List<String> clusterRoles = scope == null || scope.getClusterRoles() == null ? List.of()
                : scope.getClusterRoles().stream().distinct().toList();
        String ns = binding.getMetadata().getNamespace();
        long permissions = rules.stream().mapToLong(CeilingPolicyEvaluator::permissions).sum();
        if (permissions > MAX_PERMISSIONS) {
            return PolicyVerdict.deny(TOO_LARGE, "scope.rules ask for " + permissions + " distinct permissions (API "
                    + "groups x resources x verbs x names); at most " + MAX_PERMISSIONS + " are checked. Ask for less, "
                    + "or split the agent's work across bindings");
        }
        List<String> never = new ArrayList<>(NeverGrantable.violations("scope.rules", rules, true));
        never.addAll(TokenSecrets.violations(binding, scopeRules, secret -> facts.tokenSecretHolders(ns, secret)));
        List<String> missingRoles = new ArrayList<>();
        for (String name : clusterRoles) {
            if (name == null || name.isBlank() || name.length() > 253 || !RBAC_NAME.matcher(name).matches()) {
                return PolicyVerdict.deny(UNKNOWN_CLUSTER_ROLE, "scope.clusterRoles: \"" + name
                        + "\" is not a ClusterRole name");
            }
            Optional<ClusterRole> cr = facts.clusterRole(name);
            if (cr.isEmpty()) {
                missingRoles.add(name);
                continue;
            }
            List<PolicyRule> crRules = cr.get().getRules() == null ? List.of() : cr.get().getRules();
            never.addAll(NeverGrantable.violations("ClusterRole " + name + " rule", crRules, false));
        }
        if (!never.isEmpty()) {
            return PolicyVerdict.deny(NEVER_GRANTABLE, "Never grantable, whatever a policy says: " + list(never));
        }
        if (!missingRoles.isEmpty()) {
            return PolicyVerdict.deny(UNKNOWN_CLUSTER_ROLE, "scope.clusterRoles: ClusterRole"
                    + (missingRoles.size() == 1 ? " " : "s ") + String.join(", ", missingRoles) + " not found");
        }

        List<AgentPolicy> policies = facts.policies().stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
        if (policies.isEmpty()) {
            return PolicyVerdict.deny(NO_POLICY, "No AgentPolicy exists, so nothing is admitted (secure by default); "
                    + "create one that selects namespace " + ns);
        }
        Map<String, String> nsLabels = facts.namespaceLabels(ns).orElse(Map.of());
        List<AgentPolicy> selecting = policies.stream()
                .filter(p -> p.getSpec() != null && Selectors.matches(p.getSpec().getNamespaceSelector(), nsLabels))
                .toList();
        if (selecting.isEmpty()) {
            return PolicyVerdict.deny(NO_POLICY, "No AgentPolicy selects namespace " + ns + " (labels " + nsLabels
                    + "); policies: " + String.join(", ", policies.stream().map(p -> p.getMetadata().getName()).toList()));
        }
        List<String> refusals = new ArrayList<>();
        for (AgentPolicy p : selecting) {
            List<String> exceeded = exceeded(binding, reading, rules, clusterRoles, p, facts);
            if (exceeded.isEmpty()) {
                boolean requireOwner = !Boolean.FALSE.equals(p.getSpec().getRequireActiveOwner());
                return PolicyVerdict.allow(p.getMetadata().getName(), requireOwner,
                        "Admitted by AgentPolicy " + p.getMetadata().getName());
            }
            refusals.add("AgentPolicy " + p.getMetadata().getName() + ": " + list(exceeded));
        }
        return PolicyVerdict.deny(EXCEEDS_POLICY, "No AgentPolicy allows all of it. " + String.join(". ", refusals));
    }

    /** What the binding asks for beyond one policy; empty if the policy allows all of it. */
    static List<String> exceeded(AgentBinding b, SpecReader.Reading reading, List<PolicyRule> rules,
            List<String> clusterRoles, AgentPolicy p, PolicyFacts facts) {
        AgentPolicySpec spec = p.getSpec();
        List<String> out = new ArrayList<>();
        if (!rules.isEmpty()) {
            String ceilingName = spec.getCeilingClusterRole();
            Optional<ClusterRole> ceiling = ceilingName == null ? Optional.empty() : facts.clusterRole(ceilingName);
            if (ceilingName == null) {
                out.add("scope.rules: the policy has no ceilingClusterRole, so no rules are allowed");
            } else if (ceiling.isEmpty()) {
                out.add("scope.rules: its ceiling ClusterRole " + ceilingName + " does not exist");
            } else {
                List<PolicyRule> ceilingRules = ceiling.get().getRules() == null ? List.of() : ceiling.get().getRules();
                for (int i = 0; i < rules.size(); i++) {
                    List<RbacCoverage.Atom> missing = RbacCoverage.uncovered(ceilingRules, rules.get(i));
                    if (!missing.isEmpty()) {
                        out.add("scope.rules[" + i + "] asks for " + list(missing.stream().map(Object::toString).toList())
                                + ", beyond ceiling ClusterRole " + ceilingName);
                    }
                }
            }
        }
        List<String> allowed = spec.getAllowedClusterRoles() == null ? List.of() : spec.getAllowedClusterRoles();
        for (String cr : clusterRoles) {
            if (!allowed.contains(cr)) {
                out.add("scope.clusterRoles: " + cr + " is not in allowedClusterRoles " + allowed);
            }
        }
        if (spec.getMaxTTL() != null) {
            try {
                Duration max = Durations.parse(spec.getMaxTTL());
                if (reading.unreadable("spec.ttl")) {
                    out.add("spec.ttl cannot be read, so the lifetime cannot be compared with maxTTL " + spec.getMaxTTL());
                } else if (reading.lifetime().isEmpty()) {
                    out.add("the binding sets neither ttl nor expiresAt, but maxTTL is " + spec.getMaxTTL());
                } else if (reading.lifetime().get().compareTo(max) > 0) {
                    out.add("lifetime " + Durations.format(reading.lifetime().get()) + " (ttl/expiresAt) exceeds maxTTL "
                            + spec.getMaxTTL());
                }
            } catch (IllegalArgumentException e) {
                out.add("its maxTTL " + e.getMessage());
            }
        }
        if (spec.getMaxTokenLifetime() != null && b.getSpec().getRotation() != null) {
            try {
                Duration max = Durations.parse(spec.getMaxTokenLifetime());
                if (reading.tokenLifetime().isEmpty()) {
                    out.add("rotation: cannot read the token lifetime to compare it with maxTokenLifetime");
                } else if (reading.tokenLifetime().get().compareTo(max) > 0) {
                    out.add("token lifetime " + Durations.format(reading.tokenLifetime().get())
                            + " (rotation.period + overlap) exceeds maxTokenLifetime " + spec.getMaxTokenLifetime());
                }
            } catch (IllegalArgumentException e) {
                out.add("its maxTokenLifetime " + e.getMessage());
            }
        }
        return out;
    }

    static long permissions(PolicyRule r) {
        return (long) size(r.getApiGroups()) * size(r.getResources()) * size(r.getVerbs())
                * Math.max(1, size(r.getResourceNames()));
    }

    private static int size(List<String> l) {
        return l == null ? 0 : l.size();
    }

    static String list(List<String> items) {
        if (items.size() <= MAX_LISTED) {
            return String.join("; ", items);
        }
        return String.join("; ", items.subList(0, MAX_LISTED)) + "; and " + (items.size() - MAX_LISTED) + " more";
    }
}
