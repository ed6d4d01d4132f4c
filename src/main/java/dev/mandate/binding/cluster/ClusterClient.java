package dev.mandate.binding.cluster;

import dev.mandate.token.DeliverySecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Every write Mandate makes, plus the few reads that must bypass the caches. Writes go through
 * a {@link WriteThrough} so that, inside the operator, the caches see Mandate's own writes before
 * the next reconciliation does (JOSDK's ResourceOperations).
 */
public final class ClusterClient {

    /** Runs a write and lets the operator's caches record its result. */
    public interface WriteThrough {
        <R extends HasMetadata> R write(R resource, UnaryOperator<R> operation);
    }

    /** No caches to keep: the write's result is returned as it is. */
    public static final WriteThrough DIRECT = new WriteThrough() {
        @Override
        public <R extends HasMetadata> R write(R resource, UnaryOperator<R> operation) {
            return operation.apply(resource);
        }
    };

    private final KubernetesClient client;
    private final WriteThrough through;

    public ClusterClient(KubernetesClient client, WriteThrough through) {
        this.client = client;
        this.through = through;
    }

    public KubernetesClient kubernetes() {
        return client;
    }

    public <R extends HasMetadata> R create(R resource) {
        return through.write(refuseCachePlaceholders(resource), r -> client.resource(r).create());
    }

    /** Replaces the object; the resourceVersion it carries makes this fail with 409 if it changed meanwhile. */
    public <R extends HasMetadata> R update(R resource) {
        return through.write(refuseCachePlaceholders(resource), r -> client.resource(r).update());
    }

    /** A Secret copied from the cache keeps its kubeconfig's digest, not the kubeconfig: never write that. */
    static <R extends HasMetadata> R refuseCachePlaceholders(R resource) {
        if (resource instanceof Secret s && DeliverySecrets.holdsPlaceholder(s.getData())) {
            throw new IllegalStateException("Secret " + s.getMetadata().getName()
                    + " still holds the cache's digest of a value; its data must be set before it is written");
        }
        return resource;
    }

    /** A fresh read from the API server, bypassing every cache. */
    public <R extends HasMetadata> Optional<R> read(Class<R> type, String namespace, String name) {
        return Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
    }

    public Optional<Secret> readSecret(String namespace, String name) {
        return read(Secret.class, namespace, name);
    }

    /**
     * Deletes an object Mandate owns. The delete carries the cached resourceVersion as a
     * precondition; if the object changed since, it is read again and deleted only if
     * {@code stillOwned} still holds. Never deletes what Mandate did not create.
     *
     * @return true if this call deleted it (false if it was already gone or is not owned)
     */
    @SuppressWarnings("unchecked")
    public <R extends HasMetadata> boolean deleteOwned(R cached, Predicate<R> stillOwned) {
        R target = cached;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                var deleted = client.resource(target).lockResourceVersion(target.getMetadata().getResourceVersion())
                        .delete();
                return deleted != null && !deleted.isEmpty();
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return false;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                Optional<R> fresh = read((Class<R>) target.getClass(), target.getMetadata().getNamespace(),
                        target.getMetadata().getName());
                if (fresh.isEmpty() || !stillOwned.test(fresh.get())) {
                    return false;
                }
                target = fresh.get();
            }
        }
        throw new KubernetesClientException("could not delete " + cached.getKind() + " "
                + cached.getMetadata().getName() + ": it kept changing");
    }

    /** POST serviceaccounts/NAME/token. The response holds the token: never log it. */
    public TokenRequest requestToken(String namespace, String serviceAccount, TokenRequest request) {
        return client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request);
    }
}
