package dev.mandate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.OwnerSubject;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of admission: the record, subjects, the certificate, which requests ask for something. */
class AdmissionPartsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void theRecordNamesTheAuthenticatedUserAndReadsBack() {
        Requester dev = new Requester("dev", "u-1", List.of("team-a", "system:authenticated"), Map.of());
        String annotation = dev.annotation(NOW);
        assertEquals("{\"user\":\"dev\",\"uid\":\"u-1\",\"groups\":[\"team-a\",\"system:authenticated\"],"
                + "\"at\":\"2026-12-02T10:00:00Z\"}", annotation);
        assertEquals(Optional.of("dev"), Requester.userOf(annotation));
        assertEquals(Optional.empty(), Requester.userOf("not json"));
        assertEquals(Optional.empty(), Requester.userOf(null));
    }

    @Test
    void ownersAreNamedByTheirUserGroupOrServiceAccountSubjects() {
        Requester dev = new Requester("dev", "", List.of("team-a"), Map.of());
        Requester sa = new Requester("system:serviceaccount:ci:sync", "", List.of(), Map.of());
        OwnerSubject account = new OwnerSubject("ServiceAccount", "sync");
        account.setNamespace("ci");
        assertTrue(Delegation.is(dev, OwnerSubject.user("dev")));
        assertFalse(Delegation.is(dev, OwnerSubject.user("dev2")));
        assertTrue(Delegation.is(dev, OwnerSubject.group("team-a")));
        assertFalse(Delegation.is(dev, OwnerSubject.group("team-b")));
        assertTrue(Delegation.is(sa, account));
        assertFalse(Delegation.is(dev, account));
        assertEquals(Optional.of("ci/sync"), sa.serviceAccount());
    }

    @Test
    void theCertificateServesLoopbackAndIsRenewedAMonthBeforeItEnds() {
        WebhookCertificates.Material m = WebhookCertificates.issue(List.of("mandate-webhook.mandate.svc"), NOW);
        assertTrue(WebhookCertificates.fresh(m.certPem(), NOW));
        assertFalse(WebhookCertificates.fresh(m.certPem(), NOW.plus(WebhookCertificates.VALIDITY).minus(Duration.ofDays(29))));
        assertFalse(WebhookCertificates.fresh("garbage", NOW));
        assertEquals(m.caPem(), WebhookCertificates.valid(m.caPem(), NOW));
        assertEquals("", WebhookCertificates.valid(m.caPem(), NOW.plus(Duration.ofDays(400))));
        assertNotNull(WebhookCertificates.context(m.certPem() + m.caPem(), m.keyPem()));
    }

    @Test
    void aRequestAsksForSomethingOnCreateAndOnASpecChangeOtherThanSuspension() {
        assertTrue(AdmissionHandler.asks(request("CREATE", null, spec(false, "1h"))));
        assertFalse(AdmissionHandler.asks(request("UPDATE", spec(false, "1h"), spec(false, "1h"))));
        assertFalse(AdmissionHandler.asks(request("UPDATE", spec(false, "1h"), spec(true, "1h"))));
        assertTrue(AdmissionHandler.asks(request("UPDATE", spec(false, "1h"), spec(false, "2h"))));
        assertFalse(AdmissionHandler.asks(request("DELETE", spec(false, "1h"), null)));
    }

    private static GenericKubernetesResource spec(boolean suspended, String ttl) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setAdditionalProperty("spec", Map.of("ttl", ttl, "suspended", suspended));
        return r;
    }

    private static AdmissionRequest request(String op, Object old, Object now) {
        AdmissionRequest r = new AdmissionRequest();
        r.setOperation(op);
        r.setOldObject(old);
        r.setObject(now);
        return r;
    }
}
