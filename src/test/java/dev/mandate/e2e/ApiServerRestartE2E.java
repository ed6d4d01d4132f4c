package dev.mandate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mandate.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The operator rides out an API server restart: watches resume, nothing is lost or done twice. */
class ApiServerRestartE2E extends E2ESupport {

    @Test
    void theOperatorKeepsWorkingWhenTheApiServerRestartsUnderIt() {
        assumeTrue(cluster.local, "restarts the API server of hack/kube.sh");
        AuditLog audit = cluster.auditLog().orElseThrow();
        OperatorProcess operator = cluster.operator();
        String ns = cluster.namespace("e2e-apiserver");
        long mark = audit.mark();
        create(ns, "steady-bot", b -> { });
        awaitAgent(ns, "steady-bot", 1);

        cluster.restartApiServer();

        assertTrue(operator.isAlive(), "the operator survived the outage");
        create(ns, "new-bot", b -> { });
        awaitPhase(ns, "new-bot", Phase.Active);
        Agent fresh = awaitAgent(ns, "new-bot", 1);
        assertEquals(200, fresh.status(configMaps(ns)), "issued after the restart");
        requestRotation(ns, "steady-bot", Instant.now());
        Agent rotated = awaitAgent(ns, "steady-bot", 2);
        assertEquals(200, rotated.status(configMaps(ns)), "rotated after the restart");
        awaitPhase(ns, "steady-bot", Phase.Active);

        Map<String, Long> tokensPerAccount = audit.writesBy(AuditLog.OPERATOR, ns, mark).stream()
                .filter(w -> w.resource().equals("serviceaccounts") && w.subresource().equals("token"))
                .collect(Collectors.groupingBy(AuditLog.Write::name, Collectors.counting()));
        assertEquals(Map.of("steady-bot", 2L, "new-bot", 1L), tokensPerAccount,
                "one TokenRequest per generation: nothing lost, nothing duplicated");
        List<String> anchorsCreated = audit.writesBy(AuditLog.OPERATOR, ns, mark).stream()
                .filter(w -> w.verb().equals("create") && w.resource().equals("secrets") && w.name().contains("-anchor-"))
                .map(AuditLog.Write::name).sorted().toList();
        assertEquals(List.of("new-bot-anchor-1", "steady-bot-anchor-1", "steady-bot-anchor-2"), anchorsCreated);
    }
}
