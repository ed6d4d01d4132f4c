package dev.mandate.cache;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingSpec;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.ScopeRule;
import dev.mandate.token.DeliverySecrets;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator's informers keep in memory (BENCHMARKS.md has the figures).
 * <ul>
 * <li>{@code metadata.managedFields}, the server-side-apply bookkeeping, is dropped: nested maps
 * that, deserialized, weigh more than the rest of a small object. Mandate never reads them, and an
 * update without them leaves them as they are on the server.</li>
 * <li>Strings that repeat across thousands of objects (namespaces, label keys and values, owner
 * references, RBAC names and verbs, condition reasons, the CA every delivery Secret carries) are
 * kept once, and so is the empty map of unknown fields every model object carries.</li>
 * <li>A delivery Secret's kubeconfig (the token, the CA and the server, a few kilobytes) is kept
 * as its digest ({@link DeliverySecrets#placeholder}): enough to tell whether it is what it should
 * be. Every write refuses a Secret that still holds such a digest.</li>
 * </ul>
 * Everything else Mandate reads is there, with equal values.
 */
public final class LeanCache {

    private LeanCache() {
    }

    /** An informer store that keeps objects lean, as described above. */
    public static <R extends HasMetadata> ItemStore<R> lean() {
        return new TransformingItemStore<>(LeanCache::lean);
    }

    /**
     * An informer store for AgentBindings seen only for whom they name as owner: identity and
     * {@code spec.owner}, nothing else.
     */
    public static ItemStore<AgentBinding> ownerOnly() {
        return new TransformingItemStore<>(LeanCache::ownerOnly);
    }

    static <R extends HasMetadata> R lean(R r) {
        ObjectMeta m = r.getMetadata();
        if (m != null) {
            m.setManagedFields(null);
            m.setNamespace(intern(m.getNamespace()));
            m.setCreationTimestamp(intern(m.getCreationTimestamp()));
            m.setLabels(intern(m.getLabels()));
            m.setAnnotations(intern(m.getAnnotations()));
            m.setFinalizers(intern(m.getFinalizers()));
            m.setAdditionalProperties(none(m.getAdditionalProperties()));
            if (m.getOwnerReferences() != null) {
                for (OwnerReference o : m.getOwnerReferences()) {
                    o.setApiVersion(intern(o.getApiVersion()));
                    o.setKind(intern(o.getKind()));
                    o.setName(intern(o.getName()));
                    o.setUid(intern(o.getUid()));
                    o.setAdditionalProperties(none(o.getAdditionalProperties()));
                }
            }
        }
        if (r instanceof Secret s) {
            s.setType(intern(s.getType()));
            s.setData(intern(s.getData()));
            String kubeconfig = s.getData() == null ? null : s.getData().get(DeliverySecrets.KUBECONFIG);
            if (kubeconfig != null && m != null && m.getLabels() != null
                    && Metadata.COMPONENT_DELIVERY.equals(m.getLabels().get(Metadata.COMPONENT))) {
                s.getData().put(DeliverySecrets.KUBECONFIG, DeliverySecrets.placeholder(kubeconfig));
            }
            s.setAdditionalProperties(none(s.getAdditionalProperties()));
        } else if (r instanceof RoleBinding rb) {
            RoleRef ref = rb.getRoleRef();
            if (ref != null) {
                ref.setApiGroup(intern(ref.getApiGroup()));
                ref.setKind(intern(ref.getKind()));
                ref.setName(intern(ref.getName()));
                ref.setAdditionalProperties(none(ref.getAdditionalProperties()));
            }
            rb.setAdditionalProperties(none(rb.getAdditionalProperties()));
            if (rb.getSubjects() != null) {
                for (Subject s : rb.getSubjects()) {
                    s.setKind(intern(s.getKind()));
                    s.setName(intern(s.getName()));
                    s.setNamespace(intern(s.getNamespace()));
                    s.setApiGroup(intern(s.getApiGroup()));
                    s.setAdditionalProperties(none(s.getAdditionalProperties()));
                }
            }
        } else if (r instanceof Role role) {
            if (role.getRules() != null) {
                role.getRules().forEach(LeanCache::lean);
            }
            role.setAdditionalProperties(none(role.getAdditionalProperties()));
        } else if (r instanceof ServiceAccount sa) {
            sa.setAdditionalProperties(none(sa.getAdditionalProperties()));
        } else if (r instanceof AgentBinding b) {
            lean(b);
        }
        return r;
    }

    static void lean(PolicyRule rule) {
        rule.setApiGroups(intern(rule.getApiGroups()));
        rule.setResources(intern(rule.getResources()));
        rule.setVerbs(intern(rule.getVerbs()));
        rule.setResourceNames(intern(rule.getResourceNames()));
        rule.setAdditionalProperties(none(rule.getAdditionalProperties()));
    }

    static void lean(AgentBinding b) {
        AgentBindingSpec spec = b.getSpec();
        if (spec != null) {
            spec.setOwner(intern(spec.getOwner()));
            spec.setTtl(intern(spec.getTtl()));
            spec.setExpiresAt(intern(spec.getExpiresAt()));
            if (spec.getScope() != null) {
                spec.getScope().setClusterRoles(intern(spec.getScope().getClusterRoles()));
                if (spec.getScope().getRules() != null) {
                    for (ScopeRule rule : spec.getScope().getRules()) {
                        rule.setApiGroups(intern(rule.getApiGroups()));
                        rule.setResources(intern(rule.getResources()));
                        rule.setVerbs(intern(rule.getVerbs()));
                        rule.setResourceNames(intern(rule.getResourceNames()));
                    }
                }
            }
            if (spec.getRotation() != null) {
                spec.getRotation().setPeriod(intern(spec.getRotation().getPeriod()));
                spec.getRotation().setOverlap(intern(spec.getRotation().getOverlap()));
                spec.getRotation().setAudiences(intern(spec.getRotation().getAudiences()));
            }
        }
        AgentBindingStatus status = b.getStatus();
        if (status != null) {
            status.setPolicy(intern(status.getPolicy()));
            status.setExpiresAt(intern(status.getExpiresAt()));
            status.setNextRotationAt(intern(status.getNextRotationAt()));
            status.setLastRotationAt(intern(status.getLastRotationAt()));
            status.setRevokedAt(intern(status.getRevokedAt()));
            status.setRevocationReason(intern(status.getRevocationReason()));
            if (status.getToken() != null) {
                status.getToken().setIssuedAt(intern(status.getToken().getIssuedAt()));
                status.getToken().setExpiresAt(intern(status.getToken().getExpiresAt()));
            }
            if (status.getConditions() != null) {
                for (Condition c : status.getConditions()) {
                    c.setType(intern(c.getType()));
                    c.setStatus(intern(c.getStatus()));
                    c.setReason(intern(c.getReason()));
                    c.setMessage(intern(c.getMessage()));
                    c.setLastTransitionTime(intern(c.getLastTransitionTime()));
                    c.setAdditionalProperties(none(c.getAdditionalProperties()));
                }
            }
        }
    }

    /** The shared empty map for an object without unknown fields (most of them). */
    static Map<String, Object> none(Map<String, Object> additional) {
        return additional == null || additional.isEmpty() ? Map.of() : additional;
    }

    static AgentBinding ownerOnly(AgentBinding b) {
        AgentBinding lean = new AgentBinding();
        var m = b.getMetadata();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(m.getName());
        meta.setNamespace(intern(m.getNamespace()));
        meta.setUid(m.getUid());
        meta.setResourceVersion(m.getResourceVersion());
        meta.setGeneration(m.getGeneration());
        meta.setLabels(Map.of());
        meta.setAnnotations(Map.of());
        meta.setFinalizers(List.of());
        meta.setOwnerReferences(List.of());
        meta.setManagedFields(null);
        meta.setAdditionalProperties(Map.of());
        lean.setMetadata(meta);
        AgentBindingSpec spec = new AgentBindingSpec();
        spec.setOwner(b.getSpec() == null ? null : intern(b.getSpec().getOwner()));
        lean.setSpec(spec);
        return lean;
    }

    static String intern(String s) {
        // Long values (tokens, kubeconfigs) are unique: interning them would only fill the table.
        // The CA bundle every delivery Secret carries is long and the same everywhere: keep it once.
        return s == null || (s.length() > 128 && !s.startsWith("LS0tLS1CRUdJTi")) ? s : s.intern();
    }

    static Map<String, String> intern(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        map.forEach((k, v) -> out.put(intern(k), intern(v)));
        return out;
    }

    static List<String> intern(List<String> list) {
        if (list == null) {
            return null;
        }
        if (list.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(list.size());
        list.forEach(s -> out.add(intern(s)));
        return out;
    }
}
