package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.function.Supplier;

/**
 * How each of Mandate's controllers writes a status: only when it says something new, and as a
 * patch that carries only the status and the resourceVersion that was read.
 */
public final class StatusPatch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusPatch() {
    }

    /** Whether two statuses say the same thing, field by field (then nothing is written). */
    public static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        return JSON.valueToTree(a).equals(JSON.valueToTree(b));
    }

    /**
     * A status patch for {@code read}: its identity, the resourceVersion the reconciliation read,
     * the new status and nothing of the spec (so the status manager never claims spec fields). An
     * edit made meanwhile (a rotation request, an owner's departure) makes the API server refuse the
     * patch with 409 and the framework reconciles again. Without the resourceVersion the patch would
     * succeed on top of the edit, and the framework, taking the edit's event for one older than its
     * own write, would drop it.
     */
    public static <S, R extends CustomResource<?, S>> R of(R read, S status, Supplier<R> empty) {
        R patch = empty.get();
        patch.setMetadata(metadata(read));
        patch.setSpec(null);
        patch.setStatus(status);
        return patch;
    }

    static ObjectMeta metadata(HasMetadata read) {
        return new ObjectMetaBuilder()
                .withName(read.getMetadata().getName())
                .withNamespace(read.getMetadata().getNamespace())
                .withUid(read.getMetadata().getUid())
                .withResourceVersion(read.getMetadata().getResourceVersion())
                .build();
    }
}
