package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.StatusPatch;
import dev.mandate.binding.cluster.ClusterClient;
import dev.mandate.binding.status.BindingEvents;
import dev.mandate.binding.status.Statuses;
import dev.mandate.cache.LeanCache;
import dev.mandate.metrics.BindingCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The JOSDK adapter around {@link BindingReconciliation}: hands it the informer caches
 * ({@link BindingEventSources}), writes the status it returns (only when it changed) and
 * reschedules for the exact time it names. Rotations, overlaps and expiries are never polled for;
 * only a binding blocked by an object Mandate does not watch is looked at again on a timer
 * ({@code mandate.conflict-recheck}), besides the framework's safety-net resync.
 *
 * <p>Not generation-aware: the rotate-requested-at annotation changes metadata only and must
 * still trigger a reconciliation. Retries never give up (a binding whose token cannot be renewed
 * must keep trying), backing off to one attempt a minute.
 */
@ControllerConfiguration(name = AgentBindingReconciler.NAME, generationAwareEventProcessing = false,
        fieldManager = "mandate")
@GradualRetry(maxAttempts = -1, initialInterval = 1000, intervalMultiplier = 2.0, maxInterval = 60_000)
public class AgentBindingReconciler implements ConfigurableReconciler<AgentBinding> {

    public static final String NAME = "agentbindings";
    private static final Logger LOG = Logger.getLogger(AgentBindingReconciler.class);

    private final BindingReconciliation reconciliation;
    private final EventRecorder events;
    private final Clock clock;
    private final BindingCache bindingCache;

    @Inject
    public AgentBindingReconciler(BindingReconciliation reconciliation, EventRecorder events, Clock clock,
            BindingCache bindingCache) {
        this.reconciliation = reconciliation;
        this.events = events;
        this.clock = clock;
        this.bindingCache = bindingCache;
    }

    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<AgentBinding> configuration) {
        configuration.withItemStore(LeanCache.lean());
    }

    @Override
    public List<EventSource<?, AgentBinding>> prepareEventSources(EventSourceContext<AgentBinding> context) {
        bindingCache.set(context.getPrimaryCache());
        return BindingEventSources.prepare(context);
    }

    @Override
    public UpdateControl<AgentBinding> reconcile(AgentBinding binding, Context<AgentBinding> context) {
        BindingReconciliation.Outcome outcome = reconciliation.reconcile(binding, new InformerClusterView(context),
                new ClusterClient(context.getClient(), cachingIn(context)));
        UpdateControl<AgentBinding> control = StatusPatch.same(binding.getStatus(), outcome.status())
                ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(StatusPatch.of(binding, outcome.status(), AgentBinding::new));
        outcome.wakeAt().ifPresent(at -> control.rescheduleAfter(delayUntil(at)));
        return control;
    }

    /**
     * A failed reconciliation: one log line (the binding, the attempt, the API's answer), an Event
     * on the first attempt, and {@code Ready=False IssueFailed} unless the current token still
     * works. The stack trace of an API error is logged at DEBUG; that of anything else (a bug)
     * once, on the first attempt.
     */
    @Override
    public ErrorStatusUpdateControl<AgentBinding> updateErrorStatus(AgentBinding binding,
            Context<AgentBinding> context, Exception e) {
        String id = binding.getMetadata().getNamespace() + "/" + binding.getMetadata().getName();
        if (changedWhileReconciled(binding, e)) {
            LOG.debugf("%s changed while it was reconciled; reconciling it again", id);
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        Exception cause = cause(e);
        String why = describe(cause);
        // The framework counts the attempts that failed before this one.
        int attempt = context.getRetryInfo().map(r -> r.getAttemptCount()).orElse(0) + 1;
        LOG.warnf("reconciling %s failed (attempt %d): %s", id, attempt, why);
        if (attempt == 1 && !(cause instanceof KubernetesClientException)) {
            LOG.warnf(e, "reconciling %s failed with an unexpected error", id);
        } else {
            LOG.debugf(e, "reconciling %s failed", id);
        }
        if (attempt == 1) {
            events.record(binding, BindingEvents.reconcileFailed(why));
        }
        return Statuses.issueFailed(binding, why, clock.instant())
                .map(s -> ErrorStatusUpdateControl.patchStatus(StatusPatch.of(binding, s, AgentBinding::new)))
                .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
    }

    Duration delayUntil(Instant at) {
        Duration d = Duration.between(clock.instant(), at);
        // Round up to whole milliseconds so the timer never fires a hair before the due time.
        return d.isNegative() ? Duration.ZERO : Duration.ofMillis((d.toNanos() + 999_999) / 1_000_000);
    }

    static ClusterClient.WriteThrough cachingIn(Context<AgentBinding> context) {
        return new ClusterClient.WriteThrough() {
            @Override
            public <R extends HasMetadata> R write(R resource, UnaryOperator<R> operation) {
                return context.resourceOperations().resourcePatch(resource, operation);
            }
        };
    }

    /** The status patch met a newer version of this binding (see {@link StatusPatch#of}). */
    public static boolean changedWhileReconciled(AgentBinding binding, Exception e) {
        return cause(e) instanceof KubernetesClientException k && k.getCode() == HttpURLConnection.HTTP_CONFLICT
                && k.getStatus() != null && k.getStatus().getDetails() != null
                && "agentbindings".equals(k.getStatus().getDetails().getKind())
                && binding.getMetadata().getName().equals(k.getStatus().getDetails().getName());
    }

    /** What went wrong, without the framework's wrapping (it wraps every exception a reconcile throws). */
    static Exception cause(Exception e) {
        Exception c = e;
        while (c instanceof OperatorException && c.getCause() instanceof Exception inner) {
            c = inner;
        }
        return c;
    }

    /** The API server's answer in a line ("HTTP 403 Forbidden: ..."), or the error's class and message. */
    static String describe(Exception e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null) {
            return "HTTP " + k.getCode() + " " + Optional.ofNullable(k.getStatus().getReason()).orElse("") + ": "
                    + Optional.ofNullable(k.getStatus().getMessage()).orElse("");
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
