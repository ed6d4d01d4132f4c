package dev.mandate.config;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops one start-up warning that is understood and harmless, so that a WARN in Mandate's log
 * always means something. Micrometer warns "A MeterFilter is being configured after a Meter has
 * been registered" because the operator's metrics are bound to the Prometheus registry itself
 * ({@link dev.mandate.metrics.FrameworkMetrics} says why) and the framework registers its
 * per-controller gauges when the operator is built, before Quarkus adds its four meter filters to
 * that registry. Those filters cap the URI tags of {@code http.*} meters only, which are
 * registered later, on the first HTTP request, so every filter applies to every meter it is for.
 * Any other message of that logger passes.
 */
@LoggingFilter(name = "mandate-startup")
public final class StartupLogFilter implements Filter {

    static final String LOGGER = "io.micrometer.prometheus.PrometheusMeterRegistry";
    static final String LATE_FILTER = "A MeterFilter is being configured after a Meter has been registered";

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(LOGGER.equals(record.getLoggerName()) && record.getMessage() != null
                && record.getMessage().startsWith(LATE_FILTER));
    }
}
