package dev.mandate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Operator settings (application.properties, -D options or MANDATE_* environment variables). */
@ConfigMapping(prefix = "mandate")
public interface MandateConfig {

    Delivery delivery();

    LeaderElection leaderElection();

    Admission admission();

    /**
     * The write rate (per second) the API server is assumed to sustain for revocations. When many
     * bindings expire at the same instant, their permissions are removed ahead of it by the time
     * that takes at this rate, so that none outlives its expiry.
     */
    @WithDefault("200")
    double revocationWriteRate();

    /** How often a binding blocked by an object Mandate did not create is checked again. */
    @WithDefault("60s")
    Duration conflictRecheck();

    /** Several replicas, one active: the others keep warm caches and take over through a Lease. */
    interface LeaderElection {
        /** Off for a single local process; the Helm chart turns it on. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("mandate-operator")
        String leaseName();

        /** Where the Lease lives. Default: the namespace the operator runs in (POD_NAMESPACE), else the client's. */
        Optional<String> leaseNamespace();

        /** This replica's name in the Lease. Default: $HOSTNAME (the Pod's name). */
        Optional<String> identity();

        @WithDefault("15s")
        Duration leaseDuration();

        @WithDefault("10s")
        Duration renewDeadline();

        @WithDefault("2s")
        Duration retryPeriod();
    }

    /** The admission webhooks for AgentBindings (README "Admission"). */
    interface Admission {
        /**
         * Serve the webhooks. Off by default until the chart registers them; the end-to-end suite
         * registers them by URL.
         */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("0.0.0.0")
        String host();

        /** The HTTPS port the webhooks listen on (0: any free port, for tests). */
        @WithDefault("8443")
        int port();

        /** Where the certificate Secret lives. Default: the operator's namespace (POD_NAMESPACE), else the client's. */
        Optional<String> namespace();

        /** The Secret holding the webhooks' CA and serving certificate, made and renewed by the operator. */
        @WithDefault("mandate-webhook-tls")
        String secretName();

        /** The DNS names in the serving certificate (127.0.0.1 is always there). */
        @WithDefault("mandate-webhook.mandate.svc")
        List<String> dnsNames();

        /** The MutatingWebhookConfiguration whose caBundle the operator keeps (and nothing else). */
        @WithDefault("mandate-agentbindings")
        String mutatingWebhookConfiguration();

        /** The ValidatingWebhookConfiguration whose caBundle the operator keeps (and nothing else). */
        @WithDefault("mandate-agentbindings")
        String validatingWebhookConfiguration();

        /**
         * Make and renew the certificate and write the caBundles. false when cert-manager makes the
         * Secret and injects the CA: the operator then only reads the Secret.
         */
        @WithDefault("true")
        boolean manageCertificate();

        /** How often the Secret and the caBundles are checked, and the certificate renewed when due. */
        @WithDefault("60s")
        Duration refresh();
    }

    interface Delivery {
        /** The API server URL written into each agent's kubeconfig. */
        @WithDefault("https://kubernetes.default.svc")
        String server();

        /**
         * A PEM file with the CA bundle agents should trust (ca.crt and the kubeconfig). Default:
         * the CA the operator itself trusts for the API server.
         */
        Optional<String> caFile();
    }
}
