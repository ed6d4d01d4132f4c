package dev.mandate.binding;

import dev.mandate.binding.cluster.Observed;
import dev.mandate.binding.cluster.OwnedObjects;
import dev.mandate.binding.status.BindingEvents;
import dev.mandate.spec.EffectiveSpec;
import dev.mandate.token.AnchorSecrets;
import dev.mandate.token.CurrentToken;
import dev.mandate.token.DeliverySecrets;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Ends the previous tokens: deletes the anchors of older generations once the overlap after the
 * current token's issue has passed (each of those tokens dies on the API server with its anchor),
 * and at once the anchors of generations that were never delivered.
 */
final class AnchorRetirement {

    private final EventRecorder events;

    AnchorRetirement(EventRecorder events) {
        this.events = events;
    }

    /**
     * @param deliveredBefore the generation the delivery Secret held before this reconciliation;
     *                        older anchors newer than it were never delivered
     * @return when the overlap ends, if older anchors are still waiting for it
     */
    Optional<Instant> retire(Observed seen, OwnedObjects writes, EffectiveSpec spec, CurrentToken current,
            long deliveredBefore) {
        Instant overlapEnds = current.issuedAt().plus(spec.overlap());
        boolean waiting = false;
        List<Long> retired = new ArrayList<>();
        for (Secret a : seen.ours(seen.anchors()).toList()) {
            OptionalLong g = AnchorSecrets.generation(a);
            if (g.isPresent() && g.getAsLong() == current.generation()) {
                continue;
            }
            boolean older = g.isPresent() && g.getAsLong() < current.generation();
            boolean neverDelivered = older && g.getAsLong() > deliveredBefore;
            if (older && !neverDelivered && seen.now().isBefore(overlapEnds)) {
                waiting = true;
                continue;
            }
            if (g.isPresent() && g.getAsLong() > current.generation()) {
                // Never delivered, as far as the cache knows; the server has the last word.
                long delivered = writes.readSecret(spec.tokenSecretName()).map(DeliverySecrets::recordedGeneration)
                        .orElse(0L);
                if (delivered >= g.getAsLong()) {
                    throw new StaleView("generation " + g.getAsLong() + " was delivered meanwhile");
                }
            }
            if (writes.deleteOurs(a)) {
                retired.add(g.orElse(-1));
            }
        }
        if (!retired.isEmpty()) {
            events.record(seen.binding(), BindingEvents.tokenRetired(retired));
        }
        return waiting ? Optional.of(overlapEnds) : Optional.empty();
    }
}
