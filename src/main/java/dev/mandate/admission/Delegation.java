package dev.mandate.admission;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.OwnerSubject;
import dev.mandate.api.v1alpha1.ScopeRule;
import dev.mandate.binding.cluster.ClusterView;
import dev.mandate.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Whether the requester holds what they delegate, with the RBAC escalation rule's exceptions: the
 * API server answers SubjectAccessReviews for the requester's user, groups, uid and extra.
 * <ul>
 * <li>{@code use} on the admitting AgentPolicy ({@code agentpolicies/<name>}) covers the whole scope;</li>
 * <li>{@code bind} on a named ClusterRole covers naming it;</li>
 * <li>otherwise each permission of each rule, and of each named ClusterRole's rules, in the binding's
 * namespace, one review per verb, resource and name.</li>
 * </ul>
 * The owner may be named by its subjects, or by whoever holds {@code use} on {@code agentowners/<name>}.
 */
final class Delegation {

    static final String GROUP = "mandate.dev";
    static final String RBAC = "rbac.authorization.k8s.io";
    /** A refusal names this many missing permissions, then says how many more there are. */
    static final int NAMED = 5;

    private final KubernetesClient client;
    private final IntConsumer reviewsMade;

    Delegation(KubernetesClient client, IntConsumer reviewsMade) {
        this.client = client;
        this.reviewsMade = reviewsMade;
    }

    /** Why the requester may not ask for this binding, if they may not. */
    Optional<String> refusal(AgentBinding b, EffectiveSpec spec, Optional<String> policy, ClusterView view, Requester who) {
        Reviews r = new Reviews(who);
        try {
            List<String> missing = new ArrayList<>();
            ownerRefusal(b.getSpec().getOwner(), view, who, r).ifPresent(missing::add);
            if (policy.isEmpty() || !r.allowed("use", GROUP, "agentpolicies", policy.get(), "")) {
                missing.addAll(scopeRefusals(b.getMetadata().getNamespace(), spec, view, r));
            }
            if (missing.isEmpty()) {
                return Optional.empty();
            }
            String hint = policy.map(p -> "; ask for less, or get \"use\" on AgentPolicy \"" + p + "\"").orElse("");
            List<String> named = missing.subList(0, Math.min(NAMED, missing.size()));
            return Optional.of(String.join("; ", named)
                    + (missing.size() > NAMED ? "; and " + (missing.size() - NAMED) + " more" : "") + hint);
        } finally {
            reviewsMade.accept(r.made);
        }
    }

    private Optional<String> ownerRefusal(String owner, ClusterView view, Requester who, Reviews r) {
        Optional<AgentOwner> found = view.owner(owner);
        boolean subject = found.map(o -> o.getSpec() == null || o.getSpec().getSubjects() == null ? List.<OwnerSubject>of()
                : o.getSpec().getSubjects()).orElse(List.of()).stream().anyMatch(s -> is(who, s));
        if (subject || r.allowed("use", GROUP, "agentowners", owner, "")) {
            return Optional.empty();
        }
        return Optional.of(who.describe() + " may not name AgentOwner \"" + owner + "\": they are not one of its "
                + "subjects; add them to its spec.subjects, or get \"use\" on AgentOwner \"" + owner + "\"");
    }

    static boolean is(Requester who, OwnerSubject s) {
        if (s.getKind() == null || s.getName() == null) {
            return false;
        }
        return switch (s.getKind()) {
            case "User" -> s.getName().equals(who.user());
            case "Group" -> who.groups().contains(s.getName());
            case "ServiceAccount" -> who.serviceAccount().equals(Optional.of(s.getNamespace() + "/" + s.getName()));
            default -> false;
        };
    }

    private List<String> scopeRefusals(String ns, EffectiveSpec spec, ClusterView view, Reviews r) {
        List<String> missing = new ArrayList<>();
        for (ScopeRule rule : spec.rules()) {
            missing.addAll(r.missing(rule.getApiGroups(), rule.getResources(), rule.getVerbs(), rule.getResourceNames(), ns));
        }
        for (String name : spec.clusterRoles()) {
            if (r.allowed("bind", RBAC, "clusterroles", name, ns)) {
                continue;
            }
            List<PolicyRule> rules = view.clusterRole(name).map(c -> c.getRules() == null ? List.<PolicyRule>of()
                    : c.getRules()).orElse(List.of());
            for (PolicyRule rule : rules) {
                if (rule.getResources() == null || rule.getResources().isEmpty()) {
                    continue; // non-resource URLs: a RoleBinding never grants them
                }
                missing.addAll(r.missing(rule.getApiGroups(), rule.getResources(), rule.getVerbs(),
                        rule.getResourceNames(), ns).stream().map(m -> m + " (in ClusterRole \"" + name + "\")").toList());
            }
        }
        return List.copyOf(new LinkedHashSet<>(missing));
    }

    /** The reviews of one admission, counted. */
    private final class Reviews {
        private final Requester who;
        int made;

        Reviews(Requester who) {
            this.who = who;
        }

        List<String> missing(List<String> groups, List<String> resources, List<String> verbs, List<String> names,
                String ns) {
            List<String> missing = new ArrayList<>();
            Set<String> each = names == null || names.isEmpty() ? Set.of("") : new LinkedHashSet<>(names);
            for (String group : nonEmpty(groups)) {
                for (String resource : resources) {
                    for (String verb : verbs) {
                        for (String name : each) {
                            if (!allowed(verb, group, resource, name, ns)) {
                                missing.add(who.describe() + " may not " + verb + " "
                                        + resource + (group.isEmpty() ? "" : "." + group)
                                        + (name.isEmpty() ? "" : " \"" + name + "\"") + " in namespace \"" + ns + "\"");
                            }
                        }
                    }
                }
            }
            return missing;
        }

        private static List<String> nonEmpty(List<String> groups) {
            return groups == null || groups.isEmpty() ? List.of("") : groups;
        }

        boolean allowed(String verb, String group, String resource, String name, String ns) {
            made++;
            String sub = null;
            String res = resource;
            int slash = resource.indexOf('/');
            if (slash > 0) {
                res = resource.substring(0, slash);
                sub = resource.substring(slash + 1);
            }
            SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                    .withUser(who.user()).withUid(who.uid().isEmpty() ? null : who.uid())
                    .withGroups(who.groups()).withExtra(who.extra().isEmpty() ? null : who.extra())
                    .withResourceAttributes(new ResourceAttributesBuilder().withGroup(group)
                            .withName(name.isEmpty() ? null : name).withNamespace(ns.isEmpty() ? null : ns)
                            .withResource(res).withSubresource(sub).withVerb(verb).build())
                    .endSpec().build();
            SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
            return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
        }
    }
}
