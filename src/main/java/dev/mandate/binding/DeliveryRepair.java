package dev.mandate.binding;

import dev.mandate.binding.cluster.Observed;
import dev.mandate.binding.cluster.OwnedObjects;
import dev.mandate.token.DeliverySecrets;
import dev.mandate.token.DeliverySecrets.Endpoint;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the delivery Secret true without minting: its {@code ca.crt}, {@code namespace} and
 * {@code kubeconfig} follow the operator's settings, and a delivery Secret left under a previous
 * {@code spec.tokenSecretName} goes.
 */
final class DeliveryRepair {

    private static final Logger LOG = Logger.getLogger(DeliveryRepair.class);

    private final Supplier<Endpoint> endpoint;

    DeliveryRepair(Supplier<Endpoint> endpoint) {
        this.endpoint = endpoint;
    }

    /** Rewrites what the current token's Secret should say besides the token, if it differs. */
    void repair(Observed seen, OwnedObjects writes, Secret delivery) {
        String token = DeliverySecrets.token(delivery).orElseThrow();
        Map<String, String> want = DeliverySecrets.data(token, seen.binding().getMetadata().getNamespace(),
                seen.binding().getMetadata().getName(), endpoint.get());
        if (DeliverySecrets.sameData(delivery.getData(), want)) {
            return;
        }
        writes.rewriteDelivery(delivery, want, Map.of(), List.of());
        LOG.infof("rewrote ca.crt/namespace/kubeconfig of Secret %s (token unchanged)", delivery.getMetadata().getName());
    }

    /** Deletes the binding's delivery Secrets of other names than {@code tokenSecretName}. */
    static void deleteStrays(Observed seen, OwnedObjects writes, String tokenSecretName) {
        seen.ours(seen.deliveries()).filter(d -> !d.getMetadata().getName().equals(tokenSecretName))
                .forEach(writes::deleteOurs);
    }
}
