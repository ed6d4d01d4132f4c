package dev.mandate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Operator settings (application.properties, -D options or MANDATE_* environment variables). */
@ConfigMapping(prefix = "mandate")
public interface MandateConfig {

    Delivery delivery();

    /** How often a binding blocked by an object Mandate did not create is checked again. */
    @WithDefault("60s")
    Duration conflictRecheck();

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
