package dev.mandate.binding;

import static dev.mandate.testing.Fixtures.binding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.ConditionTypes;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.api.v1alpha1.Reasons;
import dev.mandate.api.v1alpha1.StatusPatch;
import dev.mandate.binding.cluster.ClusterClient;
import dev.mandate.binding.revocation.ExpiryPlan;
import dev.mandate.testing.ApiClusterView;
import dev.mandate.testing.Fixtures;
import dev.mandate.testing.LifecycleRig;
import dev.mandate.testing.LogCapture;
import dev.mandate.testing.TokenEndpoint;
import dev.mandate.time.Times;
import dev.mandate.token.AnchorSecrets;
import dev.mandate.token.DeliverySecrets;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle on the fabric8 mock API server, one reconciliation at a time while the clock
 * moves. TokenRequest is played by {@link TokenEndpoint}; what the real API server does with the
 * tokens is the end-to-end suite's job.
 */
class BindingLifecycleTest {

    static final String NS = "support";
    static final String NAME = "support-bot";

    final LifecycleRig rig = LifecycleRig.withGuardrails();

    @AfterEach
    void close() {
        rig.close();
    }

    AgentBinding issueSupportBot() {
        rig.create(binding(NS, NAME));
        rig.reconcile(NS, NAME);
        return rig.get(NS, NAME);
    }

    Secret delivery() {
        return rig.secret(NS, NAME + "-token");
    }

    long deliveredGeneration() {
        return DeliverySecrets.current(delivery()).orElseThrow().generation();
    }

    String deliveredToken() {
        return DeliverySecrets.token(delivery()).orElseThrow();
    }

    List<String> anchorNames() {
        return rig.secrets(NS).stream().filter(AnchorSecrets::isAnchor).map(s -> s.getMetadata().getName())
                .sorted().toList();
    }

    Condition ready(AgentBinding b) {
        return b.getStatus().condition(ConditionTypes.READY).orElseThrow();
    }

    int minted() {
        return rig.cluster.tokens().minted().size();
    }

    static void assertOwnedByBinding(HasMetadata o, AgentBinding b) {
        var refs = o.getMetadata().getOwnerReferences();
        assertEquals(1, refs.size(), o.getKind() + " " + o.getMetadata().getName() + " owner references");
        assertEquals(b.getMetadata().getUid(), refs.get(0).getUid());
        assertEquals("AgentBinding", refs.get(0).getKind());
        assertEquals("mandate.dev/v1alpha1", refs.get(0).getApiVersion());
        assertEquals(Boolean.TRUE, refs.get(0).getController());
        assertEquals(Boolean.TRUE, refs.get(0).getBlockOwnerDeletion());
        assertEquals("mandate", o.getMetadata().getLabels().get(Metadata.MANAGED_BY));
        assertEquals(b.getMetadata().getName(), o.getMetadata().getLabels().get(Metadata.BINDING));
    }

    // ------------------------------------------------------------------------------- first issue

    @Test
    void firstReconcileIssuesServiceAccountRoleRoleBindingsAnchorAndDeliverySecret() {
        Instant start = rig.clock.instant();
        AgentBinding b = issueSupportBot();

        ServiceAccount sa = rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get();
        assertNotNull(sa, "ServiceAccount named after the binding");
        assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken());
        assertOwnedByBinding(sa, b);

        Role role = rig.client.rbac().roles().inNamespace(NS).withName(NAME).get();
        assertTrue(DesiredResources.sameRules(List.of(new PolicyRule(List.of(""), null, null, List.of("configmaps"),
                List.of("get", "list", "watch"))), role.getRules()), role.getRules().toString());
        assertOwnedByBinding(role, b);

        RoleBinding toRole = rig.client.rbac().roleBindings().inNamespace(NS).withName(NAME).get();
        assertEquals("Role", toRole.getRoleRef().getKind());
        assertEquals(NAME, toRole.getRoleRef().getName());
        assertEquals("ServiceAccount", toRole.getSubjects().get(0).getKind());
        assertEquals(NAME, toRole.getSubjects().get(0).getName());
        assertEquals(NS, toRole.getSubjects().get(0).getNamespace());
        RoleBinding toView = rig.client.rbac().roleBindings().inNamespace(NS).withName(NAME + ":view").get();
        assertEquals("ClusterRole", toView.getRoleRef().getKind());
        assertEquals("view", toView.getRoleRef().getName());
        assertOwnedByBinding(toRole, b);
        assertOwnedByBinding(toView, b);

        assertEquals(List.of(NAME + "-anchor-1"), anchorNames());
        Secret anchor = rig.secret(NS, NAME + "-anchor-1");
        assertEquals("mandate.dev/token-anchor", anchor.getType());
        assertTrue(anchor.getData() == null || anchor.getData().isEmpty(), "an anchor holds no data");
        assertOwnedByBinding(anchor, b);

        TokenEndpoint.Minted minted = rig.cluster.tokens().minted().get(0);
        assertEquals(NAME, minted.serviceAccount());
        assertEquals(3900L, minted.request().getSpec().getExpirationSeconds(), "period + overlap = 1h5m");
        assertEquals(NAME + "-anchor-1", minted.request().getSpec().getBoundObjectRef().getName());
        assertEquals(anchor.getMetadata().getUid(), minted.request().getSpec().getBoundObjectRef().getUid());
        assertEquals("Secret", minted.request().getSpec().getBoundObjectRef().getKind());

        Secret delivery = delivery();
        assertEquals("Opaque", delivery.getType());
        assertOwnedByBinding(delivery, b);
        assertEquals(minted.token(), deliveredToken());
        assertEquals(NS, decode(delivery, "namespace"));
        assertEquals(LifecycleRig.ENDPOINT.caPem(), decode(delivery, "ca.crt"));
        String kubeconfig = decode(delivery, "kubeconfig");
        assertTrue(kubeconfig.contains("token: \"" + minted.token() + "\""), kubeconfig);
        assertTrue(kubeconfig.contains("server: \"https://agents.example.test:6443\""), kubeconfig);
        assertTrue(kubeconfig.contains("namespace: \"support\""), kubeconfig);
        assertEquals("1", delivery.getMetadata().getAnnotations().get(Metadata.TOKEN_GENERATION));
        assertEquals(Times.format(minted.expiresAt()), delivery.getMetadata().getAnnotations().get(Metadata.TOKEN_EXPIRES_AT));

        AgentBindingStatus s = b.getStatus();
        assertEquals(Phase.Active, s.getPhase());
        assertEquals(1L, s.getObservedGeneration());
        assertEquals(NAME, s.getServiceAccountName());
        assertEquals(NAME + "-token", s.getTokenSecretName());
        assertEquals(1L, s.getToken().getGeneration());
        assertEquals(Times.format(start), s.getToken().getIssuedAt());
        assertEquals(Times.format(start.plus(Duration.ofMinutes(65))), s.getToken().getExpiresAt());
        assertEquals(Times.format(start.plus(Duration.ofHours(1))), s.getNextRotationAt());
        Instant created = Times.parse(b.getMetadata().getCreationTimestamp());
        assertEquals(Times.format(created.plus(Duration.ofHours(720))), s.getExpiresAt());
        assertEquals("True", ready(b).getStatus());
        assertEquals(Reasons.TOKEN_ISSUED, ready(b).getReason());
        assertEquals("True", s.condition(ConditionTypes.SCOPE_ALLOWED).orElseThrow().getStatus());
        assertEquals("True", s.condition(ConditionTypes.OWNER_ACTIVE).orElseThrow().getStatus());
        assertEquals(List.of("Issued"), rig.eventReasons(NS));
    }

    // ---------------------------------------------------------------------------------- rotation

    @Test
    void rotatesAtTheDueTimeAndNotASecondBefore() {
        Instant issued = rig.clock.instant();
        issueSupportBot();

        rig.clock.set(issued.plus(Duration.ofHours(1)).minusSeconds(1));
        BindingReconciliation.Outcome early = rig.reconcile(NS, NAME);
        assertEquals(1, minted(), "no new token a second before the rotation is due");
        assertEquals(Optional.of(issued.plus(Duration.ofHours(1))), early.wakeAt(),
                "the operator asks to be woken exactly at the due time");

        rig.clock.set(issued.plus(Duration.ofHours(1)));
        rig.reconcile(NS, NAME);
        assertEquals(2, minted());
        assertEquals(2, deliveredGeneration());
        assertEquals(rig.cluster.tokens().minted().get(1).token(), deliveredToken());
        AgentBinding b = rig.get(NS, NAME);
        assertEquals(2L, b.getStatus().getToken().getGeneration());
        assertEquals(Times.format(issued.plus(Duration.ofHours(1))), b.getStatus().getLastRotationAt());
        assertEquals(Times.format(issued.plus(Duration.ofHours(2))), b.getStatus().getNextRotationAt());
        assertEquals(List.of("Issued", "Rotated"), rig.eventReasons(NS));
        assertEquals(NAME + "-anchor-2", rig.cluster.tokens().minted().get(1).request().getSpec().getBoundObjectRef().getName());
    }

    @Test
    void serverShortenedTokenExpiryPullsTheRotationEarlier() {
        rig.cluster.tokens().shortenTokensTo(Duration.ofMinutes(30));
        Instant issued = rig.clock.instant();
        AgentBinding b = issueSupportBot();

        assertEquals(Times.format(issued.plus(Duration.ofMinutes(30))), b.getStatus().getToken().getExpiresAt(),
                "status records the expiry the server returned, not the one asked for");
        Instant due = issued.plus(Duration.ofMinutes(25));
        assertEquals(Times.format(due), b.getStatus().getNextRotationAt(), "server expiry minus the 5m overlap");

        rig.clock.set(due.minusSeconds(1));
        assertEquals(Optional.of(due), rig.reconcile(NS, NAME).wakeAt());
        assertEquals(1, minted());
        rig.clock.set(due);
        rig.reconcile(NS, NAME);
        assertEquals(2, minted(), "rotated 35 minutes before the 1h period would have said");
        assertTrue(rig.events(NS).get(0).getMessage().contains("the API server shortened it from 1h5m"),
                rig.events(NS).get(0).getMessage());
    }

    @Test
    void previousAnchorIsDeletedOnlyAfterTheOverlap() {
        Instant issued = rig.clock.instant();
        issueSupportBot();
        Instant rotated = issued.plus(Duration.ofHours(1));
        rig.clock.set(rotated);
        rig.reconcile(NS, NAME);
        assertEquals(List.of(NAME + "-anchor-1", NAME + "-anchor-2"), anchorNames(),
                "the previous token stays valid during the overlap");

        rig.clock.set(rotated.plus(Duration.ofMinutes(5)).minusSeconds(1));
        BindingReconciliation.Outcome during = rig.reconcile(NS, NAME);
        assertEquals(List.of(NAME + "-anchor-1", NAME + "-anchor-2"), anchorNames());
        assertEquals(Optional.of(rotated.plus(Duration.ofMinutes(5))), during.wakeAt(),
                "wakes exactly when the overlap ends");

        rig.clock.set(rotated.plus(Duration.ofMinutes(5)));
        BindingReconciliation.Outcome after = rig.reconcile(NS, NAME);
        assertEquals(List.of(NAME + "-anchor-2"), anchorNames(), "anchor 1 deleted: token 1 dies on the server");
        assertEquals(Optional.of(rotated.plus(Duration.ofHours(1))), after.wakeAt(), "next wake-up is the next rotation");
        assertEquals(List.of("Issued", "Rotated", "TokenRetired"), rig.eventReasons(NS));
        assertEquals(2, minted());
    }

    @Test
    void manualRotationAnnotationRotatesOnceWhenNewerThanTheLastRotation() {
        Instant issued = rig.clock.instant();
        issueSupportBot();

        // Not newer than the last rotation: nothing happens.
        annotateRotateRequestedAt(issued.minusSeconds(60));
        rig.reconcile(NS, NAME);
        assertEquals(1, minted());

        rig.clock.advance(Duration.ofMinutes(3));
        Instant requested = rig.clock.instant();
        annotateRotateRequestedAt(requested);
        rig.reconcile(NS, NAME);
        assertEquals(2, minted());
        assertTrue(rig.events(NS).get(1).getMessage().contains("RotationRequested"), rig.events(NS).get(1).getMessage());

        rig.clock.advance(Duration.ofSeconds(30));
        rig.reconcile(NS, NAME);
        rig.reconcile(NS, NAME);
        assertEquals(2, minted(), "the same request is honoured once");
        rig.clock.set(requested.plus(Duration.ofMinutes(5)));
        rig.reconcile(NS, NAME);
        assertEquals(List.of(NAME + "-anchor-2"), anchorNames(), "the overlap is over");

        // A request for a later time is scheduled for that time.
        Instant later = rig.clock.instant().plus(Duration.ofMinutes(10));
        annotateRotateRequestedAt(later);
        assertEquals(Optional.of(later), rig.reconcile(NS, NAME).wakeAt());
        assertEquals(2, minted());
        rig.clock.set(later);
        rig.reconcile(NS, NAME);
        assertEquals(3, minted());
        assertEquals(Times.format(later.plus(Duration.ofHours(1))), rig.get(NS, NAME).getStatus().getNextRotationAt());
    }

    void annotateRotateRequestedAt(Instant t) {
        rig.edit(NS, NAME, b -> {
            Map<String, String> a = new HashMap<>(Optional.ofNullable(b.getMetadata().getAnnotations()).orElse(Map.of()));
            a.put(Metadata.ROTATE_REQUESTED_AT, Times.format(t));
            b.getMetadata().setAnnotations(a);
            return b;
        });
    }

    @Test
    void deletingTheCurrentAnchorKillsThatTokenAndANewOneIsIssued() {
        issueSupportBot();
        String first = deliveredToken();
        rig.client.secrets().inNamespace(NS).withName(NAME + "-anchor-1").delete();
        rig.reconcile(NS, NAME);
        assertEquals(2, minted());
        assertEquals(2, deliveredGeneration());
        assertNotEquals(first, deliveredToken());
        assertEquals(List.of(NAME + "-anchor-2"), anchorNames());
    }

    @Test
    void changingAudiencesMintsATokenForTheNewAudiences() {
        issueSupportBot();
        rig.edit(NS, NAME, b -> {
            b.getSpec().getRotation().setAudiences(new ArrayList<>(List.of("vault")));
            return b;
        });
        rig.reconcile(NS, NAME);
        assertEquals(2, minted());
        assertEquals(List.of("vault"), rig.cluster.tokens().minted().get(1).request().getSpec().getAudiences());
        rig.reconcile(NS, NAME);
        assertEquals(2, minted(), "once");
    }

    @Test
    void aTokenRequestFailureIsRetriedWithoutAHalfDeliveredToken() {
        rig.create(binding(NS, NAME));
        rig.cluster.tokens().failNext(1);
        try {
            rig.reconcile(NS, NAME);
            throw new AssertionError("the failure must reach the operator so that it retries");
        } catch (io.fabric8.kubernetes.client.KubernetesClientException expected) {
            assertEquals(403, expected.getCode());
        }
        assertEquals(1.0, rig.metric("mandate_rotations_total",
                Map.of("namespace", NS, "result", "failure", "trigger", "TokenMissing")), "the failure is counted");
        assertNull(delivery(), "no delivery Secret without a token");
        rig.reconcile(NS, NAME);
        assertEquals(Phase.Active, rig.get(NS, NAME).getStatus().getPhase());
        assertEquals(2L, deliveredGeneration(), "generation 1's anchor was made, but its token never delivered");
        assertEquals(List.of(NAME + "-anchor-2"), anchorNames(), "the undelivered generation's anchor is removed");
    }

    // ------------------------------------------------------------------------------- revocation

    @Test
    void expiryRevokesRoleBindingsThenAnchorsThenTheTokenThenTheServiceAccountAndKeepsTheBinding() {
        rig.create(binding(NS, NAME));
        AgentBinding created = rig.get(NS, NAME);
        Instant expiresAt = Times.parse(created.getMetadata().getCreationTimestamp()).plus(Duration.ofMinutes(62));
        rig.edit(NS, NAME, b -> {
            b.getSpec().setExpiresAt(Times.format(expiresAt));
            return b;
        });
        rig.reconcile(NS, NAME);
        rig.clock.set(rig.clock.instant().plus(Duration.ofHours(1)));
        BindingReconciliation.Outcome beforeExpiry = rig.reconcile(NS, NAME);
        assertEquals(Optional.of(expiresAt.minus(ExpiryPlan.REPLAN)), beforeExpiry.wakeAt(),
                "the expiry comes before the end of the overlap and the next rotation: the operator wakes to plan it");
        rig.clock.set(expiresAt.minus(ExpiryPlan.REPLAN));
        rig.cluster.clearRequests();
        assertEquals(Optional.of(expiresAt), rig.reconcile(NS, NAME).wakeAt(), "and then for the expiry itself");
        assertEquals(List.of(), rig.cluster.writes());
        assertEquals(2, anchorNames().size(), "anchors 1 and 2 (overlap)");

        rig.clock.set(expiresAt);
        rig.cluster.clearRequests();
        BindingReconciliation.Outcome outcome = rig.reconcile(NS, NAME);

        List<String> order = rig.cluster.writes().stream()
                .filter(r -> !r.path().contains("/events"))
                .map(r -> r.method() + " " + r.path().replaceAll("^.*/namespaces/support/", ""))
                .toList();
        assertEquals(List.of(
                "DELETE rolebindings/" + NAME,
                "DELETE rolebindings/" + NAME + ":view",
                "DELETE roles/" + NAME,
                "DELETE secrets/" + NAME + "-anchor-1",
                "DELETE secrets/" + NAME + "-anchor-2",
                "PUT secrets/" + NAME + "-token",
                "DELETE serviceaccounts/" + NAME,
                "PUT agentbindings/" + NAME + "/status"), order);
        assertTrue(outcome.wakeAt().isEmpty(), "nothing left to wake up for");

        AgentBinding b = rig.get(NS, NAME);
        assertNotNull(b, "the binding stays, so git and cluster agree");
        assertEquals(Phase.Expired, b.getStatus().getPhase());
        assertEquals("Expired", b.getStatus().getRevocationReason());
        assertEquals(Times.format(expiresAt), b.getStatus().getRevokedAt());
        assertEquals("False", ready(b).getStatus());
        assertEquals("Expired", ready(b).getReason());
        assertNull(b.getStatus().getNextRotationAt());
        assertEquals(2L, b.getStatus().getToken().getGeneration(), "the generation history survives");
        assertNull(b.getStatus().getToken().getExpiresAt());
        assertTrue(DeliverySecrets.token(delivery()).isEmpty(), "the delivery Secret keeps its name, not the token");
        assertFalse(delivery().getData().containsKey("kubeconfig"));
        assertNull(rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get());
        assertTrue(rig.client.rbac().roleBindings().inNamespace(NS).list().getItems().isEmpty());
        assertTrue(anchorNames().isEmpty());
        assertEquals(List.of("Issued", "Rotated", "Revoked"), rig.eventReasons(NS), "one Event says what was revoked and why");
        assertTrue(rig.events(NS).get(2).getMessage().startsWith("Revoked (Expired): permissions removed; "),
                rig.events(NS).get(2).getMessage());

        rig.cluster.clearRequests();
        rig.clock.advance(Duration.ofMinutes(1));
        rig.reconcile(NS, NAME);
        assertEquals(List.of(), rig.cluster.writes(), "a revoked binding costs no further writes");
    }

    @Test
    void aBindingThatPlannedItsExpiryAloneCountsAgainBeforeItActs() {
        rig.revocationWriteRate = 3;
        rig.restart();
        rig.create(binding(NS, NAME));
        rig.create(binding(NS, "second-bot"));
        Instant expiresAt = Times.parse(rig.get(NS, NAME).getMetadata().getCreationTimestamp())
                .plus(Duration.ofMinutes(30));
        rig.edit(NS, NAME, b -> {
            b.getSpec().setExpiresAt(Times.format(expiresAt));
            return b;
        });
        Instant replan = expiresAt.minusSeconds(2).minus(ExpiryPlan.REPLAN);
        assertEquals(Optional.of(replan), rig.reconcile(NS, NAME).wakeAt(),
                "alone, 3 writes at 3 writes/s plus 1 s margin: permissions end 2 s ahead, planned again 5 s before");

        rig.edit(NS, "second-bot", b -> { // a second binding joins the same expiry later
            b.getSpec().setExpiresAt(Times.format(expiresAt));
            return b;
        });
        rig.reconcile(NS, "second-bot");
        rig.clock.set(replan);
        rig.cluster.clearRequests();
        assertEquals(Optional.of(expiresAt.minusSeconds(3)), rig.reconcile(NS, NAME).wakeAt(),
                "two bindings x 3 writes at 3 writes/s: 2 s, plus 1 s margin");
        assertEquals(List.of(), rig.cluster.writes(), "planning writes nothing");
    }

    @Test
    void bindingsExpiringTogetherLosePermissionsAheadOfTheExpiryButKeepTheRestUntilIt() {
        rig.revocationWriteRate = 3; // two bindings x 3 writes take 2 s at this rate: lead 2 s + 1 s margin
        rig.restart();
        rig.create(binding(NS, NAME));
        rig.create(binding(NS, "second-bot"));
        Instant expiresAt = Times.parse(rig.get(NS, NAME).getMetadata().getCreationTimestamp())
                .plus(Duration.ofMinutes(30));
        for (String name : List.of(NAME, "second-bot")) {
            rig.edit(NS, name, b -> {
                b.getSpec().setExpiresAt(Times.format(expiresAt));
                return b;
            });
        }
        BindingReconciliation.Outcome issued = rig.reconcile(NS, NAME);
        rig.reconcile(NS, "second-bot");
        Instant permissionsEnd = expiresAt.minusSeconds(3);
        assertEquals(Optional.of(permissionsEnd.minus(ExpiryPlan.REPLAN)), issued.wakeAt(),
                "it wakes first to count again the bindings expiring with it");

        rig.clock.set(permissionsEnd.minusMillis(1));
        assertEquals(Optional.of(permissionsEnd), rig.reconcile(NS, NAME).wakeAt());
        assertNotNull(rig.client.rbac().roleBindings().inNamespace(NS).withName(NAME).get(), "not yet");

        rig.clock.set(permissionsEnd);
        rig.cluster.clearRequests();
        BindingReconciliation.Outcome expiring = rig.reconcile(NS, NAME);
        assertEquals(List.of("DELETE rolebindings/" + NAME, "DELETE rolebindings/" + NAME + ":view",
                "PUT agentbindings/" + NAME + "/status"),
                rig.cluster.writes().stream()
                        .map(r -> r.method() + " " + r.path().replaceAll("^.*/namespaces/support/", "")).toList(),
                "only the permissions go, and no Event: the Revoked one follows within seconds");
        assertEquals(Optional.of(expiresAt), expiring.wakeAt());
        AgentBinding b = rig.get(NS, NAME);
        assertEquals(Phase.Active, b.getStatus().getPhase(), "the binding has not expired yet");
        assertEquals("False", ready(b).getStatus());
        assertEquals(Reasons.EXPIRING, ready(b).getReason());
        assertTrue(ready(b).getMessage().contains("2 bindings expire with it"), ready(b).getMessage());
        assertNotNull(rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get());
        assertTrue(DeliverySecrets.token(delivery()).isPresent(), "the token itself goes at the expiry");
        assertNotNull(rig.client.rbac().roleBindings().inNamespace(NS).withName("second-bot").get(),
                "each binding is unbound by its own reconciliation");

        rig.cluster.clearRequests();
        rig.clock.advance(Duration.ofSeconds(1));
        rig.reconcile(NS, NAME);
        assertEquals(List.of(), rig.cluster.writes(), "nothing changes while it waits for the expiry");

        rig.clock.set(expiresAt);
        rig.reconcile(NS, NAME);
        b = rig.get(NS, NAME);
        assertEquals(Phase.Expired, b.getStatus().getPhase());
        assertEquals(Times.format(expiresAt), b.getStatus().getRevokedAt());
        assertNull(rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get());
        assertTrue(DeliverySecrets.token(delivery()).isEmpty());
        assertEquals(List.of("Issued", "Issued", "Revoked"), rig.eventReasons(NS));
    }

    @Test
    void revocationRemovesPermissionsInARunOfItsOwnBeforeTheRest() {
        issueSupportBot();
        rig.edit(NS, NAME, b -> {
            b.getSpec().setSuspended(true);
            return b;
        });
        rig.cluster.clearRequests();
        BindingReconciliation.Outcome first = rig.reconcileOnce(NS, NAME);
        assertEquals(List.of("DELETE rolebindings/" + NAME, "DELETE rolebindings/" + NAME + ":view"),
                rig.cluster.writes().stream()
                        .map(r -> r.method() + " " + r.path().replaceAll("^.*/namespaces/support/", "")).toList());
        assertEquals(Optional.of(rig.clock.instant()), first.wakeAt(), "the rest queues behind other revocations");
        assertEquals(Phase.Active, first.status().getPhase(), "status is written once, when all is done");
    }

    @Test
    void inATerminatingNamespaceNothingIsCreatedButPermissionsAndTokensGoAtOnce() {
        issueSupportBot();
        var namespace = rig.client.namespaces().withName(NS).get();
        namespace.setStatus(new io.fabric8.kubernetes.api.model.NamespaceStatusBuilder().withPhase("Terminating").build());
        rig.client.namespaces().resource(namespace).update(); // the mock keeps status on a plain update
        // The namespace controller has started: the ServiceAccount is gone, which would normally be re-created.
        rig.client.serviceAccounts().inNamespace(NS).withName(NAME).delete();
        rig.cluster.clearRequests();

        BindingReconciliation.Outcome outcome = rig.reconcile(NS, NAME);
        List<String> writes = rig.cluster.writes().stream()
                .map(r -> r.method() + " " + r.path().replaceAll("^.*/namespaces/support/", "")).toList();
        assertEquals(List.of("DELETE rolebindings/" + NAME, "DELETE rolebindings/" + NAME + ":view",
                "DELETE secrets/" + NAME + "-anchor-1"), writes, "deletes only: no creates, no status, no Event");
        assertTrue(outcome.wakeAt().isEmpty());
        assertNull(rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get());

        rig.cluster.clearRequests();
        rig.reconcile(NS, NAME);
        assertEquals(List.of(), rig.cluster.writes(), "and then nothing at all");
    }

    @Test
    void aBindingBeingDeletedIsNotRebuiltAroundTheGarbageCollector() {
        issueSupportBot();
        rig.client.rbac().roles().inNamespace(NS).withName(NAME).delete(); // the collector at work
        AgentBinding deleting = rig.get(NS, NAME);
        deleting.getMetadata().setDeletionTimestamp(Times.format(rig.clock.instant()));
        rig.cluster.clearRequests();
        rig.newReconciliation().reconcile(deleting, new ApiClusterView(rig.client),
                new ClusterClient(rig.client, ClusterClient.DIRECT));
        assertTrue(rig.cluster.writes().stream().allMatch(r -> r.method().equals("DELETE")),
                rig.cluster.writes().toString());
        assertNull(rig.client.rbac().roles().inNamespace(NS).withName(NAME).get(), "not re-created");
        assertTrue(anchorNames().isEmpty(), "the token is dead already");
    }

    @Test
    void movingTheExpiryIntoTheFutureReissues() {
        rig.create(binding(NS, NAME));
        Instant created = Times.parse(rig.get(NS, NAME).getMetadata().getCreationTimestamp());
        rig.edit(NS, NAME, b -> {
            b.getSpec().setExpiresAt(Times.format(created.plus(Duration.ofMinutes(30))));
            return b;
        });
        rig.reconcile(NS, NAME);
        rig.clock.set(created.plus(Duration.ofMinutes(30)));
        rig.reconcile(NS, NAME);
        assertEquals(Phase.Expired, rig.get(NS, NAME).getStatus().getPhase());

        rig.edit(NS, NAME, b -> {
            b.getSpec().setExpiresAt(Times.format(created.plus(Duration.ofDays(2))));
            return b;
        });
        rig.reconcile(NS, NAME);
        AgentBinding b = rig.get(NS, NAME);
        assertEquals(Phase.Active, b.getStatus().getPhase());
        assertEquals(2L, b.getStatus().getToken().getGeneration(), "generations keep counting");
        assertNull(b.getStatus().getRevokedAt());
        assertNull(b.getStatus().getRevocationReason());
        assertNotNull(rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get());
    }

    @Test
    void suspendRevokesEverythingAndResumeIssuesANewToken() {
        issueSupportBot();
        String first = deliveredToken();
        rig.edit(NS, NAME, b -> {
            b.getSpec().setSuspended(true);
            return b;
        });
        rig.clock.advance(Duration.ofMinutes(2));
        rig.reconcile(NS, NAME);
        AgentBinding suspended = rig.get(NS, NAME);
        assertEquals(Phase.Suspended, suspended.getStatus().getPhase());
        assertEquals("Suspended", suspended.getStatus().getRevocationReason());
        assertEquals(Times.format(rig.clock.instant()), suspended.getStatus().getRevokedAt());
        assertNull(rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get());
        assertTrue(anchorNames().isEmpty());
        assertTrue(DeliverySecrets.token(delivery()).isEmpty());

        rig.clock.advance(Duration.ofMinutes(2));
        rig.reconcile(NS, NAME);
        assertEquals(Times.format(rig.clock.instant().minus(Duration.ofMinutes(2))),
                rig.get(NS, NAME).getStatus().getRevokedAt(), "revokedAt is when it happened, not the last look");

        rig.edit(NS, NAME, b -> {
            b.getSpec().setSuspended(false);
            return b;
        });
        rig.reconcile(NS, NAME);
        AgentBinding resumed = rig.get(NS, NAME);
        assertEquals(Phase.Active, resumed.getStatus().getPhase());
        assertEquals(2L, resumed.getStatus().getToken().getGeneration());
        assertNotEquals(first, deliveredToken());
        assertNull(resumed.getStatus().getRevokedAt());
        assertEquals(List.of(NAME + "-anchor-2"), anchorNames());
        assertEquals(List.of("Issued", "Revoked", "Issued"), rig.eventReasons(NS));
    }

    // -------------------------------------------------------------------------------- conflicts

    @Test
    void aServiceAccountMandateDidNotCreateIsAConflictAndNothingIsGranted() {
        rig.namespace(NS);
        rig.client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(NAME).addToLabels("team", "payments").endMetadata().build()).create();
        rig.create(binding(NS, NAME));
        BindingReconciliation.Outcome outcome = rig.reconcile(NS, NAME);

        AgentBinding b = rig.get(NS, NAME);
        assertEquals(Phase.Failed, b.getStatus().getPhase());
        assertEquals(Reasons.SERVICE_ACCOUNT_CONFLICT, ready(b).getReason());
        assertTrue(ready(b).getMessage().contains("ServiceAccount " + NAME + " exists and was not created by Mandate"),
                ready(b).getMessage());
        ServiceAccount untouched = rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get();
        assertEquals(Map.of("team", "payments"), untouched.getMetadata().getLabels(), "never adopted");
        assertTrue(untouched.getMetadata().getOwnerReferences() == null || untouched.getMetadata().getOwnerReferences().isEmpty());
        assertTrue(rig.client.rbac().roles().inNamespace(NS).list().getItems().isEmpty());
        assertTrue(rig.client.rbac().roleBindings().inNamespace(NS).list().getItems().isEmpty(),
                "no permission granted to an identity Mandate did not make");
        assertEquals(0, minted());
        assertEquals(List.of(Reasons.SERVICE_ACCOUNT_CONFLICT), rig.eventReasons(NS));
        assertEquals(Optional.of(rig.clock.instant().plus(Duration.ofSeconds(60))), outcome.wakeAt(),
                "looks again later: the conflicting object is not in Mandate's caches");

        rig.client.serviceAccounts().inNamespace(NS).withName(NAME).delete();
        rig.reconcile(NS, NAME);
        assertEquals(Phase.Active, rig.get(NS, NAME).getStatus().getPhase(), "resolves once the name is free");
    }

    @Test
    void aServiceAccountReplacedBehindMandatesBackLosesTheGrants() {
        issueSupportBot();
        rig.client.serviceAccounts().inNamespace(NS).withName(NAME).delete();
        rig.client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(NAME).endMetadata().build()).create();
        rig.reconcile(NS, NAME);
        assertEquals(Reasons.SERVICE_ACCOUNT_CONFLICT, ready(rig.get(NS, NAME)).getReason());
        assertTrue(rig.client.rbac().roleBindings().inNamespace(NS).list().getItems().isEmpty(),
                "the RoleBindings name the ServiceAccount by name: they must not serve the impostor");
        assertTrue(anchorNames().isEmpty());
        assertNotNull(rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get(), "not Mandate's to delete");
    }

    @Test
    void aRoleMandateDidNotCreateIsAResourceConflictAndNothingIsGrantedUntilItIsGone() {
        rig.namespace(NS);
        rig.client.rbac().roles().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
                .withNewMetadata().withName(NAME).addToLabels("team", "payments").endMetadata()
                .addNewRule().withApiGroups("").withResources("secrets").withVerbs("get").endRule().build()).create();
        rig.create(binding(NS, NAME));
        BindingReconciliation.Outcome outcome = rig.reconcile(NS, NAME);

        AgentBinding b = rig.get(NS, NAME);
        assertEquals(Phase.Failed, b.getStatus().getPhase());
        assertEquals(Reasons.RESOURCE_CONFLICT, ready(b).getReason());
        assertEquals("Role " + NAME + " exists and was not created by Mandate for this binding; Mandate does not "
                + "change or delete it. Delete or rename it.", ready(b).getMessage());
        Role untouched = rig.client.rbac().roles().inNamespace(NS).withName(NAME).get();
        assertEquals(List.of("secrets"), untouched.getRules().get(0).getResources(), "not changed");
        assertTrue(untouched.getMetadata().getOwnerReferences() == null
                || untouched.getMetadata().getOwnerReferences().isEmpty(), "never adopted");
        assertTrue(rig.client.rbac().roleBindings().inNamespace(NS).list().getItems().isEmpty(), "nothing granted");
        assertEquals(0, minted());
        assertEquals(List.of(Reasons.RESOURCE_CONFLICT), rig.eventReasons(NS));
        assertEquals("Warning", rig.events(NS).get(0).getType());
        assertEquals(Optional.of(rig.clock.instant().plus(Duration.ofSeconds(60))), outcome.wakeAt(),
                "looks again later: the Role is not in Mandate's caches");

        rig.clock.advance(Duration.ofSeconds(60));
        rig.reconcile(NS, NAME);
        assertEquals(List.of(Reasons.RESOURCE_CONFLICT), rig.eventReasons(NS), "said once");

        rig.client.rbac().roles().inNamespace(NS).withName(NAME).delete();
        rig.reconcile(NS, NAME);
        assertEquals(Phase.Active, rig.get(NS, NAME).getStatus().getPhase(), "resolves once the name is free");
    }

    @Test
    void objectsOfADeletedBindingOfTheSameNameAreWaitedForNotTouched() {
        rig.namespace(NS);
        AgentBinding gone = binding(NS, NAME);
        gone.getMetadata().setUid("00000000-0000-0000-0000-0000000000aa");
        ServiceAccount leftover = DesiredResources.serviceAccount(gone);
        rig.client.serviceAccounts().inNamespace(NS).resource(leftover).create();
        rig.create(binding(NS, NAME));
        BindingReconciliation.Outcome outcome = rig.reconcile(NS, NAME);

        AgentBinding b = rig.get(NS, NAME);
        assertEquals(Phase.Pending, b.getStatus().getPhase(), "garbage collection will free the name");
        assertEquals(Reasons.WAITING_FOR_CLEANUP, ready(b).getReason());
        assertEquals("ServiceAccount " + NAME + " still belongs to a deleted AgentBinding of the same name; waiting "
                + "for garbage collection", ready(b).getMessage());
        assertEquals(List.of(Reasons.WAITING_FOR_CLEANUP), rig.eventReasons(NS));
        assertEquals("Normal", rig.events(NS).get(0).getType(), "routine, not a problem");
        assertEquals(Optional.of(rig.clock.instant().plusSeconds(5)), outcome.wakeAt(), "and looks again soon");
        assertEquals("00000000-0000-0000-0000-0000000000aa", rig.client.serviceAccounts().inNamespace(NS)
                .withName(NAME).get().getMetadata().getOwnerReferences().get(0).getUid(), "not adopted");
        assertEquals(0, minted());

        rig.client.serviceAccounts().inNamespace(NS).withName(NAME).delete(); // the garbage collector at work
        rig.clock.advance(Duration.ofSeconds(5));
        rig.reconcile(NS, NAME);
        AgentBinding issued = rig.get(NS, NAME);
        assertEquals(Phase.Active, issued.getStatus().getPhase());
        assertEquals(issued.getMetadata().getUid(), rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get()
                .getMetadata().getOwnerReferences().get(0).getUid());
    }

    @Test
    void aTokenSecretNameAlreadyUsedByAnotherBindingIsAnInvalidSpec() {
        issueSupportBot();
        AgentBinding other = binding(NS, "billing-bot");
        other.getSpec().setTokenSecretName(NAME + "-token");
        rig.create(other);
        rig.reconcile(NS, "billing-bot");
        AgentBinding b = rig.get(NS, "billing-bot");
        assertEquals(Reasons.INVALID_SPEC, ready(b).getReason());
        assertTrue(ready(b).getMessage().contains("spec.tokenSecretName: Secret support-bot-token is already managed by "
                + "Mandate for AgentBinding support-bot"), ready(b).getMessage());
        assertEquals(1L, deliveredGeneration(), "support-bot's Secret untouched");
        assertNull(rig.client.serviceAccounts().inNamespace(NS).withName("billing-bot").get());
    }

    // ----------------------------------------------------------------------------- scope edits

    @Test
    void aScopeEditUpdatesRbacInPlaceWithoutANewToken() {
        issueSupportBot();
        String token = deliveredToken();
        rig.edit(NS, NAME, b -> {
            b.getSpec().getScope().getRules().add(Fixtures.rule("", "pods", "get"));
            b.getSpec().getScope().setClusterRoles(new ArrayList<>(List.of("view-pods")));
            return b;
        });
        rig.cluster.clearRequests();
        rig.reconcile(NS, NAME);

        Role role = rig.client.rbac().roles().inNamespace(NS).withName(NAME).get();
        assertEquals(2, role.getRules().size());
        assertEquals(List.of("pods"), role.getRules().get(1).getResources());
        assertNull(rig.client.rbac().roleBindings().inNamespace(NS).withName(NAME + ":view").get(), "view unbound");
        assertEquals("view-pods", rig.client.rbac().roleBindings().inNamespace(NS).withName(NAME + ":view-pods").get()
                .getRoleRef().getName());
        assertEquals(1, minted(), "no new token for a scope edit");
        assertEquals(token, deliveredToken());
        List<String> writes = rig.cluster.writes().stream().map(Object::toString).toList();
        int unbind = indexOf(writes, "DELETE", "rolebindings/" + NAME + ":view");
        int bind = indexOf(writes, "POST", "rolebindings");
        assertTrue(unbind >= 0 && bind > unbind, "narrowing before widening: " + writes);
        assertEquals(2L, rig.get(NS, NAME).getStatus().getObservedGeneration());
        assertEquals("ScopeUpdated", rig.eventReasons(NS).get(1));
    }

    static int indexOf(List<String> writes, String method, String pathPart) {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).startsWith(method + " ") && writes.get(i).contains(pathPart)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void rbacDriftIsRepairedAndOthersLabelsAreKept() {
        issueSupportBot();
        Role tampered = rig.client.rbac().roles().inNamespace(NS).withName(NAME).get();
        tampered.getRules().add(new PolicyRule(List.of(""), null, null, List.of("secrets"), List.of("*")));
        tampered.getMetadata().getLabels().put("audit", "seen");
        rig.client.resource(tampered).update();
        rig.reconcile(NS, NAME);
        Role repaired = rig.client.rbac().roles().inNamespace(NS).withName(NAME).get();
        assertEquals(1, repaired.getRules().size(), "the rule added by hand is gone");
        assertEquals("seen", repaired.getMetadata().getLabels().get("audit"));
        assertEquals(1, minted());
    }

    // --------------------------------------------------------------------------------- restarts

    @Test
    void aRestartMintsNothingAndWritesNothingWhenNothingIsDue() {
        Instant issued = rig.clock.instant();
        issueSupportBot();
        rig.clock.set(issued.plus(Duration.ofHours(1)));
        rig.reconcile(NS, NAME);
        rig.clock.advance(Duration.ofMinutes(1));
        rig.create(binding(NS, "billing-bot"));
        rig.reconcile(NS, "billing-bot");

        rig.restart();
        rig.cluster.clearRequests();
        BindingReconciliation.Outcome a = rig.reconcile(NS, NAME);
        BindingReconciliation.Outcome b = rig.reconcile(NS, "billing-bot");
        assertEquals(List.of(), rig.cluster.writes(), "no writes at all after a restart");
        assertEquals(3, minted());
        assertEquals(Optional.of(issued.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(5))), a.wakeAt(),
                "the overlap's end is remembered through the cluster, not memory");
        assertEquals(Optional.of(rig.clock.instant().plus(Duration.ofHours(1))), b.wakeAt());
    }

    @Test
    void aLaggingCacheNeverDeliversTheSameGenerationTwice() {
        Instant issued = rig.clock.instant();
        issueSupportBot();
        AgentBinding before = rig.get(NS, NAME);
        SnapshotView stale = SnapshotView.of(new ApiClusterView(rig.client), before);

        rig.clock.set(issued.plus(Duration.ofHours(1)));
        rig.reconcile(NS, NAME);
        assertEquals(2, minted());

        // Another look with caches from before the rotation (an informer that has not caught up).
        BindingReconciliation.Outcome outcome = rig.newReconciliation().reconcile(before, stale,
                new ClusterClient(rig.client, ClusterClient.DIRECT));
        assertEquals(2, minted(), "anchor 2 exists, so the stale look backs off instead of minting");
        assertEquals(2L, deliveredGeneration());
        assertTrue(outcome.wakeAt().isPresent() && outcome.wakeAt().get().isBefore(rig.clock.instant().plusSeconds(2)),
                "and looks again shortly");
        assertTrue(StatusPatch.same(before.getStatus(), outcome.status()), "without writing a status from old facts");
    }

    // ---------------------------------------------------------------------------- bad input

    @Test
    void anInvalidSpecIsReportedByFieldWithoutDisturbingOtherBindings() {
        issueSupportBot();
        AgentBinding tooShort = binding(NS, "flaky-bot");
        tooShort.getSpec().getRotation().setPeriod("5m");
        tooShort.getSpec().getRotation().setOverlap("1m");
        rig.create(tooShort);
        AgentBinding ttlShort = binding(NS, "brief-bot");
        ttlShort.getSpec().setTtl("30m");
        rig.create(ttlShort);

        rig.reconcile(NS, "flaky-bot");
        rig.reconcile(NS, "brief-bot");
        rig.clock.set(rig.clock.instant().plus(Duration.ofHours(1)));
        rig.reconcile(NS, NAME);

        AgentBinding flaky = rig.get(NS, "flaky-bot");
        assertEquals(Phase.Failed, flaky.getStatus().getPhase());
        assertEquals(Reasons.INVALID_SPEC, ready(flaky).getReason());
        assertTrue(ready(flaky).getMessage().contains("spec.rotation.period: period + overlap is 6m, below the 10m "
                + "minimum token lifetime"), ready(flaky).getMessage());
        AgentBinding brief = rig.get(NS, "brief-bot");
        assertTrue(ready(brief).getMessage().contains("spec.ttl: 30m is shorter than one token lifetime (period + overlap = 1h5m)"),
                ready(brief).getMessage());
        assertNull(rig.client.serviceAccounts().inNamespace(NS).withName("flaky-bot").get(), "nothing issued");
        assertEquals(2, rig.events(NS).stream().filter(e -> "InvalidSpec".equals(e.getReason())
                && "Warning".equals(e.getType())).count());
        assertEquals(2L, deliveredGeneration(), "support-bot kept rotating");
        assertEquals(Phase.Active, rig.get(NS, NAME).getStatus().getPhase());
    }

    @Test
    void anExpiresAtBeforeCreationIsAnInvalidSpecAndIssuesNothing() {
        AgentBinding b = binding(NS, NAME);
        b.getSpec().setExpiresAt("2020-01-01T00:00:00Z");
        rig.create(b);
        rig.reconcile(NS, NAME);
        AgentBinding after = rig.get(NS, NAME);
        assertEquals(Phase.Failed, after.getStatus().getPhase());
        assertEquals(Reasons.INVALID_SPEC, ready(after).getReason());
        assertTrue(ready(after).getMessage().contains("spec.expiresAt: 2020-01-01T00:00:00Z is not after the binding's creation"),
                ready(after).getMessage());
        assertEquals(0, minted());
        assertNull(rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get());
    }

    @Test
    void anInvalidEditFreezesTheIdentityUntilItsExpiryInsteadOfBreakingIt() {
        issueSupportBot();
        Instant created = Times.parse(rig.get(NS, NAME).getMetadata().getCreationTimestamp());
        rig.edit(NS, NAME, b -> {
            b.getSpec().getRotation().setPeriod("2m");
            b.getSpec().setExpiresAt(Times.format(created.plus(Duration.ofHours(3))));
            return b;
        });
        rig.cluster.clearRequests();
        BindingReconciliation.Outcome frozen = rig.reconcile(NS, NAME);
        assertEquals(List.of("POST /api/v1/namespaces/support/events",
                "PUT /apis/mandate.dev/v1alpha1/namespaces/support/agentbindings/support-bot/status"),
                rig.cluster.writes().stream().map(Object::toString).toList(),
                "only the InvalidSpec Event and the status: nothing the agent uses is touched");
        AgentBinding b = rig.get(NS, NAME);
        assertEquals(Reasons.INVALID_SPEC, ready(b).getReason());
        assertTrue(ready(b).getMessage().contains("the current token stays valid until"), ready(b).getMessage());
        assertEquals(1L, b.getStatus().getToken().getGeneration());
        assertEquals(Optional.of(created.plus(Duration.ofHours(3)).minus(ExpiryPlan.REPLAN)), frozen.wakeAt(),
                "expiry still applies");

        rig.clock.set(created.plus(Duration.ofHours(3)));
        rig.reconcile(NS, NAME);
        assertNull(rig.client.serviceAccounts().inNamespace(NS).withName(NAME).get(), "revoked at expiry");
        assertEquals("Expired", rig.get(NS, NAME).getStatus().getRevocationReason());
    }

    // ------------------------------------------------------------------------------- secrecy

    @Test
    void noTokenTextEverReachesStatusEventsOrLogs() {
        try (LogCapture logs = new LogCapture()) {
            Instant issued = rig.clock.instant();
            issueSupportBot();
            rig.clock.set(issued.plus(Duration.ofHours(1)));
            rig.reconcile(NS, NAME);
            rig.clock.advance(Duration.ofMinutes(5));
            rig.reconcile(NS, NAME);
            rig.edit(NS, NAME, b -> {
                b.getSpec().setSuspended(true);
                return b;
            });
            rig.reconcile(NS, NAME);

            List<String> tokens = rig.cluster.tokens().minted().stream().map(TokenEndpoint.Minted::token).toList();
            assertEquals(2, tokens.size());
            String status = Serialization.asJson(rig.get(NS, NAME));
            String events = Serialization.asJson(rig.events(NS));
            String otherObjects = Serialization.asJson(List.of(
                    rig.client.rbac().roles().inNamespace(NS).list(),
                    rig.client.rbac().roleBindings().inNamespace(NS).list(),
                    rig.client.serviceAccounts().inNamespace(NS).list()));
            String anchors = Serialization.asJson(rig.secrets(NS).stream().filter(AnchorSecrets::isAnchor).toList());
            String deliveryMetadata = Serialization.asJson(delivery().getMetadata());
            assertFalse(logs.lines().isEmpty(), "the lifecycle does log");
            for (String token : tokens) {
                for (String fragment : List.of(token, token.substring(11, 30))) {
                    assertFalse(status.contains(fragment), "status");
                    assertFalse(events.contains(fragment), "events");
                    assertFalse(otherObjects.contains(fragment), "RBAC objects");
                    assertFalse(anchors.contains(fragment), "anchors");
                    assertFalse(deliveryMetadata.contains(fragment), "delivery Secret metadata");
                    logs.lines().forEach(line -> assertFalse(line.contains(fragment), line));
                }
            }
        }
    }

    static String decode(Secret s, String key) {
        return new String(java.util.Base64.getDecoder().decode(s.getData().get(key)), java.nio.charset.StandardCharsets.UTF_8);
    }
}
