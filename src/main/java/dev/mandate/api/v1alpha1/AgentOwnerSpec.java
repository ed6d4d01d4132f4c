package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentOwnerSpec {

    @Size(max = 256)
    @JsonPropertyDescription("The owner's name as people know it.")
    private String displayName;

    @Size(max = 320)
    @io.fabric8.generator.annotation.Pattern("^[^@\\s]+@[^@\\s]+$")
    @JsonPropertyDescription("Where to reach the owner.")
    private String email;

    @Size(max = 64)
    @JsonPropertyDescription("The Kubernetes users, groups and ServiceAccounts who are this owner. Only they (or whoever holds "
            + "the verb use on agentowners/<name>) may name this owner in an AgentBinding; with none, only use.")
    private List<OwnerSubject> subjects;

    @Default("true")
    @JsonPropertyDescription("false means the owner has departed: every binding naming it is revoked.")
    private Boolean active;

    public AgentOwnerSpec() {
    }

    public AgentOwnerSpec(String displayName, String email, Boolean active) {
        this.displayName = displayName;
        this.email = email;
        this.active = active;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public List<OwnerSubject> getSubjects() {
        return subjects;
    }

    public void setSubjects(List<OwnerSubject> subjects) {
        this.subjects = subjects;
    }

    public Boolean getActive() {
        return active;
    }

    public void setActive(Boolean active) {
        this.active = active;
    }
}
