package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One Kubernetes identity that is an AgentOwner, in RBAC subject form: a User or Group by name, or a
 * ServiceAccount by namespace and name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OwnerSubject {

    @Required
    @io.fabric8.generator.annotation.Pattern("^(User|Group|ServiceAccount)$")
    @JsonPropertyDescription("User, Group or ServiceAccount, as in an RBAC subject.")
    private String kind;

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("The user's or group's name as the API server authenticates it, or the ServiceAccount's name.")
    private String name;

    @Size(max = 63)
    @JsonPropertyDescription("The ServiceAccount's namespace (ServiceAccount subjects only).")
    private String namespace;

    @JsonPropertyDescription("rbac.authorization.k8s.io for User and Group, empty for ServiceAccount; ignored.")
    private String apiGroup;

    public OwnerSubject() {
    }

    public OwnerSubject(String kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    public static OwnerSubject user(String name) {
        return new OwnerSubject("User", name);
    }

    public static OwnerSubject group(String name) {
        return new OwnerSubject("Group", name);
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getApiGroup() {
        return apiGroup;
    }

    public void setApiGroup(String apiGroup) {
        this.apiGroup = apiGroup;
    }
}
