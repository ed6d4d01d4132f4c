package dev.mandate.admission;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.ScopeRule;
import dev.mandate.binding.Assessment;
import dev.mandate.binding.cluster.ClusterView;
import dev.mandate.binding.cluster.Observed;
import dev.mandate.binding.revocation.Revocation;
import dev.mandate.binding.revocation.RevocationCause;
import dev.mandate.owner.OwnerDirectory;
import dev.mandate.policy.PolicyEvaluator;
import dev.mandate.spec.EffectiveSpec;
import dev.mandate.spec.SpecReader;
import dev.mandate.time.Durations;
import dev.mandate.time.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What admission says of a binding from the object and the policies alone: the reconciler's own
 * {@link Assessment}, so that a refusal at {@code kubectl apply} carries the very words the binding's
 * status would. Pure over the view. Whether the requester may delegate it is {@link Delegation}'s.
 *
 * @param refusal why the binding is refused, if it is
 * @param policy  the admitting AgentPolicy, when one admits it
 * @param spec    the effective spec, when it is valid
 */
public record AdmissionDecision(Optional<String> refusal, Optional<String> policy, Optional<EffectiveSpec> spec) {

    /** Revocation causes that make a new or changed binding pointless: refused at apply. Suspended is not one. */
    private static final List<RevocationCause> REFUSED = List.of(RevocationCause.Expired, RevocationCause.OwnerDeparted,
            RevocationCause.OwnerUnknown, RevocationCause.ScopeDenied);

    /** @param binding the object as it will be stored, its creationTimestamp set to now when it is new */
    public static AdmissionDecision of(AgentBinding binding, ClusterView view, PolicyEvaluator policies,
            OwnerDirectory owners, Instant now) {
        Observed seen = new Observed(binding, now, Optional.empty(), List.of(), List.of(), List.of(), List.of());
        Assessment a = Assessment.of(seen, view, policies, owners, 0);
        if (!a.problems().isEmpty()) {
            return new AdmissionDecision(Optional.of(SpecReader.Reading.summary(a.problems())), Optional.empty(),
                    Optional.empty());
        }
        Optional<String> refusal = a.revocation().filter(r -> REFUSED.contains(r.cause())).map(Revocation::message);
        return new AdmissionDecision(refusal, a.facts().verdict().policy(), a.reading().spec());
    }

    /**
     * The plan an admitted request carries as a warning, e.g. {@code mandate: grants get,list configmaps in
     * support and ClusterRole view; policy support-agents; owner alice (requested by dev); token 1h + 5m
     * overlap; expires 2027-01-01T00:00:00Z}.
     */
    public String plan(AgentBinding b, Requester who) {
        EffectiveSpec s = spec.orElseThrow();
        List<String> grants = new ArrayList<>();
        for (ScopeRule r : s.rules()) {
            grants.add(String.join(",", r.getVerbs()) + " " + resources(r));
        }
        String ns = b.getMetadata().getNamespace();
        String what = (grants.isEmpty() ? "" : String.join("; ", grants) + " in " + ns)
                + (s.clusterRoles().isEmpty() ? ""
                        : (grants.isEmpty() ? "in " + ns + " " : " and ")
                                + (s.clusterRoles().size() == 1 ? "ClusterRole " : "ClusterRoles ")
                                + String.join(", ", s.clusterRoles()));
        return "mandate: grants " + what
                + "; policy " + policy.orElse("(none)")
                + "; owner " + b.getSpec().getOwner() + " (requested by " + who.user() + ")"
                + "; token " + Durations.format(s.period()) + " + " + Durations.format(s.overlap()) + " overlap"
                + (s.audiences().isEmpty() ? "" : " for audiences " + String.join(",", s.audiences()))
                + "; expires " + s.expiry().map(Times::format).orElse("never")
                + (Boolean.TRUE.equals(b.getSpec().getSuspended()) ? "; suspended: nothing is issued until it is resumed" : "");
    }

    private static String resources(ScopeRule r) {
        String names = r.getResourceNames() == null || r.getResourceNames().isEmpty() ? ""
                : " named " + String.join(",", r.getResourceNames());
        String groups = r.getApiGroups().stream().filter(g -> !g.isEmpty()).map(g -> "." + g).findFirst().orElse("");
        return String.join(",", r.getResources()) + (groups.isEmpty() ? "" : groups) + names;
    }
}
