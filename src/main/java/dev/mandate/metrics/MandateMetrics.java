package dev.mandate.metrics;

import dev.mandate.api.v1alpha1.AgentBinding;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * The counters and histograms Mandate records where the work happens. Label values are bounded:
 * namespaces, success or failure, and the constants of an enum (the rotation triggers, the
 * revocation causes: the parameters take an enum, so no free text can become a label value); never
 * a binding, a token id or a time.
 */
public class MandateMetrics {

    public static final String ROTATIONS = "mandate.rotations";
    public static final String REVOCATIONS = "mandate.revocations";
    public static final String ROTATION_LAG = "mandate.rotation.lag";
    public static final String REVOCATION_LAG = "mandate.revocation.lag";
    public static final String ISSUE_DURATION = "mandate.token.issue.duration";

    /** Histogram buckets for lags and durations, in seconds. */
    static final Duration[] BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(15)};

    private final MeterRegistry registry;
    private final Timer rotationLag;
    private final Timer issueDuration;

    public MandateMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.rotationLag = Timer.builder(ROTATION_LAG)
                .description("Rotation done minus due (a token issued later than scheduled, e.g. after an outage)")
                .serviceLevelObjectives(BUCKETS).register(registry);
        this.issueDuration = Timer.builder(ISSUE_DURATION)
                .description("Time the TokenRequest API took to mint a token")
                .serviceLevelObjectives(BUCKETS).register(registry);
    }

    /** A token was minted and delivered ({@code trigger}: why, due at {@code dueAt}). */
    public void tokenIssued(AgentBinding binding, Enum<?> trigger, Instant dueAt, Instant doneAt, Duration issueTook) {
        rotations(binding, "success", trigger).increment();
        rotationLag.record(nonNegative(Duration.between(dueAt, doneAt)));
        issueDuration.record(nonNegative(issueTook));
    }

    /** Minting or delivering a token failed. */
    public void tokenIssueFailed(AgentBinding binding, Enum<?> trigger) {
        rotations(binding, "failure", trigger).increment();
    }

    /** An identity was revoked for {@code cause}, which was due at {@code dueAt}. */
    public void revoked(AgentBinding binding, Enum<?> cause, Instant dueAt, Instant doneAt) {
        Counter.builder(REVOCATIONS).description("Identities revoked, by cause")
                .tag("namespace", binding.getMetadata().getNamespace()).tag("reason", cause.name())
                .register(registry).increment();
        Timer.builder(REVOCATION_LAG).description("Revocation done minus due (the expiry, the owner's departure)")
                .tag("reason", cause.name()).serviceLevelObjectives(BUCKETS).register(registry)
                .record(nonNegative(Duration.between(dueAt, doneAt)));
    }

    private Counter rotations(AgentBinding binding, String result, Enum<?> trigger) {
        return Counter.builder(ROTATIONS).description("Tokens minted (first issue and every rotation), by outcome and trigger")
                .tag("namespace", binding.getMetadata().getNamespace()).tag("result", result)
                .tag("trigger", trigger.name()).register(registry);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
