package dev.mandate.binding.cluster;

import dev.mandate.api.v1alpha1.AgentBinding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Objects;

/** Whose an existing object is, from the binding's point of view. */
public enum Ownership {
    /** Controlled by this very binding (same uid). */
    OURS,
    /** Controlled by a deleted binding of the same name; garbage collection will remove it. */
    PREVIOUS_INCARNATION,
    /** Anyone else's: Mandate never adopts, changes or deletes it. */
    FOREIGN;

    /**
     * The controlling owner reference everything Mandate makes for the binding carries: the
     * garbage collector removes it all with the binding, and {@code blockOwnerDeletion} keeps a
     * foreground deletion waiting for it.
     */
    public static OwnerReference controllerReference(AgentBinding b) {
        return new OwnerReferenceBuilder()
                .withApiVersion(b.getApiVersion())
                .withKind(b.getKind())
                .withName(b.getMetadata().getName())
                .withUid(b.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    public static Ownership of(HasMetadata o, AgentBinding b) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        if (refs == null) {
            return FOREIGN;
        }
        for (OwnerReference r : refs) {
            if (Boolean.TRUE.equals(r.getController()) && Objects.equals(r.getUid(), b.getMetadata().getUid())) {
                return OURS;
            }
        }
        for (OwnerReference r : refs) {
            if (Boolean.TRUE.equals(r.getController()) && b.getKind().equals(r.getKind())
                    && b.getMetadata().getName().equals(r.getName())
                    && r.getApiVersion() != null && r.getApiVersion().startsWith(AgentBinding.GROUP + "/")) {
                return PREVIOUS_INCARNATION;
            }
        }
        return FOREIGN;
    }
}
