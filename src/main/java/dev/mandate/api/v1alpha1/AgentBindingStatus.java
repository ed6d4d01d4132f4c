package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentBindingStatus {

    @JsonPropertyDescription("Pending, Active, Suspended, Expired, Revoked, Denied or Failed.")
    private Phase phase;

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("The agent's ServiceAccount.")
    private String serviceAccountName;

    @JsonPropertyDescription("The Secret that holds the agent's token.")
    private String tokenSecretName;

    @JsonPropertyDescription("The AgentPolicy that admitted the binding.")
    private String policy;

    @JsonPropertyDescription("When the binding expires: the earlier of creation + ttl and expiresAt (RFC 3339).")
    private String expiresAt;

    @JsonPropertyDescription("The current token (never its value).")
    private TokenStatus token;

    @JsonPropertyDescription("When the next rotation is due (RFC 3339).")
    private String nextRotationAt;

    @JsonPropertyDescription("When the token was last replaced (RFC 3339).")
    private String lastRotationAt;

    @JsonPropertyDescription("When the binding's identity was revoked (RFC 3339).")
    private String revokedAt;

    @JsonPropertyDescription("Why it was revoked: Expired, Suspended, OwnerDeparted, OwnerUnknown or ScopeDenied.")
    private String revocationReason;

    @JsonPropertyDescription("Ready, ScopeAllowed and OwnerActive, each with a reason and a message.")
    private List<Condition> conditions = new ArrayList<>();

    public Optional<Condition> condition(String type) {
        return StatusConditions.find(conditions, type);
    }

    public Phase getPhase() {
        return phase;
    }

    public void setPhase(Phase phase) {
        this.phase = phase;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public String getTokenSecretName() {
        return tokenSecretName;
    }

    public void setTokenSecretName(String tokenSecretName) {
        this.tokenSecretName = tokenSecretName;
    }

    public String getPolicy() {
        return policy;
    }

    public void setPolicy(String policy) {
        this.policy = policy;
    }

    public String getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
    }

    public TokenStatus getToken() {
        return token;
    }

    public void setToken(TokenStatus token) {
        this.token = token;
    }

    public String getNextRotationAt() {
        return nextRotationAt;
    }

    public void setNextRotationAt(String nextRotationAt) {
        this.nextRotationAt = nextRotationAt;
    }

    public String getLastRotationAt() {
        return lastRotationAt;
    }

    public void setLastRotationAt(String lastRotationAt) {
        this.lastRotationAt = lastRotationAt;
    }

    public String getRevokedAt() {
        return revokedAt;
    }

    public void setRevokedAt(String revokedAt) {
        this.revokedAt = revokedAt;
    }

    public String getRevocationReason() {
        return revocationReason;
    }

    public void setRevocationReason(String revocationReason) {
        this.revocationReason = revocationReason;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
