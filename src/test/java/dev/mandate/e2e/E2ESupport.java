package dev.mandate.e2e;

import static org.awaitility.Awaitility.await;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.testing.Fixtures;
import dev.mandate.time.Times;
import dev.mandate.token.DeliverySecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/** What every end-to-end test does: make bindings as an admin would, wait for Mandate, act as the agent. */
abstract class E2ESupport {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofMillis(100);

    final E2ECluster cluster = E2ECluster.get();
    final KubernetesClient admin = cluster.admin;

    AgentBinding create(String ns, String name, Consumer<AgentBinding> customize) {
        AgentBinding b = Fixtures.binding(ns, name);
        customize.accept(b);
        return admin.resource(b).create();
    }

    AgentBinding binding(String ns, String name) {
        return admin.resources(AgentBinding.class).inNamespace(ns).withName(name).get();
    }

    AgentBinding awaitPhase(String ns, String name, Phase phase) {
        await(ns + "/" + name + " " + phase).atMost(PATIENCE).pollInterval(POLL).until(() -> {
            AgentBinding b = binding(ns, name);
            return b != null && b.getStatus() != null && b.getStatus().getPhase() == phase
                    && b.getStatus().getObservedGeneration().equals(b.getMetadata().getGeneration());
        });
        return binding(ns, name);
    }

    Secret delivery(String ns, String name) {
        return admin.secrets().inNamespace(ns).withName(name + "-token").get();
    }

    long deliveredGeneration(String ns, String name) {
        return Optional.ofNullable(delivery(ns, name)).flatMap(DeliverySecrets::current).map(t -> t.generation())
                .orElse(0L);
    }

    /** Waits until the delivery Secret holds token generation {@code g} and returns the agent holding it. */
    Agent awaitAgent(String ns, String name, long g) {
        await(ns + "/" + name + " token generation " + g).atMost(PATIENCE).pollInterval(POLL)
                .until(() -> deliveredGeneration(ns, name) == g);
        return Agent.from(delivery(ns, name), cluster.server);
    }

    /** A JSON merge patch, as {@code kubectl patch --type merge} sends it: no resourceVersion, no conflict. */
    /** No ServiceAccount, Role, RoleBinding or Secret labelled for this binding is left. */
    boolean nothingFor(String ns, String name) {
        return admin.serviceAccounts().inNamespace(ns).withLabel(Metadata.BINDING, name).list().getItems().isEmpty()
                && admin.rbac().roles().inNamespace(ns).withLabel(Metadata.BINDING, name).list().getItems().isEmpty()
                && admin.rbac().roleBindings().inNamespace(ns).withLabel(Metadata.BINDING, name).list().getItems().isEmpty()
                && admin.secrets().inNamespace(ns).withLabel(Metadata.BINDING, name).list().getItems().isEmpty();
    }

    void patch(String ns, String name, String json) {
        admin.resources(AgentBinding.class).inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    void setSuspended(String ns, String name, boolean suspended) {
        patch(ns, name, "{\"spec\":{\"suspended\":" + suspended + "}}");
    }

    void requestRotation(String ns, String name, Instant at) {
        patch(ns, name, "{\"metadata\":{\"annotations\":{\"" + Metadata.ROTATE_REQUESTED_AT + "\":\""
                + Times.format(at) + "\"}}}");
    }

    static String configMaps(String ns) {
        return "/api/v1/namespaces/" + ns + "/configmaps";
    }

    static String secrets(String ns) {
        return "/api/v1/namespaces/" + ns + "/secrets";
    }
}
