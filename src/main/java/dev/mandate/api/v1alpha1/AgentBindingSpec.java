package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentBindingSpec {

    @Required
    @Size(min = 1, max = 253)
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the AgentOwner (cluster-scoped) accountable for this agent. Required.")
    private String owner;

    @Size(max = 1024)
    @JsonPropertyDescription("Free text: what the agent is and does.")
    private String description;

    @Required
    @JsonPropertyDescription("What the agent may do in this namespace.")
    private Scope scope;

    @Size(max = 32)
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("Lifetime of the binding, counted from metadata.creationTimestamp, as a Go duration "
            + "(90s, 15m, 1h30m, 720h). The earlier of ttl and expiresAt wins; with neither, the binding does not expire.")
    private String ttl;

    @Pattern(Patterns.RFC3339)
    @JsonPropertyDescription("Absolute expiry as an RFC 3339 time. The earlier of ttl and expiresAt wins.")
    private String expiresAt;

    @Required
    @JsonPropertyDescription("How often the token is replaced and how long the previous one stays valid.")
    private Rotation rotation;

    @Size(max = 253)
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Secret that receives the token (keys token, ca.crt, namespace, kubeconfig). "
            + "Default: <binding name>-token.")
    private String tokenSecretName;

    @Default("false")
    @JsonPropertyDescription("true revokes everything now and keeps the binding; false re-issues.")
    private Boolean suspended;

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public Scope getScope() {
        return scope;
    }

    public void setScope(Scope scope) {
        this.scope = scope;
    }

    public String getTtl() {
        return ttl;
    }

    public void setTtl(String ttl) {
        this.ttl = ttl;
    }

    public String getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
    }

    public Rotation getRotation() {
        return rotation;
    }

    public void setRotation(Rotation rotation) {
        this.rotation = rotation;
    }

    public String getTokenSecretName() {
        return tokenSecretName;
    }

    public void setTokenSecretName(String tokenSecretName) {
        this.tokenSecretName = tokenSecretName;
    }

    public Boolean getSuspended() {
        return suspended;
    }

    public void setSuspended(Boolean suspended) {
        this.suspended = suspended;
    }
}
