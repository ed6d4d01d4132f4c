package dev.mandate.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two replicas against the real API server, as the Helm chart deploys them: exactly one
 * reconciles; stopping it hands over within the lease duration; no generation is minted twice
 * and the rotation requested during the hand-over is not lost.
 */
class HighAvailabilityE2E extends E2ESupport {

    static final String LEASE = "mandate-e2e-ha";
    static final Duration LEASE_DURATION = Duration.ofSeconds(6);

    static OperatorProcess replica(E2ECluster cluster, String name) {
        return OperatorProcess.start(cluster, name,
                "-Dmandate.leader-election.enabled=true",
                "-Dmandate.leader-election.lease-namespace=" + E2ECluster.OPERATOR_NAMESPACE,
                "-Dmandate.leader-election.lease-name=" + LEASE,
                "-Dmandate.leader-election.identity=" + name,
                "-Dmandate.leader-election.lease-duration=" + LEASE_DURATION.toSeconds() + "s",
                "-Dmandate.leader-election.renew-deadline=4s",
                "-Dmandate.leader-election.retry-period=1s");
    }

    String holder() {
        Lease l = admin.leases().inNamespace(E2ECluster.OPERATOR_NAMESPACE).withName(LEASE).get();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    static double started(OperatorProcess p) {
        return p.metric("reconciliations_started_total{controller_name=\"agentbindings\"}").orElse(0);
    }

    @Test
    void oneReplicaReconcilesTheOtherTakesOverWithinTheLeaseAndNoGenerationIsMintedTwice() {
        assumeTrue(cluster.auditLog().isPresent(), "counts TokenRequests in the audit log of hack/kube.sh's API server");
        AuditLog audit = cluster.auditLog().orElseThrow();
        cluster.operator().stop(); // the suite's single replica would reconcile too
        OperatorProcess a = replica(cluster, "ha-a");
        OperatorProcess b = replica(cluster, "ha-b");
        try {
            await("a leader").atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> holder() != null);
            OperatorProcess leader = "ha-a".equals(holder()) ? a : b;
            OperatorProcess standby = leader == a ? b : a;
            String standbyName = leader == a ? "ha-b" : "ha-a";

            String ns = cluster.namespace("e2e-ha");
            long mark = audit.mark();
            create(ns, "ha-bot", x -> { });
            awaitAgent(ns, "ha-bot", 1);
            await().atMost(PATIENCE).pollInterval(POLL).until(() -> started(leader) >= 1);
            assertEquals(0.0, started(standby), "the standby reconciles nothing");

            Instant stopped = Instant.now();
            leader.stop();
            requestRotation(ns, "ha-bot", Instant.now());
            await("hand-over").atMost(LEASE_DURATION.multipliedBy(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> standbyName.equals(holder()));
            Duration handover = Duration.between(stopped, Instant.now());
            Agent rotated = awaitAgent(ns, "ha-bot", 2);
            Duration rotation = Duration.between(stopped, Instant.now());
            System.out.printf("[e2e] leader stopped; lease taken over after %d ms (lease %d s); the rotation "
                    + "requested meanwhile was done after %d ms%n", handover.toMillis(), LEASE_DURATION.toSeconds(),
                    rotation.toMillis());
            assertTrue(handover.compareTo(LEASE_DURATION.plusSeconds(3)) <= 0, "within the lease duration: " + handover);
            assertEquals(200, rotated.status(configMaps(ns)));
            assertTrue(started(standby) >= 1, "the new leader reconciles");

            Map<String, Long> tokenRequests = audit.writesBy(AuditLog.OPERATOR, ns, mark).stream()
                    .filter(w -> w.subresource().equals("token")).collect(Collectors.groupingBy(AuditLog.Write::name,
                            Collectors.counting()));
            assertEquals(Map.of("ha-bot", 2L), tokenRequests, "one TokenRequest per generation, across the hand-over");
            List<String> anchors = audit.writesBy(AuditLog.OPERATOR, ns, mark).stream()
                    .filter(w -> w.verb().equals("create") && w.name().contains("-anchor-")).map(AuditLog.Write::name)
                    .sorted().toList();
            assertEquals(List.of("ha-bot-anchor-1", "ha-bot-anchor-2"), anchors);
        } finally {
            a.stop();
            b.stop();
        }
    }
}
