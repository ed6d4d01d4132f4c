package dev.mandate.binding;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.api.v1alpha1.StatusConditions;
import dev.mandate.api.v1alpha1.TokenStatus;
import dev.mandate.token.CurrentToken;
import dev.mandate.token.Times;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Builds the whole status from a draft, keeping {@code lastTransitionTime} of conditions whose
 * status did not change, truncating times to seconds and always setting observedGeneration
 * (Keycloak's status aggregator). Pure.
 */
public final class StatusBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One condition as the reconciliation decided it. */
    public record ConditionDraft(String type, boolean status, String reason, String message) {
    }

    /** Everything the status says, before times are formatted and transitions carried over. */
    public record Draft(
            Phase phase,
            List<ConditionDraft> conditions,
            String serviceAccountName,
            String tokenSecretName,
            Optional<String> policy,
            Optional<Instant> expiresAt,
            Optional<CurrentToken> token,
            OptionalLong lastGeneration,
            Optional<Instant> nextRotationAt,
            Optional<Instant> revokedAt,
            Optional<String> revocationReason) {
    }

    private StatusBuilder() {
    }

    public static AgentBindingStatus build(AgentBinding binding, Draft d, Instant now) {
        AgentBindingStatus previous = binding.getStatus();
        AgentBindingStatus s = new AgentBindingStatus();
        s.setPhase(d.phase());
        s.setObservedGeneration(binding.getMetadata().getGeneration());
        s.setServiceAccountName(d.serviceAccountName());
        s.setTokenSecretName(d.tokenSecretName());
        s.setPolicy(d.policy().orElse(null));
        s.setExpiresAt(d.expiresAt().map(Times::format).orElse(null));
        if (d.token().isPresent()) {
            CurrentToken t = d.token().get();
            s.setToken(new TokenStatus(t.generation(), Times.format(t.issuedAt()), Times.format(t.expiresAt())));
            s.setLastRotationAt(Times.format(t.issuedAt()));
        } else {
            d.lastGeneration().ifPresent(g -> s.setToken(new TokenStatus(g, null, null)));
            s.setLastRotationAt(previous == null ? null : previous.getLastRotationAt());
        }
        s.setNextRotationAt(d.nextRotationAt().map(Times::format).orElse(null));
        s.setRevokedAt(d.revokedAt().map(Times::format).orElse(null));
        s.setRevocationReason(d.revocationReason().orElse(null));
        List<Condition> conditions = new ArrayList<>();
        for (ConditionDraft c : d.conditions()) {
            conditions.add(StatusConditions.next(Optional.ofNullable(previous).flatMap(x -> x.condition(c.type())),
                    c.type(), c.status(), c.reason(), c.message(), binding.getMetadata().getGeneration(), now));
        }
        s.setConditions(conditions);
        return s;
    }

    /** Whether two statuses say the same thing, field by field. */
    public static boolean same(AgentBindingStatus a, AgentBindingStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return JSON.valueToTree(a).equals(JSON.valueToTree(b));
    }

    /** The Ready condition's reason in a status, if any. */
    public static Optional<String> readyReason(AgentBindingStatus s) {
        return s == null ? Optional.empty() : s.condition(Conditions.READY).map(Condition::getReason);
    }
}
