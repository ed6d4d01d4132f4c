package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentOwnerStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("How many AgentBindings name this owner.")
    private Integer bindings;

    @JsonPropertyDescription("When the owner was first seen inactive (RFC 3339); cleared when active again.")
    private String departedAt;

    @JsonPropertyDescription("Ready: the owner is active.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getBindings() {
        return bindings;
    }

    public void setBindings(Integer bindings) {
        this.bindings = bindings;
    }

    public String getDepartedAt() {
        return departedAt;
    }

    public void setDepartedAt(String departedAt) {
        this.departedAt = departedAt;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
