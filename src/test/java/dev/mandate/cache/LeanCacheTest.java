package dev.mandate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.binding.DesiredResources;
import dev.mandate.binding.cluster.ClusterClient;
import dev.mandate.binding.cluster.Ownership;
import dev.mandate.testing.Fixtures;
import dev.mandate.token.AnchorSecrets;
import dev.mandate.token.DeliverySecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeanCacheTest {

    static final String CA = "-----BEGIN CERTIFICATE-----\nTUFOREFURS1URVNULUNB".repeat(8) + "\n-----END CERTIFICATE-----\n";

    /** As the API server sends it: with managed fields, and every string a fresh copy. */
    static <R extends HasMetadata> R fromServer(R r) {
        R copy = Serialization.unmarshal(Serialization.asJson(r), (Class<R>) r.getClass());
        copy.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl")
                .withOperation("Apply").withNewFieldsV1().addToAdditionalProperties("f:metadata", Map.of("f:labels",
                        Map.of("f:app", Map.of())))
                .endFieldsV1().build()));
        return copy;
    }

    static Secret delivery(AgentBinding b, String token) {
        return new SecretBuilder().withNewMetadata().withName(b.getMetadata().getName() + "-token")
                .withNamespace(b.getMetadata().getNamespace()).withLabels(DesiredResources.labels(b, "delivery"))
                .withOwnerReferences(Ownership.controllerReference(b)).withCreationTimestamp("2026-11-29T10:00:00Z")
                .endMetadata().withType("Opaque").withData(DeliverySecrets.data(token, b.getMetadata().getNamespace(),
                        b.getMetadata().getName(), new DeliverySecrets.Endpoint("https://kubernetes.default.svc", CA)))
                .build();
    }

    static AgentBinding binding(String name) {
        AgentBinding b = Fixtures.binding("support", name);
        b.getMetadata().setUid("uid-" + name);
        return b;
    }

    @Test
    void keepsEverythingButTheManagedFieldsAndTheKubeconfigsText() {
        Secret original = delivery(binding("a-bot"), "token-a");
        Secret cached = LeanCache.lean(fromServer(original));
        assertNull(cached.getMetadata().getManagedFields());
        String kubeconfig = original.getData().get(DeliverySecrets.KUBECONFIG);
        assertEquals(DeliverySecrets.placeholder(kubeconfig), cached.getData().get(DeliverySecrets.KUBECONFIG));
        cached.getData().put(DeliverySecrets.KUBECONFIG, kubeconfig);
        assertEquals(Serialization.asJson(original), Serialization.asJson(cached));

        Secret anchor = AnchorSecrets.desired("support", "a-bot", 1, "sa-uid", Ownership.controllerReference(binding("a-bot")));
        assertEquals(Serialization.asJson(anchor), Serialization.asJson(LeanCache.lean(fromServer(anchor))));
        AgentBinding owner = binding("a-bot");
        RoleBinding rb = DesiredResources.roleBindings(owner, dev.mandate.spec.SpecReader.read(owner).spec().orElseThrow()).get(0);
        assertEquals(Serialization.asJson(rb), Serialization.asJson(LeanCache.lean(fromServer(rb))));
    }

    @Test
    void theCachedKubeconfigDigestStillTellsWhetherTheDataIsRightButCanNeverBeWritten() {
        AgentBinding b = binding("a-bot");
        Secret cached = LeanCache.lean(fromServer(delivery(b, "token-a")));
        DeliverySecrets.Endpoint endpoint = new DeliverySecrets.Endpoint("https://kubernetes.default.svc", CA);
        assertTrue(DeliverySecrets.sameData(cached.getData(), DeliverySecrets.data("token-a", "support", "a-bot", endpoint)));
        assertFalse(DeliverySecrets.sameData(cached.getData(), DeliverySecrets.data("token-a", "support", "a-bot",
                new DeliverySecrets.Endpoint("https://elsewhere:6443", CA))), "a changed server changes the kubeconfig");
        assertEquals("token-a", DeliverySecrets.token(cached).orElseThrow(), "the token itself is kept");

        Secret copy = Serialization.clone(cached);
        ClusterClient api = new ClusterClient(null, ClusterClient.DIRECT);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> api.update(copy));
        assertTrue(refused.getMessage().contains("a-bot-token"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> api.create(copy));

        Secret edited = new SecretBuilder(cached).addToAdditionalProperties("x", 1).build();
        assertEquals(1, edited.getAdditionalProperties().get("x"), "a builder copy of a cached object stays editable");
    }

    @Test
    void keepsRepeatedStringsOnceButUniqueTokensAsTheyAre() {
        Secret a = LeanCache.lean(fromServer(delivery(binding("a-bot"), "token-a")));
        Secret b = LeanCache.lean(fromServer(delivery(binding("b-bot"), "token-b")));
        assertSame(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
        assertSame(a.getData().get("ca.crt"), b.getData().get("ca.crt"), "the CA, the same in every delivery Secret");
        String labelKey = a.getMetadata().getLabels().keySet().iterator().next();
        assertSame(labelKey, b.getMetadata().getLabels().keySet().iterator().next());
        assertSame(a.getMetadata().getOwnerReferences().get(0).getKind(),
                b.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(DeliverySecrets.token(delivery(binding("b-bot"), "token-b")), DeliverySecrets.token(b));
    }

    @Test
    void anOwnerOnlyBindingKeepsItsIdentityAndOwner() {
        AgentBinding full = fromServer(binding("a-bot"));
        full.getMetadata().setResourceVersion("42");
        AgentBinding lean = LeanCache.ownerOnly(full);
        assertEquals("a-bot", lean.getMetadata().getName());
        assertEquals("support", lean.getMetadata().getNamespace());
        assertEquals("uid-a-bot", lean.getMetadata().getUid());
        assertEquals("42", lean.getMetadata().getResourceVersion());
        assertEquals(full.getSpec().getOwner(), lean.getSpec().getOwner());
        assertNull(lean.getSpec().getScope());
        assertNull(lean.getStatus());
        assertTrue(lean.getMetadata().getManagedFields() == null || lean.getMetadata().getManagedFields().isEmpty());
    }
}
