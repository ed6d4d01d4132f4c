package dev.mandate.owner;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentOwnerStatus;
import dev.mandate.api.v1alpha1.StatusConditions;
import dev.mandate.api.v1alpha1.StatusPatch;
import dev.mandate.cache.LeanCache;
import dev.mandate.time.Times;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps an AgentOwner's status: how many bindings name it, and when it departed. Revoking those
 * bindings is the binding controller's job: it watches owners too.
 */
@ControllerConfiguration(name = AgentOwnerReconciler.NAME, fieldManager = "mandate")
public class AgentOwnerReconciler implements ConfigurableReconciler<AgentOwner> {

    public static final String NAME = "agentowners";

    private final Clock clock;

    @Inject
    public AgentOwnerReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<AgentOwner> configuration) {
        configuration.withItemStore(LeanCache.lean());
    }

    @Override
    public List<EventSource<?, AgentOwner>> prepareEventSources(EventSourceContext<AgentOwner> context) {
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration
                .from(AgentBinding.class, AgentOwner.class)
                .withWatchAllNamespaces()
                .withItemStore(LeanCache.ownerOnly()) // only counted: spec.owner is all it needs
                .withSecondaryToPrimaryMapper(b -> b.getSpec() == null || b.getSpec().getOwner() == null ? Set.of()
                        : Set.of(new ResourceID(b.getSpec().getOwner())))
                .build(), context));
    }

    @Override
    public UpdateControl<AgentOwner> reconcile(AgentOwner owner, Context<AgentOwner> context) {
        AgentOwnerStatus next = status(owner, context.getSecondaryResources(AgentBinding.class).size(), clock.instant());
        return StatusPatch.same(owner.getStatus(), next) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(StatusPatch.of(owner, next, AgentOwner::new));
    }

    /** The status an owner should have. Pure. */
    static AgentOwnerStatus status(AgentOwner owner, int bindings, Instant now) {
        AgentOwnerStatus previous = owner.getStatus();
        boolean active = AgentOwnerDirectory.active(owner);
        AgentOwnerStatus s = new AgentOwnerStatus();
        s.setObservedGeneration(owner.getMetadata().getGeneration());
        s.setBindings(bindings);
        if (!active) {
            s.setDepartedAt(Optional.ofNullable(previous).map(AgentOwnerStatus::getDepartedAt)
                    .filter(d -> Times.tryParse(d).isPresent()).orElse(Times.format(now)));
        }
        s.setConditions(List.of(StatusConditions.next(
                Optional.ofNullable(previous).flatMap(p -> StatusConditions.find(p.getConditions(), "Ready")),
                "Ready", active, active ? "OwnerActive" : "OwnerDeparted",
                active ? "Active; " + bindings + " binding" + (bindings == 1 ? "" : "s") + " name this owner"
                        : "Departed at " + s.getDepartedAt() + "; every binding naming this owner is revoked",
                owner.getMetadata().getGeneration(), now)));
        return s;
    }
}
