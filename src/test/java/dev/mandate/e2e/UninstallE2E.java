package dev.mandate.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the README says about uninstalling: without the operator, issued identities stay until
 * their tokens expire (nothing rotates, nothing is revoked on time); deleting the bindings
 * (or their CRD) revokes them, by garbage collection.
 */
class UninstallE2E extends E2ESupport {

    @Test
    void withoutTheOperatorTokensLiveOnUntilTheyExpireAndDeletingTheBindingsRevokesThem() {
        String ns = cluster.namespace("e2e-uninstall");
        cluster.operator();
        create(ns, "left-bot", b -> { });
        Agent agent = awaitAgent(ns, "left-bot", 1);
        AgentBinding before = awaitPhase(ns, "left-bot", Phase.Active);

        cluster.operator().stop(); // helm uninstall removes the Deployment; CRDs and bindings stay
        assertEquals(200, agent.status(configMaps(ns)), "the token still works: it is not revoked by uninstalling");
        assertEquals(before.getStatus().getToken().getExpiresAt(),
                binding(ns, "left-bot").getStatus().getToken().getExpiresAt(), "nothing else happens");

        admin.resources(AgentBinding.class).inNamespace(ns).withName("left-bot").delete();
        await("garbage collected").atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() ->
                admin.serviceAccounts().inNamespace(ns).withLabel(Metadata.BINDING, "left-bot").list().getItems().isEmpty()
                        && admin.rbac().roleBindings().inNamespace(ns).withLabel(Metadata.BINDING, "left-bot").list()
                                .getItems().isEmpty()
                        && admin.secrets().inNamespace(ns).withLabel(Metadata.BINDING, "left-bot").list().getItems()
                                .isEmpty());
        await("token rejected").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> agent.status(configMaps(ns)) == 401);
    }
}
