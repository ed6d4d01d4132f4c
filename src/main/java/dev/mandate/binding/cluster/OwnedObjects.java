package dev.mandate.binding.cluster;

import dev.mandate.api.v1alpha1.AgentBinding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.BinaryOperator;

/**
 * The one place that writes the objects a binding owns, by the rules that keep Mandate from
 * touching anyone else's: it creates what is missing, updates only what it owns (keeping labels
 * and annotations others added), refuses ({@link Blocked}) where a name is taken, and deletes only
 * what is still its own when the delete happens.
 */
public final class OwnedObjects {

    /** What {@link #ensure} did. */
    public enum Change {
        NONE, CREATED, UPDATED
    }

    public record Ensured<R>(R object, Change change) {
    }

    private final AgentBinding binding;
    private final ClusterClient api;
    private final OwnerReference ownerReference;

    public OwnedObjects(AgentBinding binding, ClusterClient api) {
        this.binding = binding;
        this.api = api;
        this.ownerReference = Ownership.controllerReference(binding);
    }

    public Ownership ownership(HasMetadata o) {
        return Ownership.of(o, binding);
    }

    /**
     * Makes an object the binding owns look as desired: creates it if absent, updates what differs
     * (keeping labels and annotations others added), never touches one owned by someone else.
     *
     * @throws Blocked when the name is taken by an object the binding does not own
     */
    public <R extends HasMetadata> Ensured<R> ensure(Class<R> type, R desired, Optional<R> observed,
            BiPredicate<R, R> sameContent, BinaryOperator<R> merge) {
        R have = observed.orElse(null);
        if (have == null) {
            try {
                return new Ensured<>(api.create(desired), Change.CREATED);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                have = api.read(type, binding.getMetadata().getNamespace(), desired.getMetadata().getName())
                        .orElseThrow(() -> e);
            }
        }
        Ownership ownership = Ownership.of(have, binding);
        if (ownership != Ownership.OURS) {
            throw Blocked.by(desired.getKind(), desired.getMetadata().getName(), ownership);
        }
        if (sameContent.test(have, desired) && carriesLabels(have, desired)) {
            return new Ensured<>(have, Change.NONE);
        }
        R merged = merge.apply(copy(have), desired);
        Map<String, String> labels = new HashMap<>(orEmpty(merged.getMetadata().getLabels()));
        labels.putAll(desired.getMetadata().getLabels());
        merged.getMetadata().setLabels(labels);
        if (Ownership.of(merged, binding) != Ownership.OURS) {
            List<OwnerReference> refs = new ArrayList<>(merged.getMetadata().getOwnerReferences());
            refs.add(ownerReference);
            merged.getMetadata().setOwnerReferences(refs);
        }
        return new Ensured<>(api.update(merged), Change.UPDATED);
    }

    /** @throws Blocked unless the binding owns {@code o} */
    public <R extends HasMetadata> R requireOurs(R o) {
        Ownership ownership = Ownership.of(o, binding);
        if (ownership != Ownership.OURS) {
            throw Blocked.by(o.getKind(), o.getMetadata().getName(), ownership);
        }
        return o;
    }

    /** Creates an object that must not exist yet; a 409 reaches the caller. */
    public <R extends HasMetadata> R create(R desired) {
        return api.create(desired);
    }

    /**
     * Deletes an object the binding owns, only if it still does when the delete happens.
     *
     * @return true if this call deleted it
     */
    public boolean deleteOurs(HasMetadata o) {
        return api.deleteOwned(o, fresh -> Ownership.of(fresh, binding) == Ownership.OURS);
    }

    /**
     * The one way a delivery Secret the binding owns is rewritten (a new token, a repair, a
     * revocation): its data replaced, the given annotations set and the dropped ones removed,
     * everything else (labels and annotations others added) kept.
     */
    public Secret rewriteDelivery(Secret have, Map<String, String> data, Map<String, String> annotations,
            Collection<String> dropAnnotations) {
        Secret updated = copy(have);
        Map<String, String> ann = new HashMap<>(orEmpty(updated.getMetadata().getAnnotations()));
        dropAnnotations.forEach(ann::remove);
        ann.putAll(annotations);
        updated.getMetadata().setAnnotations(ann);
        updated.setData(data);
        return api.update(updated);
    }

    /** A fresh read of a Secret in the binding's namespace, bypassing the caches. */
    public Optional<Secret> readSecret(String name) {
        return api.readSecret(binding.getMetadata().getNamespace(), name);
    }

    /** POST serviceaccounts/NAME/token. The response holds the token: never log it. */
    public TokenRequest requestToken(String serviceAccount, TokenRequest request) {
        return api.requestToken(binding.getMetadata().getNamespace(), serviceAccount, request);
    }

    @SuppressWarnings("unchecked")
    private <R extends HasMetadata> R copy(R o) {
        return (R) api.kubernetes().getKubernetesSerialization().clone(o);
    }

    private static boolean carriesLabels(HasMetadata have, HasMetadata desired) {
        Map<String, String> labels = orEmpty(have.getMetadata().getLabels());
        return desired.getMetadata().getLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }
}
