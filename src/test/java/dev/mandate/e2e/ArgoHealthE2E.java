package dev.mandate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.testing.Guardrails;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health scripts, run by a real Lua interpreter (Debian's lua5.4, hack/lua.sh) against
 * objects as the real API server and operator left them: Healthy, Progressing, Degraded (and
 * Suspended) for each of Mandate's kinds.
 */
class ArgoHealthE2E extends E2ESupport {

    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void operator() {
        cluster.operator();
    }

    /** The object as a Lua table literal. */
    static String lua(JsonNode n) {
        if (n.isObject()) {
            StringBuilder b = new StringBuilder("{");
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                var e = it.next();
                if (!e.getValue().isNull()) {
                    b.append("[").append(quote(e.getKey())).append("]=").append(lua(e.getValue())).append(",");
                }
            }
            return b.append("}").toString();
        }
        if (n.isArray()) {
            StringBuilder b = new StringBuilder("{");
            n.forEach(v -> b.append(lua(v)).append(","));
            return b.append("}").toString();
        }
        if (n.isTextual()) {
            return quote(n.asText());
        }
        return n.isNull() ? "nil" : n.toString();
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** Runs a health script on an object and returns "status|message". */
    static String health(String script, Object obj) throws Exception {
        JsonNode node = JSON.readTree(Serialization.asJson(obj));
        String program = "obj = " + lua(node) + "\nlocal function check()\n"
                + Files.readString(Path.of("deploy/gitops/argocd", script)) + "\nend\nlocal hs = check()\n"
                + "io.write(hs.status .. \"|\" .. (hs.message or \"\"))\n";
        Path file = Files.createTempFile("argocd-health", ".lua");
        Files.writeString(file, program);
        return Tools.ok(List.of(Tools.lua().toString(), file.toString()));
    }

    static <T> T withGenerationBumped(T obj) {
        var copy = Serialization.clone(obj);
        var meta = ((io.fabric8.kubernetes.api.model.HasMetadata) copy).getMetadata();
        meta.setGeneration(meta.getGeneration() + 1);
        return copy;
    }

    @Test
    void agentBindingHealthFollowsTheIdentity() throws Exception {
        String ns = cluster.namespace("e2e-argo");
        create(ns, "healthy-bot", b -> { });
        AgentBinding active = awaitPhase(ns, "healthy-bot", Phase.Active);
        assertTrue(health("agentbinding.lua", active).startsWith("Healthy|Token generation 1 is in Secret"));
        assertEquals("Progressing|Waiting for Mandate to act on the latest spec",
                health("agentbinding.lua", withGenerationBumped(active)), "a spec change Mandate has not seen yet");
        AgentBinding fresh = Serialization.clone(active);
        fresh.setStatus(null);
        assertTrue(health("agentbinding.lua", fresh).startsWith("Progressing|"), "no status yet");

        create(ns, "greedy-bot", b -> b.getSpec().getScope().getRules().add(dev.mandate.testing.Fixtures.rule("", "pods", "delete")));
        AgentBinding denied = awaitPhase(ns, "greedy-bot", Phase.Denied);
        String h = health("agentbinding.lua", denied);
        assertTrue(h.startsWith("Degraded|Denied: "), h);

        setSuspended(ns, "healthy-bot", true);
        assertTrue(health("agentbinding.lua", awaitPhase(ns, "healthy-bot", Phase.Suspended)).startsWith("Suspended|"));
    }

    @Test
    void agentPolicyAndAgentOwnerHealth() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 6);
        AgentPolicy good = Guardrails.policy("argo-good-" + id, "mandate-ceiling-support", List.of());
        AgentPolicy broken = Guardrails.policy("argo-broken-" + id, "no-such-clusterrole-" + id, List.of());
        good.getSpec().setNamespaceSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                .addToMatchLabels("mandate.dev/none", id).build());
        broken.getSpec().setNamespaceSelector(good.getSpec().getNamespaceSelector());
        admin.resource(good).create();
        admin.resource(broken).create();
        String owner = "argo-owner-" + id;
        admin.resource(Guardrails.owner(owner, true)).create();
        try {
            AgentPolicy g = awaitStatus(AgentPolicy.class, good.getMetadata().getName());
            AgentPolicy b = awaitStatus(AgentPolicy.class, broken.getMetadata().getName());
            assertTrue(health("agentpolicy.lua", g).startsWith("Healthy|CeilingReady"), health("agentpolicy.lua", g));
            assertTrue(health("agentpolicy.lua", b).startsWith("Degraded|CeilingNotFound"));
            assertTrue(health("agentpolicy.lua", withGenerationBumped(g)).startsWith("Progressing|"));

            AgentOwner o = awaitStatus(AgentOwner.class, owner);
            assertTrue(health("agentowner.lua", o).startsWith("Healthy|Active"), health("agentowner.lua", o));
            assertTrue(health("agentowner.lua", withGenerationBumped(o)).startsWith("Progressing|"));
            admin.resources(AgentOwner.class).withName(owner).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"active\":false}}");
            org.awaitility.Awaitility.await().atMost(PATIENCE).pollInterval(POLL).until(() -> {
                AgentOwner x = admin.resources(AgentOwner.class).withName(owner).get();
                return x.getStatus() != null && x.getStatus().getDepartedAt() != null
                        && x.getStatus().getObservedGeneration().equals(x.getMetadata().getGeneration());
            });
            String departed = health("agentowner.lua", admin.resources(AgentOwner.class).withName(owner).get());
            assertTrue(departed.startsWith("Degraded|Departed at "), departed);
        } finally {
            admin.resources(AgentPolicy.class).withName(good.getMetadata().getName()).delete();
            admin.resources(AgentPolicy.class).withName(broken.getMetadata().getName()).delete();
            admin.resources(AgentOwner.class).withName(owner).delete();
        }
    }

    <T extends io.fabric8.kubernetes.api.model.HasMetadata> T awaitStatus(Class<T> type, String name) {
        org.awaitility.Awaitility.await(name + " status").atMost(PATIENCE).pollInterval(POLL).until(() -> {
            T x = admin.resources(type).withName(name).get();
            JsonNode status = JSON.readTree(Serialization.asJson(x)).path("status");
            return !status.isMissingNode() && status.path("observedGeneration").asLong() == x.getMetadata().getGeneration();
        });
        return admin.resources(type).withName(name).get();
    }

    @Test
    void theArgoCdConfigMapPatchCarriesTheScriptsUnchanged() throws Exception {
        JsonNode cm = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Path.of("deploy/gitops/argocd/argocd-cm-patch.yaml").toFile()).path("data");
        for (String[] kind : new String[][] {{"AgentBinding", "agentbinding.lua"}, {"AgentPolicy", "agentpolicy.lua"},
                {"AgentOwner", "agentowner.lua"}}) {
            assertEquals(Files.readString(Path.of("deploy/gitops/argocd", kind[1])),
                    cm.path("resource.customizations.health.mandate.dev_" + kind[0]).asText(), kind[0]);
        }
    }
}
