package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.binding.cluster.ClusterView;
import dev.mandate.binding.cluster.Observed;
import dev.mandate.binding.cluster.Ownership;
import dev.mandate.policy.TokenSecrets;
import dev.mandate.spec.EffectiveSpec;
import dev.mandate.spec.SpecProblem;
import java.util.List;
import java.util.Optional;

/**
 * Whether a binding may keep its token in the Secret its spec names: not where another admitted
 * binding's rules let its agent read it, and not in a Secret Mandate keeps for another binding.
 * Both are found through the caches' indexes, never by listing every binding. Pure over the view.
 */
final class TokenSecretCheck {

    private TokenSecretCheck() {
    }

    static Optional<SpecProblem> problem(AgentBinding b, EffectiveSpec spec, ClusterView view) {
        String ns = b.getMetadata().getNamespace();
        String secret = spec.tokenSecretName();
        List<String> readers = TokenSecrets.readersOf(b, view.secretNamers(ns, secret));
        if (!readers.isEmpty()) {
            return Optional.of(new SpecProblem("spec.tokenSecretName", "Secret " + secret
                    + " is named in the rules of AgentBinding" + (readers.size() == 1 ? " " : "s ")
                    + String.join(", ", readers) + ", whose agent could read this token; choose another name"));
        }
        return view.managedSecret(ns, secret)
                .filter(s -> Ownership.of(s, b) == Ownership.FOREIGN)
                .map(s -> new SpecProblem("spec.tokenSecretName", "Secret " + secret
                        + " is already managed by Mandate for "
                        + Optional.ofNullable(Observed.label(s, Metadata.BINDING)).map(n -> "AgentBinding " + n)
                                .orElse("another binding")
                        + "; choose another name"));
    }
}
