package dev.mandate.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Leader election through a coordination.k8s.io Lease, when mandate.leader-election.enabled.
 * Only the leader reconciles; standbys run their informers and take over when the Lease lapses.
 *
 * <p>A replica that loses the Lease exits (so that it restarts as a standby with no stale state),
 * but never from inside the JVM's own shutdown: with JOSDK's default exit-on-stop-leading, a
 * SIGTERM would deadlock (the shutdown hook stops the elector, whose callback calls System.exit
 * inside the hook).
 */
@Singleton
public class LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);
    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

    void onShutdown(@Observes ShutdownEvent e) {
        SHUTTING_DOWN.set(true);
    }

    /** Null when disabled: QOSDK then runs without leader election. */
    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(MandateConfig config, KubernetesClient client) {
        MandateConfig.LeaderElection le = config.leaderElection();
        if (!le.enabled()) {
            return null;
        }
        String namespace = le.leaseNamespace()
                .or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                .orElse(client.getNamespace());
        String identity = le.identity().or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
                .orElseThrow(() -> new IllegalStateException(
                        "leader election needs an identity: set mandate.leader-election.identity or HOSTNAME"));
        LOG.infof("leader election on: Lease %s/%s as %s", namespace, le.leaseName(), identity);
        return new LeaderElectionConfiguration(le.leaseName(), namespace, le.leaseDuration(), le.renewDeadline(),
                le.retryPeriod(), identity, new LeaderCallbacks(
                        () -> LOG.infof("became the leader (%s): reconciling", identity),
                        () -> {
                            if (SHUTTING_DOWN.get()) {
                                LOG.infof("stopped leading while shutting down (%s)", identity);
                            } else {
                                LOG.warnf("lost the lease (%s): exiting so a fresh standby takes its place", identity);
                                Quarkus.asyncExit(1);
                            }
                        },
                        leader -> LOG.infof("leader is now %s", leader)),
                false);
    }
}
