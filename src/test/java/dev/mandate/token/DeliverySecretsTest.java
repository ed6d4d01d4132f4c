package dev.mandate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.token.DeliverySecrets.Endpoint;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliverySecretsTest {

    static final Endpoint ENDPOINT = new Endpoint("https://10.0.0.1:443", "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n");

    static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    @Test
    void theKubeconfigAuthenticatesWithTheTokenAgainstTheConfiguredServerAndCa() {
        Map<String, String> data = DeliverySecrets.data("eyJhbGciOi.payload.sig", "support", "support-bot", ENDPOINT);
        assertEquals(List.of("token", "ca.crt", "namespace", "kubeconfig"), List.copyOf(data.keySet()));
        Config kubeconfig = Serialization.unmarshal(decode(data.get("kubeconfig")), Config.class);
        assertEquals("https://10.0.0.1:443", kubeconfig.getClusters().get(0).getCluster().getServer());
        assertEquals(ENDPOINT.caPem(), decode(kubeconfig.getClusters().get(0).getCluster().getCertificateAuthorityData()));
        assertEquals("eyJhbGciOi.payload.sig", kubeconfig.getUsers().get(0).getUser().getToken());
        assertEquals("support", kubeconfig.getContexts().get(0).getContext().getNamespace());
        assertEquals("support-bot", kubeconfig.getCurrentContext());
        assertEquals("support", decode(data.get("namespace")));
    }

    @Test
    void aRevokedSecretKeepsCaAndNamespaceButNoTokenAndNoKubeconfig() {
        Map<String, String> data = DeliverySecrets.revokedData("support", ENDPOINT);
        assertEquals(List.of("ca.crt", "namespace"), List.copyOf(data.keySet()));
    }

    @Test
    void readsTheCurrentTokenFactsFromTheAnnotations() {
        Instant issued = Instant.parse("2026-11-29T10:00:00Z");
        Instant expires = Instant.parse("2026-11-29T11:05:00Z");
        Secret s = new SecretBuilder().withNewMetadata().withName("x-token")
                .withAnnotations(DeliverySecrets.annotations(new CurrentToken(7, issued, expires, List.of("a", "b"),
                        java.util.Optional.of("2026-11-29T09:59:00Z")))).endMetadata()
                .withData(DeliverySecrets.data("tok", "ns", "x", ENDPOINT)).build();
        assertEquals(new CurrentToken(7, issued, expires, List.of("a", "b"), java.util.Optional.of("2026-11-29T09:59:00Z")),
                DeliverySecrets.current(s).orElseThrow());
        assertEquals(7, DeliverySecrets.recordedGeneration(s));
    }

    @Test
    void aSecretWithoutATokenHasNoCurrentTokenButRemembersItsGeneration() {
        Secret s = new SecretBuilder().withNewMetadata().withName("x-token")
                .withAnnotations(Map.of("mandate.dev/token-generation", "3")).endMetadata()
                .withData(DeliverySecrets.revokedData("ns", ENDPOINT)).build();
        assertTrue(DeliverySecrets.current(s).isEmpty());
        assertEquals(3, DeliverySecrets.recordedGeneration(s));
    }

    @Test
    void unreadableAnnotationsMeanNoUsableTokenRatherThanACrash() {
        Secret s = new SecretBuilder().withNewMetadata().withName("x-token")
                .withAnnotations(Map.of("mandate.dev/token-generation", "seven", "mandate.dev/token-issued-at", "soon"))
                .endMetadata().withData(DeliverySecrets.data("tok", "ns", "x", ENDPOINT)).build();
        assertFalse(DeliverySecrets.current(s).isPresent());
        assertEquals(0, DeliverySecrets.recordedGeneration(s));
    }
}
