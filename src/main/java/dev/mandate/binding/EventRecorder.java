package dev.mandate.binding;

import dev.mandate.binding.status.BindingEvent;
import dev.mandate.binding.status.BindingEvents;
import dev.mandate.time.Times;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Writes core/v1 Events about a binding, the way {@code kubectl describe} shows them. Best effort:
 * an Event that cannot be written is logged, never fails a reconciliation. Messages never hold
 * token material.
 */
public final class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final int MAX_MESSAGE = 1024;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final KubernetesClient client;
    private final Clock clock;
    private final String instance;

    public EventRecorder(KubernetesClient client, Clock clock, String instance) {
        this.client = client;
        this.clock = clock;
        this.instance = instance;
    }

    /** Writes the Event; its text comes from {@link BindingEvents}. */
    public void record(HasMetadata about, BindingEvent event) {
        String type = event.warning() ? "Warning" : "Normal";
        String reason = event.reason();
        String message = event.message();
        Instant now = clock.instant();
        String ts = Times.format(now);
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        String subject = about.getMetadata().getName();
        String name = (subject.length() > 200 ? subject.substring(0, 200) : subject) + "."
                + Long.toHexString(now.toEpochMilli()) + Long.toHexString(SEQUENCE.incrementAndGet() & 0xfff);
        var written = new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(about.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(about.getApiVersion())
                        .withKind(about.getKind())
                        .withName(about.getMetadata().getName())
                        .withNamespace(about.getMetadata().getNamespace())
                        .withUid(about.getMetadata().getUid())
                        .withResourceVersion(about.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(text)
                .withNewSource("mandate", null)
                .withReportingComponent("mandate")
                .withReportingInstance(instance)
                .withFirstTimestamp(ts)
                .withLastTimestamp(ts)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(written).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record Event %s for %s/%s: %s", reason, about.getMetadata().getNamespace(),
                    about.getMetadata().getName(), e.getMessage());
        }
    }
}
