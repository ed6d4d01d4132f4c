package dev.mandate.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only a real API server can show: the minted token authenticates as the agent's
 * ServiceAccount, RBAC confines it to its scope, bound-object revocation and the ServiceAccount's
 * deletion kill it, and the garbage collector cleans up after a deleted binding.
 */
class TokenLifecycleE2E extends E2ESupport {

    @BeforeEach
    void operator() {
        cluster.operator();
    }

    @Test
    void theTokenAuthenticatesAsTheAgentsServiceAccountAndReachesOnlyItsScope() {
        String ns = cluster.namespace("e2e-scope");
        String other = cluster.namespace("e2e-other");
        create(ns, "support-bot", b -> { });
        awaitPhase(ns, "support-bot", Phase.Active);
        Agent agent = awaitAgent(ns, "support-bot", 1);

        assertEquals(200, agent.status(configMaps(ns)), "rules: configmaps get/list in its own namespace");
        assertEquals(200, agent.status("/api/v1/namespaces/" + ns + "/pods"), "clusterRoles: view lists pods");
        Agent.Answer outside = agent.get(secrets(ns));
        assertEquals(403, outside.status(), "secrets are outside the scope");
        assertTrue(outside.body().contains("system:serviceaccount:" + ns + ":support-bot"),
                "the API server names the caller: " + outside.body());
        assertEquals(403, agent.status(configMaps(other)), "another namespace is outside the scope");
        assertEquals(403, agent.status("/api/v1/nodes"), "cluster-scoped resources are outside the scope");
        assertEquals(403, agent.status("/apis/mandate.dev/v1alpha1/namespaces/" + ns + "/agentbindings"),
                "the agent cannot read its own leash (view does not aggregate custom resources)");

        var review = admin.authentication().v1().tokenReviews().create(
                new io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder().withNewSpec()
                        .withToken(agent.token()).endSpec().build());
        assertEquals("system:serviceaccount:" + ns + ":support-bot", review.getStatus().getUser().getUsername());
    }

    @Test
    void afterARotationTheNewTokenWorksThePreviousWorksDuringTheOverlapAndIsRejectedAfterIt() {
        String ns = cluster.namespace("e2e-rotate");
        Duration overlap = Duration.ofSeconds(20);
        create(ns, "rotating-bot", b -> {
            b.getSpec().getRotation().setPeriod("10m");
            b.getSpec().getRotation().setOverlap("20s");
        });
        Agent first = awaitAgent(ns, "rotating-bot", 1);
        assertEquals(200, first.status(configMaps(ns)));

        requestRotation(ns, "rotating-bot", Instant.now());
        Agent second = awaitAgent(ns, "rotating-bot", 2);
        AgentBinding b = awaitPhase(ns, "rotating-bot", Phase.Active);
        Instant rotatedAt = Times.parse(b.getStatus().getToken().getIssuedAt());
        assertNotEquals(first.token(), second.token());
        assertEquals(200, second.status(configMaps(ns)), "the new token works");
        assertEquals(200, first.status(configMaps(ns)), "the previous token still works during the overlap");

        AtomicReference<Instant> rejectedAt = new AtomicReference<>();
        await("previous token rejected").atMost(overlap.plus(Duration.ofSeconds(40))).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (first.status(configMaps(ns)) == 401) {
                        rejectedAt.set(Instant.now());
                        return true;
                    }
                    return false;
                });
        assertTrue(!rejectedAt.get().isBefore(rotatedAt.plus(overlap)),
                "the previous token worked for the whole overlap: rotated " + rotatedAt + ", rejected " + rejectedAt.get());
        assertEquals(200, second.status(configMaps(ns)), "the new token is unaffected");
        assertNull(admin.secrets().inNamespace(ns).withName("rotating-bot-anchor-1").get());
    }

    @Test
    void expiryTakesPermissionsAwayAtOnceThenKillsTheTokenAndTheServiceAccountButKeepsTheBinding() {
        String ns = cluster.namespace("e2e-expiry");
        Instant expiresAt = Instant.now().plusSeconds(20).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long mark = cluster.auditLog().map(AuditLog::mark).orElse(0L);
        create(ns, "expiring-bot", b -> b.getSpec().setExpiresAt(Times.format(expiresAt)));
        Agent agent = awaitAgent(ns, "expiring-bot", 1);
        assertEquals(200, agent.status(configMaps(ns)));

        AtomicReference<Instant> deniedAt = new AtomicReference<>();
        await("permissions gone").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            int s = agent.status(configMaps(ns));
            if (s == 403 || s == 401) {
                deniedAt.set(Instant.now());
                return true;
            }
            return false;
        });
        Duration lag = Duration.between(expiresAt, deniedAt.get());
        System.out.printf("[e2e] expiry at %s, first request denied %d ms later%n", expiresAt, lag.toMillis());
        assertTrue(lag.compareTo(Duration.ofSeconds(3)) < 0 && !lag.isNegative(),
                "denied at the expiry, not before and not long after: " + lag.toMillis() + " ms");

        await("token rejected").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> agent.status(configMaps(ns)) == 401);
        AgentBinding b = awaitPhase(ns, "expiring-bot", Phase.Expired);
        assertEquals("Expired", b.getStatus().getRevocationReason());
        assertNotNull(b.getStatus().getRevokedAt());
        assertNull(admin.serviceAccounts().inNamespace(ns).withName("expiring-bot").get());
        assertTrue(admin.rbac().roleBindings().inNamespace(ns).withLabel(Metadata.BINDING, "expiring-bot").list()
                .getItems().isEmpty());

        cluster.auditLog().ifPresent(audit -> {
            List<String> revocation = audit.writesBy(AuditLog.OPERATOR, ns, mark).stream()
                    .filter(w -> w.verb().equals("delete") || (w.verb().equals("update") && w.resource().equals("secrets")))
                    .map(AuditLog.Write::describe).toList();
            assertEquals(List.of(
                    "delete rolebindings expiring-bot",
                    "delete rolebindings expiring-bot:view",
                    "delete roles expiring-bot",
                    "delete secrets expiring-bot-anchor-1",
                    "update secrets expiring-bot-token",
                    "delete serviceaccounts expiring-bot"), revocation,
                    "the API server saw permissions go first, then the token, then the identity");
        });
    }

    @Test
    void suspendingThenResumingIssuesAWorkingNewToken() {
        String ns = cluster.namespace("e2e-suspend");
        create(ns, "pausable-bot", b -> { });
        Agent first = awaitAgent(ns, "pausable-bot", 1);
        setSuspended(ns, "pausable-bot", true);
        awaitPhase(ns, "pausable-bot", Phase.Suspended);
        await("suspended token rejected").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> first.status(configMaps(ns)) == 401);

        setSuspended(ns, "pausable-bot", false);
        AgentBinding resumed = awaitPhase(ns, "pausable-bot", Phase.Active);
        Agent second = awaitAgent(ns, "pausable-bot", 2);
        assertEquals(200, second.status(configMaps(ns)));
        assertEquals(401, first.status(configMaps(ns)), "the old token stays dead");
        assertNull(resumed.getStatus().getRevokedAt());
    }

    @Test
    void deletingTheBindingLeavesNothingBehind() {
        String ns = cluster.namespace("e2e-delete");
        create(ns, "doomed-bot", b -> { });
        Agent agent = awaitAgent(ns, "doomed-bot", 1);
        admin.resources(AgentBinding.class).inNamespace(ns).withName("doomed-bot").delete();

        await("garbage collected").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> nothingFor(ns, "doomed-bot"));
        await("token rejected").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> agent.status(configMaps(ns)) == 401);
        assertNull(binding(ns, "doomed-bot"));
    }

    @Test
    void deletingTheAgentsNamespaceIsLeftToTheNamespaceControllerWithoutAFight() {
        AuditLog audit = cluster.auditLog().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(audit != null, "needs the project's control plane and its audit log");
        String ns = cluster.namespace("e2e-ns-delete");
        create(ns, "homeless-bot", b -> { });
        Agent agent = awaitAgent(ns, "homeless-bot", 1);
        long mark = audit.mark();
        admin.namespaces().withName(ns).delete();
        await("namespace gone").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> admin.namespaces().withName(ns).get() == null);
        List<AuditLog.Write> operator = audit.since(mark).stream().filter(w -> w.user().equals(AuditLog.OPERATOR)).toList();
        assertEquals(List.of(), operator.stream().filter(w -> w.verb().equals("create") && w.code() < 300)
                .map(AuditLog.Write::describe).toList(), "nothing the namespace controller deleted was re-created");
        List<String> refused = operator.stream().filter(w -> w.code() >= 400).map(w -> w.describe() + " -> " + w.code())
                .toList();
        // One write may race the namespace's own update to the operator's cache; a fight is a retry loop.
        assertTrue(refused.size() <= 1, "writes refused: " + refused);
        await("token rejected").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> agent.status(configMaps(ns)) == 401);
    }
}
