package dev.mandate.binding;

import dev.mandate.api.v1alpha1.ScopeRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A binding's spec with defaults applied and every duration and time parsed. */
public record EffectiveSpec(
        String owner,
        List<ScopeRule> rules,
        List<String> clusterRoles,
        Duration period,
        Duration overlap,
        List<String> audiences,
        String tokenSecretName,
        boolean suspended,
        Optional<Instant> expiry) {

    /** What TokenRequest is asked for: one period plus the overlap. */
    public Duration tokenLifetime() {
        return period.plus(overlap);
    }
}
