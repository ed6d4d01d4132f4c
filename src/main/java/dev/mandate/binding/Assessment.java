package dev.mandate.binding;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.binding.cluster.ClusterView;
import dev.mandate.binding.cluster.Observed;
import dev.mandate.binding.revocation.ExpiryPlan;
import dev.mandate.binding.revocation.OwnerDeparture;
import dev.mandate.binding.revocation.Revocation;
import dev.mandate.binding.revocation.RevocationPolicies;
import dev.mandate.binding.status.Statuses;
import dev.mandate.owner.OwnerDirectory;
import dev.mandate.owner.OwnerState;
import dev.mandate.policy.PolicyEvaluator;
import dev.mandate.policy.PolicyVerdict;
import dev.mandate.spec.SpecProblem;
import dev.mandate.spec.SpecReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a reconciliation decides before it acts, from what it observed and the caches alone: what
 * the spec says and what is wrong with it, what the policy and the owner allow, whether the
 * identity must be revoked (and why), and when the expiry takes the permissions. Pure over the view.
 *
 * @param problems   the spec's problems, with a token Secret name that another binding's rules or
 *                   tokens already claim
 * @param facts      what every status says (the policy, the owner, the expiry, the last generation)
 * @param revocation the first revocation cause that holds, if any
 */
public record Assessment(SpecReader.Reading reading, List<SpecProblem> problems, Statuses.Facts facts,
        Optional<Revocation> revocation, Optional<ExpiryPlan> plan) {

    public static Assessment of(Observed seen, ClusterView view, PolicyEvaluator policies, OwnerDirectory owners,
            double revocationWriteRate) {
        AgentBinding b = seen.binding();
        Instant now = seen.now();
        SpecReader.Reading reading = SpecReader.read(b);
        List<SpecProblem> problems = new ArrayList<>(reading.problems());
        reading.spec().flatMap(s -> TokenSecretCheck.problem(b, s, view)).ifPresent(problems::add);
        PolicyVerdict verdict = policies.evaluate(b, reading, view);
        OwnerState owner = OwnerDeparture.effective(
                owners.lookup(b.getSpec() == null ? null : b.getSpec().getOwner(), view), b, now);
        Optional<Revocation> revocation = RevocationPolicies.first(
                new RevocationPolicies.Input(b, reading.expiry(), owner, verdict, now));
        Optional<ExpiryPlan> plan = reading.expiry().map(e -> ExpiryPlan.of(e,
                view.bindingsExpiringBetween(ExpiryPlan.windowStart(e), e), revocationWriteRate, now));
        return new Assessment(reading, List.copyOf(problems),
                new Statuses.Facts(b, now, verdict, owner, reading.expiry(), seen.lastGeneration()), revocation, plan);
    }

    /** When to wake for the expiry, if the binding expires. */
    Optional<Instant> expiryWake() {
        return plan.map(ExpiryPlan::wakeAt);
    }
}
