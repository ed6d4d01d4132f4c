package dev.mandate.binding;

import dev.mandate.binding.cluster.Blocked;
import dev.mandate.binding.cluster.Observed;
import dev.mandate.binding.cluster.OwnedObjects;
import io.fabric8.kubernetes.api.model.ServiceAccount;

/**
 * The agent's identity: a ServiceAccount named after the binding that mounts no token by itself.
 * Never one Mandate did not create: an existing ServiceAccount of that name is a conflict.
 */
final class ServiceAccountStep {

    private ServiceAccountStep() {
    }

    /** @throws Blocked when the name belongs to a ServiceAccount Mandate did not make for this binding */
    static ServiceAccount ensure(Observed seen, OwnedObjects writes) {
        return writes.ensure(ServiceAccount.class, DesiredResources.serviceAccount(seen.binding()), seen.serviceAccount(),
                (have, want) -> Boolean.FALSE.equals(have.getAutomountServiceAccountToken()),
                (have, want) -> {
                    have.setAutomountServiceAccountToken(false);
                    return have;
                }).object();
    }
}
