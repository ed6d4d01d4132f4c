package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.token.RotationTrigger;
import java.time.Duration;
import java.time.Instant;

/** What the lifecycle reports as it works; the metrics package records it. */
public interface Telemetry {

    /** A token was minted and delivered. */
    void tokenIssued(AgentBinding binding, RotationTrigger trigger, Instant dueAt, Instant doneAt, Duration issueTook);

    /** Minting or delivering a token failed. */
    void tokenIssueFailed(AgentBinding binding, RotationTrigger trigger);

    /** Revocation finished: nothing of the identity is left. */
    void revoked(AgentBinding binding, RevocationCause cause, Instant dueAt, Instant doneAt);

    Telemetry NONE = new Telemetry() {
        @Override
        public void tokenIssued(AgentBinding b, RotationTrigger t, Instant due, Instant done, Duration took) {
        }

        @Override
        public void tokenIssueFailed(AgentBinding b, RotationTrigger t) {
        }

        @Override
        public void revoked(AgentBinding b, RevocationCause c, Instant due, Instant done) {
        }
    };
}
