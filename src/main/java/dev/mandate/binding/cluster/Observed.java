package dev.mandate.binding.cluster;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.token.AnchorSecrets;
import dev.mandate.token.CurrentToken;
import dev.mandate.token.DeliverySecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What one reconciliation sees of a binding's own objects, read once from the caches when it
 * begins ({@code now}) and never changed during it. The caches attribute objects by their owner
 * reference's name, so the objects of a deleted binding of the same name are here too:
 * {@link #ours} keeps only this binding's.
 *
 * @param anchors    the anchor Secrets, by generation
 * @param deliveries the delivery Secrets (one, unless spec.tokenSecretName was changed)
 */
public record Observed(AgentBinding binding, Instant now, Optional<ServiceAccount> serviceAccount, List<Role> roles,
        List<RoleBinding> roleBindings, List<Secret> anchors, List<Secret> deliveries) {

    /** Deletions go in name order, so that the audit log of a revocation reads the same every time. */
    public static final Comparator<HasMetadata> BY_NAME = Comparator.comparing(o -> o.getMetadata().getName());

    public static Observed of(AgentBinding binding, ClusterView view, Instant now) {
        List<Secret> secrets = view.secrets(binding);
        return new Observed(binding, now, view.serviceAccount(binding), view.roles(binding), view.roleBindings(binding),
                secrets.stream().filter(AnchorSecrets::isAnchor)
                        .sorted(Comparator.comparingLong(s -> AnchorSecrets.generation(s).orElse(Long.MAX_VALUE)))
                        .toList(),
                secrets.stream().filter(s -> Metadata.COMPONENT_DELIVERY.equals(label(s, Metadata.COMPONENT)))
                        .toList());
    }

    /** Only what this very binding owns. */
    public <R extends HasMetadata> Stream<R> ours(List<R> objects) {
        return objects.stream().filter(o -> Ownership.of(o, binding) == Ownership.OURS);
    }

    public Optional<Secret> anchorOf(long generation) {
        return ours(anchors).filter(a -> AnchorSecrets.generation(a).orElse(-1) == generation).findFirst();
    }

    /** The cached delivery Secret of this name, whoever's it is. */
    public Optional<Secret> delivery(String name) {
        return deliveries.stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst();
    }

    /** The delivered token that is still valid, if any. */
    public Optional<CurrentToken> validToken() {
        return ours(deliveries).map(DeliverySecrets::current).flatMap(Optional::stream)
                .filter(t -> t.validAt(now)).findFirst();
    }

    /**
     * The highest token generation this binding's anchors, delivery Secrets and status record;
     * empty before the first issue. Generations only ever grow, through revocations and re-issues.
     */
    public OptionalLong lastGeneration() {
        long max = 0;
        for (Secret d : deliveries) {
            max = Math.max(max, DeliverySecrets.recordedGeneration(d));
        }
        for (Secret a : anchors) {
            max = Math.max(max, AnchorSecrets.generation(a).orElse(0));
        }
        if (binding.getStatus() != null && binding.getStatus().getToken() != null
                && binding.getStatus().getToken().getGeneration() != null) {
            max = Math.max(max, binding.getStatus().getToken().getGeneration());
        }
        return max == 0 ? OptionalLong.empty() : OptionalLong.of(max);
    }

    /** The generation to mint next: one above every generation known, {@code delivery}'s (read fresh) included. */
    public long nextGeneration(Optional<Secret> delivery) {
        return Math.max(lastGeneration().orElse(0), delivery.map(DeliverySecrets::recordedGeneration).orElse(0L)) + 1;
    }

    public static String label(HasMetadata o, String key) {
        Map<String, String> l = o.getMetadata().getLabels();
        return l == null ? null : l.get(key);
    }
}
