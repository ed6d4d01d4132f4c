package dev.mandate.config;

import dev.mandate.binding.BindingReconciliation;
import dev.mandate.binding.EventRecorder;
import dev.mandate.metrics.MandateMetrics;
import dev.mandate.owner.OwnerDirectory;
import dev.mandate.policy.PolicyEvaluator;
import dev.mandate.token.DeliverySecrets.Endpoint;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Wires the binding reconciliation: one Clock for everything, settings, the CA agents trust. */
@Singleton
public class OperatorBeans {

    private static final Logger LOG = Logger.getLogger(OperatorBeans.class);

    /** The one clock. Tests replace it with one they move. */
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    EventRecorder eventRecorder(KubernetesClient client, Clock clock) {
        return new EventRecorder(client, clock, Optional.ofNullable(System.getenv("HOSTNAME")).orElse("mandate"));
    }

    @Produces
    @Singleton
    Endpoint deliveryEndpoint(MandateConfig config, KubernetesClient client) {
        String ca = config.delivery().caFile().map(OperatorBeans::read).orElseGet(() -> clientCa(client.getConfiguration()));
        if (ca.isBlank()) {
            LOG.warn("no CA bundle for agents: set mandate.delivery.ca-file; ca.crt will be empty");
        }
        return new Endpoint(config.delivery().server(), ca);
    }

    @Produces
    @Singleton
    BindingReconciliation reconciliation(Clock clock, PolicyEvaluator policies, OwnerDirectory owners,
            EventRecorder events, MandateMetrics metrics, Endpoint endpoint, MandateConfig config) {
        return new BindingReconciliation(clock, policies, owners, events, metrics, () -> endpoint,
                config.conflictRecheck(), config.revocationWriteRate());
    }

    static String clientCa(Config c) {
        if (c.getCaCertData() != null && !c.getCaCertData().isBlank()) {
            return new String(Base64.getDecoder().decode(c.getCaCertData().trim()), StandardCharsets.UTF_8);
        }
        if (c.getCaCertFile() != null && Files.isReadable(Path.of(c.getCaCertFile()))) {
            return read(c.getCaCertFile());
        }
        return "";
    }

    static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CA file " + file + ": " + e.getMessage(), e);
        }
    }
}
