package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Scope {

    @Size(max = 256)
    @JsonPropertyDescription("RBAC rules; together they become one Role in the binding's namespace, bound to the agent.")
    private List<ScopeRule> rules = new ArrayList<>();

    @Size(max = 64)
    @JsonPropertyDescription("ClusterRoles to bind in the binding's namespace; each becomes one RoleBinding.")
    private List<@io.fabric8.generator.annotation.Pattern(Patterns.RBAC_NAME) String> clusterRoles = new ArrayList<>();

    public List<ScopeRule> getRules() {
        return rules;
    }

    public void setRules(List<ScopeRule> rules) {
        this.rules = rules;
    }

    public List<String> getClusterRoles() {
        return clusterRoles;
    }

    public void setClusterRoles(List<String> clusterRoles) {
        this.clusterRoles = clusterRoles;
    }
}
