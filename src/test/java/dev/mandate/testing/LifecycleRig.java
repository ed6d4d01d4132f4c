package dev.mandate.testing;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.binding.BindingLifecycle;
import dev.mandate.binding.ClusterClient;
import dev.mandate.binding.EventRecorder;
import dev.mandate.binding.StatusBuilder;
import dev.mandate.binding.Telemetry;
import dev.mandate.owner.AgentOwnerDirectory;
import dev.mandate.owner.OwnerDirectory;
import dev.mandate.policy.CeilingPolicyEvaluator;
import dev.mandate.policy.PolicyEvaluator;
import dev.mandate.token.DeliverySecrets.Endpoint;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Drives {@link BindingLifecycle} the way the operator does, one reconciliation at a time, against
 * the mock API server, while the test moves the clock (JOSDK's multi-reconciliation pattern). The
 * status the lifecycle returns is written back when it changed, as the operator's adapter does.
 */
public final class LifecycleRig implements AutoCloseable {

    public static final Endpoint ENDPOINT = new Endpoint("https://agents.example.test:6443",
            "-----BEGIN CERTIFICATE-----\nTUFOREFURS1URVNULUNB\n-----END CERTIFICATE-----\n");

    public final MutableClock clock = MutableClock.startingNow();
    public final MockCluster cluster = new MockCluster(clock);
    public final KubernetesClient client = cluster.client();
    public PolicyEvaluator policies = new CeilingPolicyEvaluator();
    public OwnerDirectory owners = new AgentOwnerDirectory();
    public Telemetry telemetry = Telemetry.NONE;
    /** {@code mandate.revocation-write-rate}; takes effect at {@link #restart()}. */
    public double revocationWriteRate = 200;
    private BindingLifecycle lifecycle = newLifecycle();

    /** A mock cluster with {@link Guardrails} installed. */
    public LifecycleRig() {
        Guardrails.install(client);
        cluster.clearRequests();
    }

    /** A new operator process: nothing kept in memory, all state read from the cluster. */
    public void restart() {
        lifecycle = newLifecycle();
    }

    public BindingLifecycle newLifecycle() {
        return new BindingLifecycle(clock, (b, facts) -> policies.evaluate(b, facts),
                (name, facts) -> owners.lookup(name, facts),
                new EventRecorder(client, clock, "test"), new Telemetry() {
                    @Override
                    public void tokenIssued(AgentBinding b, dev.mandate.token.RotationTrigger t, java.time.Instant due,
                            java.time.Instant done, Duration took) {
                        telemetry.tokenIssued(b, t, due, done, took);
                    }

                    @Override
                    public void tokenIssueFailed(AgentBinding b, dev.mandate.token.RotationTrigger t) {
                        telemetry.tokenIssueFailed(b, t);
                    }

                    @Override
                    public void revoked(AgentBinding b, dev.mandate.binding.RevocationCause c, java.time.Instant due,
                            java.time.Instant done) {
                        telemetry.revoked(b, c, due, done);
                    }
                }, () -> ENDPOINT, Duration.ofSeconds(60), revocationWriteRate);
    }

    public void namespace(String ns) {
        if (client.namespaces().withName(ns).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
    }

    public AgentBinding create(AgentBinding b) {
        namespace(b.getMetadata().getNamespace());
        return client.resource(b).create();
    }

    public AgentBinding get(String ns, String name) {
        return client.resources(AgentBinding.class).inNamespace(ns).withName(name).get();
    }

    /** Edits the binding as a user would (spec or metadata), bumping generation on spec changes. */
    public AgentBinding edit(String ns, String name, java.util.function.UnaryOperator<AgentBinding> change) {
        AgentBinding b = get(ns, name);
        AgentBinding changed = change.apply(b);
        return client.resource(changed).update();
    }

    /**
     * One reconciliation, as the operator runs it, including the immediate re-runs it asks for
     * (a revocation removes permissions in one run and the rest in the next).
     */
    public BindingLifecycle.Outcome reconcile(String ns, String name) {
        for (int run = 0; run < 5; run++) {
            AgentBinding b = get(ns, name);
            BindingLifecycle.Outcome outcome = lifecycle.reconcile(b, new ApiClusterView(client),
                    new ClusterClient(client, ClusterClient.DIRECT));
            if (!StatusBuilder.same(b.getStatus(), outcome.status())) {
                b.setStatus(outcome.status());
                client.resource(b).updateStatus();
            }
            if (outcome.wakeAt().isEmpty() || outcome.wakeAt().get().isAfter(clock.instant())) {
                return outcome;
            }
        }
        throw new AssertionError(ns + "/" + name + " still asks to be reconciled again at once after 5 runs");
    }

    public Secret secret(String ns, String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    public List<Secret> secrets(String ns) {
        return client.secrets().inNamespace(ns).list().getItems();
    }

    public List<Event> events(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .sorted(Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
                .toList();
    }

    public List<String> eventReasons(String ns) {
        return events(ns).stream().map(Event::getReason).toList();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
