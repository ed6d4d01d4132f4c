package dev.mandate.token;

import dev.mandate.api.v1alpha1.Metadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Per-generation anchor Secrets. Each token is bound to one ({@code boundObjectRef}); deleting the
 * anchor makes the API server reject exactly that token. They hold no data.
 */
public final class AnchorSecrets {

    private AnchorSecrets() {
    }

    public static String name(String bindingName, long generation) {
        return bindingName + "-anchor-" + generation;
    }

    public static Secret desired(String namespace, String bindingName, long generation, String serviceAccountUid,
            OwnerReference owner) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name(bindingName, generation))
                .withNamespace(namespace)
                .withLabels(Map.of(
                        Metadata.MANAGED_BY, Metadata.MANAGED_BY_VALUE,
                        Metadata.BINDING, bindingName,
                        Metadata.COMPONENT, Metadata.COMPONENT_ANCHOR,
                        Metadata.TOKEN_GENERATION, Long.toString(generation)))
                .withAnnotations(Map.of(Metadata.SERVICE_ACCOUNT_UID, serviceAccountUid))
                .withOwnerReferences(owner)
                .endMetadata()
                .withType(Metadata.ANCHOR_SECRET_TYPE)
                .build();
    }

    public static boolean isAnchor(Secret s) {
        return Metadata.ANCHOR_SECRET_TYPE.equals(s.getType())
                && Metadata.COMPONENT_ANCHOR.equals(label(s, Metadata.COMPONENT));
    }

    public static OptionalLong generation(Secret anchor) {
        String g = label(anchor, Metadata.TOKEN_GENERATION);
        try {
            return g == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(g));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public static String serviceAccountUid(Secret anchor) {
        Map<String, String> a = anchor.getMetadata().getAnnotations();
        return a == null ? null : a.get(Metadata.SERVICE_ACCOUNT_UID);
    }

    private static String label(Secret s, String key) {
        Map<String, String> l = s.getMetadata().getLabels();
        return l == null ? null : l.get(key);
    }
}
