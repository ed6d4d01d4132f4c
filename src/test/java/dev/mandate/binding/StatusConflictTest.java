package dev.mandate.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.StatusPatch;
import dev.mandate.testing.Fixtures;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import org.junit.jupiter.api.Test;

/**
 * A status write names the resourceVersion it read; the 409 it meets when the binding was edited
 * meanwhile means "reconcile again", not a failure. (ServerSideApplyE2E shows the real API server
 * refusing such a write with exactly this kind of conflict.)
 */
class StatusConflictTest {

    final AgentBinding binding = Fixtures.binding("support", "support-bot");

    static KubernetesClientException conflict(String kind, String name) {
        return new KubernetesClientException(new StatusBuilder().withCode(409).withReason("Conflict")
                .withMessage("Operation cannot be fulfilled on " + kind + " \"" + name + "\": the object has been modified")
                .withNewDetails().withKind(kind).withName(name).endDetails().build());
    }

    @Test
    void theStatusPatchCarriesTheResourceVersionTheReconciliationRead() {
        binding.getMetadata().setResourceVersion("4711");
        AgentBinding patch = StatusPatch.of(binding, new AgentBindingStatus(), AgentBinding::new);
        assertEquals("4711", patch.getMetadata().getResourceVersion());
        assertNull(patch.getSpec(), "and nothing of the spec");
    }

    @Test
    void aConflictOnItsOwnStatusWriteIsARerunWithoutAWarningEventOrAnErrorStatus() {
        // No context and no Event recorder: the failure path would need both and throw.
        ErrorStatusUpdateControl<AgentBinding> control = new AgentBindingReconciler(null, null, null, null)
                .updateErrorStatus(binding, null, conflict("agentbindings", "support-bot"));
        assertFalse(control.isDefaultErrorProcessing());
        assertTrue(control.getResource().isEmpty(), "no status written");
    }

    @Test
    void otherConflictsAreNotMistakenForIt() {
        assertTrue(AgentBindingReconciler.changedWhileReconciled(binding, conflict("agentbindings", "support-bot")));
        assertFalse(AgentBindingReconciler.changedWhileReconciled(binding, conflict("secrets", "support-bot-token")));
        assertFalse(AgentBindingReconciler.changedWhileReconciled(binding, conflict("agentbindings", "other-bot")));
        assertFalse(AgentBindingReconciler.changedWhileReconciled(binding, new KubernetesClientException("timeout")));
    }
}
