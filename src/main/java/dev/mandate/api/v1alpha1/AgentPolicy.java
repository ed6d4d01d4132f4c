package dev.mandate.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The ceiling cluster admins set: which namespaces may host agents, the most a binding there may
 * be granted (a ceiling ClusterRole and the ClusterRoles it may bind), how long it may live and how
 * long its tokens may be. Cluster-scoped.
 */
@Group(AgentBinding.GROUP)
@Version(AgentBinding.VERSION)
@ShortNames("agp")
@Categories("mandate")
@AdditionalPrinterColumn(name = "Ceiling", jsonPath = ".spec.ceilingClusterRole", type = Type.STRING)
@AdditionalPrinterColumn(name = "Max-TTL", jsonPath = ".spec.maxTTL", type = Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class AgentPolicy extends CustomResource<AgentPolicySpec, AgentPolicyStatus> {

    @Override
    protected AgentPolicySpec initSpec() {
        return new AgentPolicySpec();
    }

    @Override
    protected AgentPolicyStatus initStatus() {
        return null;
    }
}
