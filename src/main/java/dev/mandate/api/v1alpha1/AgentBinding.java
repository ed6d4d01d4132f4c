package dev.mandate.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An AI agent's Kubernetes identity: a ServiceAccount with RBAC limited to {@code spec.scope},
 * owned by {@code spec.owner}, expiring after {@code spec.ttl}/{@code spec.expiresAt}, with a
 * short-lived token delivered to a Secret and rotated every {@code spec.rotation.period}.
 */
@Group(AgentBinding.GROUP)
@Version(AgentBinding.VERSION)
@ShortNames("agb")
@Categories("mandate")
@AdditionalPrinterColumn(name = "Owner", jsonPath = ".spec.owner", type = Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = Type.STRING)
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".status.expiresAt", type = Type.STRING)
@AdditionalPrinterColumn(name = "Next-Rotation", jsonPath = ".status.nextRotationAt", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class AgentBinding extends CustomResource<AgentBindingSpec, AgentBindingStatus> implements Namespaced {

    public static final String GROUP = "mandate.dev";
    public static final String VERSION = "v1alpha1";

    public AgentBinding() {
        super();
    }

    @Override
    protected AgentBindingSpec initSpec() {
        return new AgentBindingSpec();
    }

    @Override
    protected AgentBindingStatus initStatus() {
        return null;
    }
}
