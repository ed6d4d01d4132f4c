package dev.mandate.metrics;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.time.Times;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Per-binding gauges, computed from the informer cache at scrape time (as cert-manager's
 * collectors do), so a deleted binding's series disappear with it.
 */
public class BindingCollector extends Collector {

    private final Supplier<Stream<AgentBinding>> bindings;

    public BindingCollector(Supplier<Stream<AgentBinding>> bindings) {
        this.bindings = bindings;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        GaugeMetricFamily count = new GaugeMetricFamily("mandate_bindings",
                "AgentBindings by namespace and phase", List.of("namespace", "phase"));
        GaugeMetricFamily tokenExpiry = new GaugeMetricFamily("mandate_token_expiration_timestamp_seconds",
                "When the API server stops accepting each binding's current token", List.of("namespace", "binding", "owner"));
        GaugeMetricFamily nextRotation = new GaugeMetricFamily("mandate_token_next_rotation_timestamp_seconds",
                "When each binding's next rotation is due", List.of("namespace", "binding"));
        GaugeMetricFamily bindingExpiry = new GaugeMetricFamily("mandate_binding_expiration_timestamp_seconds",
                "When each binding expires (ttl/expiresAt)", List.of("namespace", "binding", "owner"));
        Map<List<String>, Integer> phases = new TreeMap<>((a, b) -> String.join("/", a).compareTo(String.join("/", b)));
        bindings.get().forEach(b -> {
            String ns = b.getMetadata().getNamespace();
            String name = b.getMetadata().getName();
            String owner = b.getSpec() == null || b.getSpec().getOwner() == null ? "" : b.getSpec().getOwner();
            AgentBindingStatus s = b.getStatus();
            Phase phase = s == null || s.getPhase() == null ? Phase.Pending : s.getPhase();
            phases.merge(List.of(ns, phase.name()), 1, Integer::sum);
            if (s == null) {
                return;
            }
            if (s.getToken() != null) {
                Times.tryParse(s.getToken().getExpiresAt())
                        .ifPresent(t -> tokenExpiry.addMetric(List.of(ns, name, owner), t.getEpochSecond()));
            }
            Times.tryParse(s.getNextRotationAt()).ifPresent(t -> nextRotation.addMetric(List.of(ns, name), t.getEpochSecond()));
            Times.tryParse(s.getExpiresAt()).ifPresent(t -> bindingExpiry.addMetric(List.of(ns, name, owner), t.getEpochSecond()));
        });
        phases.forEach((labels, n) -> count.addMetric(labels, n));
        List<MetricFamilySamples> out = new ArrayList<>();
        out.add(count);
        out.add(tokenExpiry);
        out.add(nextRotation);
        out.add(bindingExpiry);
        return out;
    }
}
