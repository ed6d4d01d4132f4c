package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Names;
import dev.mandate.api.v1alpha1.ScopeRule;
import dev.mandate.binding.cluster.Ownership;
import dev.mandate.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What should exist for a binding: its ServiceAccount, the Role for {@code scope.rules} and the
 * RoleBindings, named as {@link Names} says. Pure (rbac-manager's parser, in spirit): no client,
 * no clock.
 */
public final class DesiredResources {

    private DesiredResources() {
    }

    public static Map<String, String> labels(AgentBinding b, String component) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(Metadata.MANAGED_BY, Metadata.MANAGED_BY_VALUE);
        l.put(Metadata.BINDING, b.getMetadata().getName());
        l.put(Metadata.COMPONENT, component);
        return l;
    }

    public static ServiceAccount serviceAccount(AgentBinding b) {
        return new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(Names.serviceAccount(b))
                .withNamespace(b.getMetadata().getNamespace())
                .withLabels(labels(b, Metadata.COMPONENT_IDENTITY))
                .withOwnerReferences(Ownership.controllerReference(b))
                .endMetadata()
                .withAutomountServiceAccountToken(false)
                .build();
    }

    /** The Role for scope.rules, or none when there are no rules. */
    public static List<Role> roles(AgentBinding b, EffectiveSpec spec) {
        if (spec.rules().isEmpty()) {
            return List.of();
        }
        return List.of(new RoleBuilder()
                .withNewMetadata()
                .withName(Names.role(b))
                .withNamespace(b.getMetadata().getNamespace())
                .withLabels(labels(b, Metadata.COMPONENT_RBAC))
                .withOwnerReferences(Ownership.controllerReference(b))
                .endMetadata()
                .withRules(spec.rules().stream().map(ScopeRule::toPolicyRule).toList())
                .build());
    }

    /** The RoleBinding to the Role (when there are rules) and one per scope.clusterRoles entry. */
    public static List<RoleBinding> roleBindings(AgentBinding b, EffectiveSpec spec) {
        List<RoleBinding> out = new ArrayList<>();
        if (!spec.rules().isEmpty()) {
            out.add(roleBinding(b, Names.role(b), "Role", Names.role(b)));
        }
        for (String cr : spec.clusterRoles()) {
            out.add(roleBinding(b, Names.clusterRoleBinding(b, cr), "ClusterRole", cr));
        }
        return out;
    }

    private static RoleBinding roleBinding(AgentBinding b, String name, String roleKind, String roleName) {
        return new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(b.getMetadata().getNamespace())
                .withLabels(labels(b, Metadata.COMPONENT_RBAC))
                .withOwnerReferences(Ownership.controllerReference(b))
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", roleKind, roleName)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(Names.serviceAccount(b))
                .withNamespace(b.getMetadata().getNamespace())
                .endSubject()
                .build();
    }

    /** Whether two rule lists grant the same, treating a missing list and an empty one alike. */
    public static boolean sameRules(List<PolicyRule> a, List<PolicyRule> b) {
        return normalizedRules(a).equals(normalizedRules(b));
    }

    private static List<List<List<String>>> normalizedRules(List<PolicyRule> rules) {
        return rules == null ? List.of() : rules.stream().map(r -> List.of(
                orEmpty(r.getApiGroups()), orEmpty(r.getResources()), orEmpty(r.getVerbs()),
                orEmpty(r.getResourceNames()), orEmpty(r.getNonResourceURLs()))).toList();
    }

    /** Whether two subject lists name the same identities, treating a missing apiGroup and "" alike. */
    public static boolean sameSubjects(List<Subject> a, List<Subject> b) {
        return normalizedSubjects(a).equals(normalizedSubjects(b));
    }

    private static List<List<String>> normalizedSubjects(List<Subject> subjects) {
        return subjects == null ? List.of() : subjects.stream().map(s -> java.util.Arrays.asList(
                s.getApiGroup() == null ? "" : s.getApiGroup(), s.getKind(), s.getName(),
                s.getNamespace() == null ? "" : s.getNamespace())).toList();
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
