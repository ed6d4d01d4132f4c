package dev.mandate.testing;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.StatusPatch;
import dev.mandate.binding.BindingReconciliation;
import dev.mandate.binding.EventRecorder;
import dev.mandate.binding.cluster.ClusterClient;
import dev.mandate.metrics.MandateMetrics;
import dev.mandate.owner.AgentOwnerDirectory;
import dev.mandate.policy.CeilingPolicyEvaluator;
import dev.mandate.token.DeliverySecrets.Endpoint;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Drives {@link BindingReconciliation} the way the operator's adapter does, one reconciliation at a
 * time, against the mock API server, while the test moves the clock (JOSDK's multi-reconciliation
 * pattern). Three things it does for every test, out of sight, and why that hides nothing a test
 * proves:
 * <ul>
 * <li><b>The setting.</b> {@link #withGuardrails()} installs {@link Guardrails} as an admin would: a
 * ceiling, the policy "everywhere" for every namespace, active owners alice and bob. Tests about
 * policies and owners change that setting themselves, in the test.</li>
 * <li><b>Immediate re-runs.</b> {@link #reconcile} runs again at once while a run asks to be woken
 * no later than now, as JOSDK does with a zero delay (a revocation removes the permissions in one
 * run and the rest in the next), at most five times. A test about a single run uses
 * {@link #reconcileOnce}.</li>
 * <li><b>The status write.</b> The mock cannot do server-side apply, so a status that changed is
 * written with a PUT of the status subresource, where the adapter patches it. What the patch adds
 * (status only, the resourceVersion read) is proved by {@code StatusConflictTest} and, on a real API
 * server, by {@code ServerSideApplyE2E}.</li>
 * </ul>
 * The operator's metrics are real: {@link #metric} scrapes them as Prometheus would.
 */
public final class LifecycleRig implements AutoCloseable {

    public static final Endpoint ENDPOINT = new Endpoint("https://agents.example.test:6443",
            "-----BEGIN CERTIFICATE-----\nTUFOREFURS1URVNULUNB\n-----END CERTIFICATE-----\n");

    public final MutableClock clock = MutableClock.startingNow();
    public final MockCluster cluster = new MockCluster(clock);
    public final KubernetesClient client = cluster.client();
    /** {@code mandate.revocation-write-rate}; takes effect at {@link #restart()}. */
    public double revocationWriteRate = 200;
    private PrometheusMeterRegistry registry;
    private BindingReconciliation reconciliation;

    private LifecycleRig() {
        restart();
    }

    /** A mock cluster with {@link Guardrails} installed, and nothing else. */
    public static LifecycleRig withGuardrails() {
        LifecycleRig rig = new LifecycleRig();
        Guardrails.install(rig.client);
        rig.cluster.clearRequests();
        return rig;
    }

    /** A new operator process: nothing kept in memory (metrics included), all state read from the cluster. */
    public void restart() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        reconciliation = newReconciliation();
    }

    public BindingReconciliation newReconciliation() {
        return new BindingReconciliation(clock, new CeilingPolicyEvaluator(), new AgentOwnerDirectory(),
                new EventRecorder(client, clock, "test"), new MandateMetrics(registry), () -> ENDPOINT,
                Duration.ofSeconds(60), revocationWriteRate);
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
    public AgentBinding edit(String ns, String name, UnaryOperator<AgentBinding> change) {
        AgentBinding b = get(ns, name);
        AgentBinding changed = change.apply(b);
        return client.resource(changed).update();
    }

    /** A reconciliation as the operator runs it, with the immediate re-runs it asks for (above). */
    public BindingReconciliation.Outcome reconcile(String ns, String name) {
        for (int run = 0; run < 5; run++) {
            BindingReconciliation.Outcome outcome = reconcileOnce(ns, name);
            if (outcome.wakeAt().isEmpty() || outcome.wakeAt().get().isAfter(clock.instant())) {
                return outcome;
            }
        }
        throw new AssertionError(ns + "/" + name + " still asks to be reconciled again at once after 5 runs");
    }

    /** Exactly one run, its status written when it changed. */
    public BindingReconciliation.Outcome reconcileOnce(String ns, String name) {
        AgentBinding b = get(ns, name);
        BindingReconciliation.Outcome outcome = reconciliation.reconcile(b, new ApiClusterView(client),
                new ClusterClient(client, ClusterClient.DIRECT));
        if (!StatusPatch.same(b.getStatus(), outcome.status())) {
            b.setStatus(outcome.status());
            client.resource(b).updateStatus();
        }
        return outcome;
    }

    /** A sample of the operator's metrics as scraped (with these labels among its own), or NaN when there is none. */
    public double metric(String sample, Map<String, String> labels) {
        return PrometheusText.parse(registry.scrape()).values().stream()
                .flatMap(f -> f.sample(sample, labels).stream()).findFirst()
                .map(PrometheusText.Sample::value).orElse(Double.NaN);
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
