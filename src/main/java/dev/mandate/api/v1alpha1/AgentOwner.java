package dev.mandate.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A person or team accountable for agents. When the owner departs ({@code active: false}, or the
 * object is deleted), every binding that names it is revoked. Cluster-scoped.
 */
@Group(AgentBinding.GROUP)
@Version(AgentBinding.VERSION)
@ShortNames("ago")
@Categories("mandate")
@AdditionalPrinterColumn(name = "Display-Name", jsonPath = ".spec.displayName", type = Type.STRING)
@AdditionalPrinterColumn(name = "Active", jsonPath = ".spec.active", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Bindings", jsonPath = ".status.bindings", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Departed", jsonPath = ".status.departedAt", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class AgentOwner extends CustomResource<AgentOwnerSpec, AgentOwnerStatus> {

    @Override
    protected AgentOwnerSpec initSpec() {
        return new AgentOwnerSpec();
    }

    @Override
    protected AgentOwnerStatus initStatus() {
        return null;
    }
}
