package dev.mandate.policy;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.ConditionTypes;
import dev.mandate.api.v1alpha1.Names;
import dev.mandate.api.v1alpha1.ScopeRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Agents must not read each other's tokens. Secrets may be granted by name, and the Secrets that
 * hold tokens have predictable names (the token Secret, {@code <binding>-token} by default, and the
 * anchors, {@code <binding>-anchor-<n>}), so a narrow binding could otherwise name a broad one's
 * token Secret and inherit its power. Checked from both sides: a binding may not name another's
 * token Secret, and a binding may not take a token Secret name another binding's rules already
 * name. Pure.
 */
public final class TokenSecrets {

    private TokenSecrets() {
    }

    /** Secret names a binding's rules grant access to (rules on "secrets" in the core group, by name). */
    public static List<String> namedSecrets(AgentBinding b) {
        return b.getSpec() == null || b.getSpec().getScope() == null || b.getSpec().getScope().getRules() == null
                ? List.of() : namedSecrets(b.getSpec().getScope().getRules());
    }

    static List<String> namedSecrets(List<ScopeRule> rules) {
        List<String> out = new ArrayList<>();
        for (ScopeRule r : rules) {
            boolean core = r.getApiGroups() != null && r.getApiGroups().contains("");
            boolean secrets = r.getResources() != null && r.getResources().stream()
                    .anyMatch(res -> "secrets".equals(res) || (res != null && res.startsWith("secrets/")));
            if (core && secrets && r.getResourceNames() != null) {
                out.addAll(r.getResourceNames());
            }
        }
        return out;
    }

    /** Violations: names in this binding's rules that hold, or will hold, another agent's token. */
    public static List<String> violations(AgentBinding b, List<ScopeRule> rules,
            Function<String, List<AgentBinding>> holdersOf) {
        List<String> out = new ArrayList<>();
        for (String name : namedSecrets(rules)) {
            if (name == null) {
                continue;
            }
            if (Names.looksLikeAnchor(name)) {
                out.add("scope.rules: Secret \"" + name + "\" has the name of a token anchor; agents may not read "
                        + "token anchors");
                continue;
            }
            Optional<AgentBinding> holder = holdersOf.apply(name).stream()
                    .filter(n -> !n.getMetadata().getName().equals(b.getMetadata().getName()))
                    .filter(n -> name.equals(Names.tokenSecret(n))).findFirst();
            holder.ifPresent(h -> out.add("scope.rules: Secret \"" + name + "\" holds the token of AgentBinding "
                    + h.getMetadata().getName() + "; an agent may not read another agent's token"));
        }
        return out;
    }

    /**
     * The other bindings, admitted by a policy, whose rules name this binding's token Secret. A
     * binding that was refused grants nothing, so it cannot block anyone.
     *
     * @param neighbours bindings of the namespace; only those naming the Secret matter
     */
    public static List<String> readersOf(AgentBinding b, List<AgentBinding> neighbours) {
        String mine = Names.tokenSecret(b);
        return neighbours.stream()
                .filter(n -> !n.getMetadata().getName().equals(b.getMetadata().getName()))
                .filter(n -> n.getStatus() != null && n.getStatus().condition(ConditionTypes.SCOPE_ALLOWED)
                        .filter(c -> "True".equals(c.getStatus())).isPresent())
                .filter(n -> namedSecrets(n).contains(mine))
                .map(n -> n.getMetadata().getName()).toList();
    }
}
