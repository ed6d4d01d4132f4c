package dev.mandate.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Phase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A restart with live bindings must not hammer the API server: no new tokens, no writes. */
class OperatorRestartE2E extends E2ESupport {

    @Test
    void restartingTheOperatorWithLiveBindingsMintsNothingAndWritesNothing() {
        assumeTrue(cluster.auditLog().isPresent(), "counts writes in the audit log of hack/kube.sh's API server");
        AuditLog audit = cluster.auditLog().orElseThrow();
        String ns = cluster.namespace("e2e-restart");
        OperatorProcess before = cluster.operator();
        List<String> names = List.of("restart-a", "restart-b", "restart-c");
        for (String n : names) {
            create(ns, n, b -> { });
        }
        for (String n : names) {
            awaitPhase(ns, n, Phase.Active);
            awaitAgent(ns, n, 1);
        }

        before.stop();
        int everyBinding = admin.resources(AgentBinding.class).inAnyNamespace().list().getItems().size();
        long mark = audit.mark();
        OperatorProcess after = OperatorProcess.start(cluster, "restarted");
        cluster.adopt(after);
        await("the resync reconciled all " + everyBinding + " bindings").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> after.metric("reconciliations_success_total").orElse(0) >= everyBinding);
        // Nothing may happen for a while after the resync either (rotation is an hour away).
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> audit.writesBy(AuditLog.OPERATOR, ns, mark).isEmpty());

        List<AuditLog.Write> writes = audit.writesBy(AuditLog.OPERATOR, ns, mark);
        System.out.printf("[e2e] writes by the operator in %s after its restart: %d%n", ns, writes.size());
        assertEquals(List.of(), writes.stream().map(AuditLog.Write::describe).toList());
        for (String n : names) {
            assertEquals(1L, deliveredGeneration(ns, n), n + " kept its token");
            assertEquals(200, Agent.from(delivery(ns, n), cluster.server).status(configMaps(ns)));
        }
    }
}
