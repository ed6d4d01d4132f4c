package dev.mandate.policy;

import dev.mandate.api.v1alpha1.AgentPolicy;
import dev.mandate.api.v1alpha1.AgentPolicyStatus;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.StatusConditions;
import dev.mandate.api.v1alpha1.StatusPatch;
import dev.mandate.cache.LeanCache;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tells admins whether a policy can work: its ceiling ClusterRole exists and is labelled so the
 * operator may grant it (without the label the API server refuses every Role under it), and its
 * namespace selector is readable. Re-admitting or revoking bindings is the binding controller's job.
 */
@ControllerConfiguration(name = AgentPolicyReconciler.NAME, fieldManager = "mandate")
public class AgentPolicyReconciler implements ConfigurableReconciler<AgentPolicy> {

    public static final String NAME = "agentpolicies";
    static final String BY_CEILING = "ceiling";

    private final Clock clock;

    @Inject
    public AgentPolicyReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<AgentPolicy> configuration) {
        configuration.withItemStore(LeanCache.lean());
    }

    @Override
    public List<EventSource<?, AgentPolicy>> prepareEventSources(EventSourceContext<AgentPolicy> context) {
        var policies = context.getPrimaryCache();
        policies.addIndexer(BY_CEILING, p -> p.getSpec() == null || p.getSpec().getCeilingClusterRole() == null
                ? List.of() : List.of(p.getSpec().getCeilingClusterRole()));
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ClusterRole.class, AgentPolicy.class)
                .withWatchAllNamespaces()
                .withItemStore(LeanCache.lean())
                .withSecondaryToPrimaryMapper(cr -> policies.byIndex(BY_CEILING, cr.getMetadata().getName()).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(p -> ((AgentPolicy) p).getSpec() == null
                        || ((AgentPolicy) p).getSpec().getCeilingClusterRole() == null ? Set.of()
                                : Set.of(new ResourceID(((AgentPolicy) p).getSpec().getCeilingClusterRole())))
                .build(), context));
    }

    @Override
    public UpdateControl<AgentPolicy> reconcile(AgentPolicy policy, Context<AgentPolicy> context) {
        AgentPolicyStatus next = status(policy, context.getSecondaryResource(ClusterRole.class), clock.instant());
        return StatusPatch.same(policy.getStatus(), next) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(StatusPatch.of(policy, next, AgentPolicy::new));
    }

    /** The status a policy should have, given its ceiling ClusterRole if it exists. Pure. */
    static AgentPolicyStatus status(AgentPolicy policy, Optional<ClusterRole> ceiling, Instant now) {
        var spec = policy.getSpec();
        String reason;
        String message;
        boolean ready;
        List<String> badOperators = spec == null || spec.getNamespaceSelector() == null
                || spec.getNamespaceSelector().getMatchExpressions() == null ? List.of()
                        : spec.getNamespaceSelector().getMatchExpressions().stream()
                                .map(LabelSelectorRequirement::getOperator)
                                .filter(o -> o == null || !Selectors.OPERATORS.contains(o)).map(String::valueOf).toList();
        String ceilingName = spec == null ? null : spec.getCeilingClusterRole();
        if (!badOperators.isEmpty()) {
            ready = false;
            reason = "InvalidSelector";
            message = "namespaceSelector uses unknown operator(s) " + badOperators + "; it selects no namespace";
        } else if (ceilingName == null) {
            ready = true;
            reason = "NoCeiling";
            message = "No ceilingClusterRole: bindings under this policy may bind allowedClusterRoles but have no rules";
        } else if (ceiling.isEmpty()) {
            ready = false;
            reason = "CeilingNotFound";
            message = "ClusterRole " + ceilingName + " does not exist; bindings with rules are denied until it does";
        } else if (!"true".equals(Optional.ofNullable(ceiling.get().getMetadata().getLabels()).orElse(Map.of())
                .get(Metadata.AGGREGATE_TO_OPERATOR))) {
            ready = false;
            reason = "CeilingNotAggregated";
            message = "ClusterRole " + ceilingName + " lacks the label " + Metadata.AGGREGATE_TO_OPERATOR + ": \"true\", so the "
                    + "operator does not hold its permissions and the API server will refuse Roles under it";
        } else {
            ready = true;
            reason = "CeilingReady";
            message = "Ceiling ClusterRole " + ceilingName + " exists and is aggregated into the operator's grant role";
        }
        AgentPolicyStatus s = new AgentPolicyStatus();
        s.setObservedGeneration(policy.getMetadata().getGeneration());
        s.setConditions(List.of(StatusConditions.next(
                Optional.ofNullable(policy.getStatus()).flatMap(p -> StatusConditions.find(p.getConditions(), "Ready")),
                "Ready", ready, reason, message, policy.getMetadata().getGeneration(), now)));
        return s;
    }
}
