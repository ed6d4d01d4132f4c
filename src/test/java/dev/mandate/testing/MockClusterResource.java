package dev.mandate.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link MockCluster} for {@code @QuarkusTest}s and points the operator's client at it.
 * The cluster and the operator share {@link #CLOCK}, which the tests move.
 */
public class MockClusterResource implements QuarkusTestResourceLifecycleManager {

    public static final MutableClock CLOCK = MutableClock.startingNow();
    public static MockCluster cluster;

    @Override
    public Map<String, String> start() {
        cluster = new MockCluster(CLOCK);
        Guardrails.install(cluster.client());
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", cluster.client().getConfiguration().getMasterUrl(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", "default");
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
