package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentOwnerSpec {

    @Size(max = 256)
    @JsonPropertyDescription("The owner's name as people know it.")
    private String displayName;

    @Size(max = 320)
    @io.fabric8.generator.annotation.Pattern("^[^@\\s]+@[^@\\s]+$")
    @JsonPropertyDescription("Where to reach the owner.")
    private String email;

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

    public Boolean getActive() {
        return active;
    }

    public void setActive(Boolean active) {
        this.active = active;
    }
}
