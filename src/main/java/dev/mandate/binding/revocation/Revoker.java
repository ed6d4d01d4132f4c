package dev.mandate.binding.revocation;

import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.binding.cluster.Observed;
import dev.mandate.binding.cluster.OwnedObjects;
import dev.mandate.token.DeliverySecrets;
import dev.mandate.token.DeliverySecrets.Endpoint;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Takes an identity away, in the order that ends access soonest: RoleBindings (permissions gone on
 * the API server's next request), Roles, anchors (every token dead), the delivery Secret's token,
 * then the ServiceAccount (any stray token dies with it). Deletes only what the binding still owns
 * when the delete happens, and reports what it did instead of saying it: the reconciliation writes
 * the one Event, the log line and the metrics.
 */
public final class Revoker {

    /** What a revocation deleted, in the words its Event uses; empty when nothing was left. */
    public record Report(List<String> done) {

        public boolean revokedAnything() {
            return !done.isEmpty();
        }
    }

    private final Supplier<Endpoint> endpoint;

    public Revoker(Supplier<Endpoint> endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Deletes the binding's RoleBindings, in name order. A revocation calls this first, usually in
     * a reconciliation of its own, so that every binding revoked at one moment loses its
     * permissions before any binding's other objects go.
     *
     * @return how many it deleted
     */
    public long unbind(Observed seen, OwnedObjects writes) {
        return seen.ours(seen.roleBindings()).sorted(Observed.BY_NAME).filter(writes::deleteOurs).count();
    }

    /**
     * Everything after the RoleBindings.
     *
     * @param roleBindingsDeleted what {@link #unbind} deleted in this same reconciliation, for the
     *                            report; zero when the RoleBindings went in an earlier one
     * @param deleteServiceAccount false when the ServiceAccount's name belongs to someone else
     */
    public Report revoke(Observed seen, OwnedObjects writes, long roleBindingsDeleted, boolean deleteServiceAccount) {
        List<String> done = new ArrayList<>();
        count(done, "RoleBinding", roleBindingsDeleted);
        count(done, "Role", seen.ours(seen.roles()).sorted(Observed.BY_NAME).filter(writes::deleteOurs).count());
        count(done, "token anchor", seen.ours(seen.anchors()).filter(writes::deleteOurs).count());
        String ns = seen.binding().getMetadata().getNamespace();
        for (Secret d : seen.ours(seen.deliveries()).toList()) {
            if (DeliverySecrets.token(d).isPresent()) {
                writes.rewriteDelivery(d, DeliverySecrets.revokedData(ns, endpoint.get()), Map.of(),
                        DeliverySecrets.TOKEN_ANNOTATIONS.stream()
                                .filter(k -> !k.equals(Metadata.TOKEN_GENERATION)).toList());
                done.add("removed the token from Secret " + d.getMetadata().getName());
            }
        }
        if (deleteServiceAccount && seen.ours(seen.serviceAccount().stream().toList()).findFirst()
                .map(writes::deleteOurs).orElse(false)) {
            done.add("deleted ServiceAccount " + seen.binding().getMetadata().getName());
        }
        return new Report(List.copyOf(done));
    }

    /**
     * The binding, or its whole namespace, is being deleted: the garbage collector or the namespace
     * controller removes what Mandate made. Mandate creates nothing (it would fight them, and a
     * terminating namespace refuses new objects) but takes the permissions and the tokens away at
     * once, in case the deletion stalls on something else.
     *
     * @return how many RoleBindings and anchors it deleted
     */
    public long beforeDeletion(Observed seen, OwnedObjects writes) {
        return unbind(seen, writes) + seen.ours(seen.anchors()).filter(writes::deleteOurs).count();
    }

    private static void count(List<String> done, String what, long n) {
        if (n > 0) {
            done.add("deleted " + n + " " + what + (n == 1 ? "" : "s"));
        }
    }
}
