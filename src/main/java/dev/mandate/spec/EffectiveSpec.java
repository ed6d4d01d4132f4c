package dev.mandate.spec;

import dev.mandate.api.v1alpha1.ScopeRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A valid binding's spec with defaults applied and every duration and time parsed: what issuing
 * reads. The owner and {@code suspended} are read from the spec itself, because they decide a
 * revocation even when the rest of the spec is invalid.
 */
public record EffectiveSpec(
        List<ScopeRule> rules,
        List<String> clusterRoles,
        Duration period,
        Duration overlap,
        List<String> audiences,
        String tokenSecretName,
        Optional<Instant> expiry) {

    /** What TokenRequest is asked for: one period plus the overlap. */
    public Duration tokenLifetime() {
        return period.plus(overlap);
    }
}
