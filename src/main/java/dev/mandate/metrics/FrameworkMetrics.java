package dev.mandate.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Wires the metrics. The framework's reconciliation metrics (reconciliations_started_total, ..._success_total,
 * ..._failure_total, ..._execution_duration, ...) with controller-level tags only: per-resource
 * tags exploded cardinality in JOSDK's first metrics design.
 *
 * <p>Bound to the Prometheus registry itself, not the composite {@code MeterRegistry}: the
 * operator starts reconciling before Quarkus has attached the Prometheus registry to the
 * composite, and increments made to a composite without children are lost (seen here: every
 * start-up reconciliation went uncounted).
 */
@Singleton
public class FrameworkMetrics {

    @Produces
    @Singleton
    Metrics operatorMetrics(io.micrometer.prometheus.PrometheusMeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry).build();
    }

    /** Mandate's own counters and histograms, on the same registry for the same reason. */
    @Produces
    @Singleton
    MandateMetrics mandateMetrics(io.micrometer.prometheus.PrometheusMeterRegistry registry, BindingCache cache) {
        new BindingCollector(cache::bindings).register(registry.getPrometheusRegistry());
        return new MandateMetrics(registry);
    }
}
