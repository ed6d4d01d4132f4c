package dev.mandate.config;

import dev.mandate.admission.AdmissionHandler;
import dev.mandate.admission.AdmissionServer;
import dev.mandate.admission.WebhookTls;
import dev.mandate.owner.OwnerDirectory;
import dev.mandate.policy.PolicyEvaluator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;

/**
 * Starts the admission webhooks on every replica when {@code mandate.admission.enabled}: the
 * certificate first (made, or read from the Secret), then the HTTPS server, then a refresh every
 * {@code mandate.admission.refresh} (renewal, a certificate another replica renewed, the caBundles).
 * A server that cannot start stops the operator: with {@code failurePolicy: Fail}, a replica that
 * runs without its webhooks would only refuse.
 */
@Singleton
public class AdmissionBeans {

    private static final Logger LOG = Logger.getLogger(AdmissionBeans.class);

    private AdmissionServer server;
    private ScheduledExecutorService refresher;

    void start(@Observes StartupEvent event, MandateConfig config, KubernetesClient client, PolicyEvaluator policies,
            OwnerDirectory owners, Clock clock, MeterRegistry registry) {
        MandateConfig.Admission a = config.admission();
        if (!a.enabled()) {
            LOG.info("admission webhooks off (mandate.admission.enabled=false)");
            return;
        }
        String ns = a.namespace().or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                .or(() -> Optional.ofNullable(client.getNamespace())).orElse("default");
        WebhookTls tls = new WebhookTls(client, clock, ns, a.secretName(), a.dnsNames(),
                a.mutatingWebhookConfiguration(), a.validatingWebhookConfiguration(), a.manageCertificate());
        try {
            server = new AdmissionServer(a.host(), a.port(), tls.refresh(),
                    new AdmissionHandler(client, policies, owners, clock, registry));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the admission webhooks on " + a.host() + ":" + a.port(), e);
        }
        server.start();
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mandate-webhook-tls");
            t.setDaemon(true);
            return t;
        });
        long every = a.refresh().toMillis();
        refresher.scheduleWithFixedDelay(() -> {
            try {
                SSLContext next = tls.refresh();
                if (next != null) {
                    server.use(next);
                    LOG.info("serving the webhooks with the certificate now in the Secret");
                }
            } catch (RuntimeException e) {
                LOG.warnf("webhook certificate refresh failed (will retry): %s", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (server != null) {
            server.stop();
        }
    }
}
