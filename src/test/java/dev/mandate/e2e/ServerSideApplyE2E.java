package dev.mandate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.api.v1alpha1.StatusPatch;
import dev.mandate.binding.AgentBindingReconciler;
import dev.mandate.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GitOps tools apply bindings with server-side apply; Mandate writes status with server-side apply.
 * Neither may take the other's fields, so neither ever fights the other (the mock server has no
 * server-side apply; only a real API server can show this).
 */
class ServerSideApplyE2E extends E2ESupport {

    static final String GITOPS = "argocd-controller";

    @BeforeEach
    void operator() {
        cluster.operator();
    }

    AgentBinding applyAsGitOps(AgentBinding desired) {
        // No force: a conflict with the operator's fields would fail this apply.
        return admin.resource(desired).fieldManager(GITOPS).serverSideApply();
    }

    @Test
    void gitOpsAppliesAndTheOperatorsStatusWritesNeverConflict() {
        String ns = cluster.namespace("e2e-ssa");
        AgentBinding desired = Fixtures.binding(ns, "synced-bot");
        applyAsGitOps(desired);
        AgentBinding live = awaitPhase(ns, "synced-bot", Phase.Active);

        Map<String, ManagedFieldsEntry> managers = new java.util.HashMap<>();
        for (ManagedFieldsEntry m : live.getMetadata().getManagedFields()) {
            managers.put(m.getManager(), m);
        }
        assertTrue(managers.containsKey(GITOPS), managers.keySet().toString());
        assertTrue(managers.containsKey("mandate"), "the operator writes status with its own field manager: " + managers.keySet());
        String operatorFields = managers.get("mandate").getFieldsV1().getAdditionalProperties().toString();
        assertTrue(operatorFields.contains("f:status"), operatorFields);
        assertFalse(operatorFields.contains("f:spec"), "the operator owns no spec field: " + operatorFields);
        assertEquals("Apply", managers.get("mandate").getOperation());
        String gitopsFields = managers.get(GITOPS).getFieldsV1().getAdditionalProperties().toString();
        assertFalse(gitopsFields.contains("f:status"), gitopsFields);

        // The pipeline syncs a change; the operator follows it; nobody conflicts.
        desired.getSpec().setDescription("Customer-support assistant, v2");
        desired.getSpec().getScope().setClusterRoles(new java.util.ArrayList<>(List.of()));
        AgentBinding applied = applyAsGitOps(desired);
        assertEquals(2L, applied.getMetadata().getGeneration());
        AgentBinding followed = awaitPhase(ns, "synced-bot", Phase.Active);
        assertEquals(2L, followed.getStatus().getObservedGeneration());
        assertEquals(1L, followed.getStatus().getToken().getGeneration(), "a scope edit mints nothing");
        assertEquals(null, admin.rbac().roleBindings().inNamespace(ns).withName("synced-bot:view").get());

        // Re-applying the same manifest is a no-op for the pipeline: nothing drifts.
        AgentBinding again = applyAsGitOps(desired);
        assertEquals(2L, again.getMetadata().getGeneration());
    }

    /**
     * The operator's status write names the resourceVersion it read: an edit made while it
     * reconciled (here an annotation, as a rotation request is) makes the API server refuse the
     * write, and the operator knows that refusal as "reconcile again", not as a failure. A write
     * that went through would hide the edit from the framework's event filter.
     */
    @Test
    void aStatusWriteBasedOnAnOlderReadIsRefusedSoAnEditMadeMeanwhileIsNotLost() {
        String ns = cluster.namespace("e2e-ssa");
        applyAsGitOps(Fixtures.binding(ns, "edited-bot"));
        AgentBinding read = awaitPhase(ns, "edited-bot", Phase.Active);
        patch(ns, "edited-bot", "{\"metadata\":{\"annotations\":{\"example.com/note\":\"edited meanwhile\"}}}");

        KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> admin
                .resource(StatusPatch.of(read, read.getStatus(), AgentBinding::new)).subresource("status")
                .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("mandate")
                        .withForce(true).build()));
        assertEquals(409, refused.getCode(), refused.getMessage());
        assertTrue(AgentBindingReconciler.changedWhileReconciled(read, refused), refused.getStatus().toString());
    }
}
