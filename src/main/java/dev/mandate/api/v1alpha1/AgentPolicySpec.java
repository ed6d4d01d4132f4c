package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentPolicySpec {

    @JsonPropertyDescription("Namespaces whose bindings this policy governs. Empty selects every namespace.")
    private LabelSelector namespaceSelector;

    @Size(max = 253)
    @Pattern(Patterns.RBAC_NAME)
    @JsonPropertyDescription("ClusterRole whose rules bound what scope.rules may ask for (Kubernetes' own escalation "
            + "semantics). Label it mandate.dev/aggregate-to-operator: \"true\" so the operator may grant it. "
            + "Without a ceiling, bindings under this policy may have no rules.")
    private String ceilingClusterRole;

    @Size(max = 64)
    @JsonPropertyDescription("ClusterRoles that scope.clusterRoles may name.")
    private List<@Pattern(Patterns.RBAC_NAME) String> allowedClusterRoles = new ArrayList<>();

    @Size(max = 32)
    @Pattern(Patterns.DURATION)
    @JsonProperty("maxTTL")
    @JsonPropertyDescription("Longest lifetime a binding may have, from creation to its expiry (Go duration). "
            + "With maxTTL set, a binding must set ttl or expiresAt.")
    private String maxTTL;

    @Size(max = 32)
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("Longest token a binding may ask for: rotation.period + rotation.overlap (Go duration).")
    private String maxTokenLifetime;

    @Default("true")
    @JsonPropertyDescription("Bindings must name an existing, active AgentOwner; one that departs revokes them.")
    private Boolean requireActiveOwner;

    public LabelSelector getNamespaceSelector() {
        return namespaceSelector;
    }

    public void setNamespaceSelector(LabelSelector namespaceSelector) {
        this.namespaceSelector = namespaceSelector;
    }

    public String getCeilingClusterRole() {
        return ceilingClusterRole;
    }

    public void setCeilingClusterRole(String ceilingClusterRole) {
        this.ceilingClusterRole = ceilingClusterRole;
    }

    public List<String> getAllowedClusterRoles() {
        return allowedClusterRoles;
    }

    public void setAllowedClusterRoles(List<String> allowedClusterRoles) {
        this.allowedClusterRoles = allowedClusterRoles;
    }

    @JsonProperty("maxTTL")
    public String getMaxTTL() {
        return maxTTL;
    }

    @JsonProperty("maxTTL")
    public void setMaxTTL(String maxTTL) {
        this.maxTTL = maxTTL;
    }

    public String getMaxTokenLifetime() {
        return maxTokenLifetime;
    }

    public void setMaxTokenLifetime(String maxTokenLifetime) {
        this.maxTokenLifetime = maxTokenLifetime;
    }

    public Boolean getRequireActiveOwner() {
        return requireActiveOwner;
    }

    public void setRequireActiveOwner(Boolean requireActiveOwner) {
        this.requireActiveOwner = requireActiveOwner;
    }
}
