package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;

/** One RBAC rule, as in a Role: resource rules only (a namespaced Role cannot grant non-resource URLs). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScopeRule {

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("API groups of the resources; \"\" is the core group.")
    private List<String> apiGroups = new ArrayList<>();

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Resources, with subresources as resource/subresource (pods/log).")
    private List<String> resources = new ArrayList<>();

    @Required
    @Size(min = 1, max = 16)
    @JsonPropertyDescription("Verbs: get, list, watch, create, update, patch, delete, deletecollection.")
    private List<String> verbs = new ArrayList<>();

    @Size(max = 256)
    @JsonPropertyDescription("If set, the rule applies only to objects with these names.")
    private List<String> resourceNames;

    public ScopeRule() {
    }

    /**
     * The RBAC rule this becomes, in the Role Mandate writes and in every policy check alike. A
     * missing list is an empty one. An empty {@code resourceNames} means every object of the
     * resource, in RBAC as here, and is left out of the rule rather than written as {@code []}.
     */
    public PolicyRule toPolicyRule() {
        PolicyRuleBuilder rule = new PolicyRuleBuilder()
                .withApiGroups(copy(apiGroups))
                .withResources(copy(resources))
                .withVerbs(copy(verbs));
        if (resourceNames != null && !resourceNames.isEmpty()) {
            rule.withResourceNames(copy(resourceNames));
        }
        return rule.build();
    }

    private static List<String> copy(List<String> l) {
        return l == null ? new ArrayList<>() : new ArrayList<>(l);
    }

    public ScopeRule(List<String> apiGroups, List<String> resources, List<String> verbs, List<String> resourceNames) {
        this.apiGroups = apiGroups;
        this.resources = resources;
        this.verbs = verbs;
        this.resourceNames = resourceNames;
    }

    public List<String> getApiGroups() {
        return apiGroups;
    }

    public void setApiGroups(List<String> apiGroups) {
        this.apiGroups = apiGroups;
    }

    public List<String> getResources() {
        return resources;
    }

    public void setResources(List<String> resources) {
        this.resources = resources;
    }

    public List<String> getVerbs() {
        return verbs;
    }

    public void setVerbs(List<String> verbs) {
        this.verbs = verbs;
    }

    public List<String> getResourceNames() {
        return resourceNames;
    }

    public void setResourceNames(List<String> resourceNames) {
        this.resourceNames = resourceNames;
    }
}
