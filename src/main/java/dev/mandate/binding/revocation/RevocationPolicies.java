package dev.mandate.binding.revocation;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.owner.OwnerState;
import dev.mandate.policy.PolicyVerdict;
import dev.mandate.time.Times;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The revocation causes as a chain of small policies (cert-manager's trigger style): each returns
 * a reason or nothing, and the first answer wins. Ordered from the most final cause to the most
 * easily reversed one. Pure.
 */
public final class RevocationPolicies {

    /** Everything a revocation policy looks at. */
    public record Input(AgentBinding binding, Optional<Instant> expiry, OwnerState owner, PolicyVerdict policy,
            Instant now) {
    }

    @FunctionalInterface
    interface RevocationPolicy {
        Optional<Revocation> check(Input in);
    }

    static final List<RevocationPolicy> CHAIN = List.of(
            RevocationPolicies::expired,
            RevocationPolicies::ownerDeparted,
            RevocationPolicies::ownerUnknown,
            RevocationPolicies::scopeDenied,
            RevocationPolicies::suspended);

    private RevocationPolicies() {
    }

    /** The first cause that holds, in chain order (lazily: later policies are not asked). */
    public static Optional<Revocation> first(Input in) {
        return CHAIN.stream().map(p -> p.check(in)).flatMap(Optional::stream).findFirst();
    }

    static Optional<Revocation> expired(Input in) {
        return in.expiry().filter(e -> !in.now().isBefore(e)).map(e -> new Revocation(RevocationCause.Expired,
                "The binding expired at " + Times.format(e) + "; its identity is revoked. Set a later "
                        + "spec.expiresAt or a longer spec.ttl to re-issue.",
                Optional.of(e)));
    }

    static Optional<Revocation> ownerDeparted(Input in) {
        if (in.owner().status() != OwnerState.Status.DEPARTED || !in.policy().requireActiveOwner()) {
            return Optional.empty();
        }
        return Optional.of(new Revocation(RevocationCause.OwnerDeparted,
                "AgentOwner " + in.binding().getSpec().getOwner() + " has departed"
                        + in.owner().departedAt().map(t -> " (" + Times.format(t) + ")").orElse("")
                        + "; the identity is revoked. Point spec.owner at an active owner to re-issue.",
                in.owner().departedAt()));
    }

    static Optional<Revocation> ownerUnknown(Input in) {
        if (in.owner().status() != OwnerState.Status.UNKNOWN || !in.policy().requireActiveOwner()) {
            return Optional.empty();
        }
        return Optional.of(new Revocation(RevocationCause.OwnerUnknown,
                "AgentOwner " + in.binding().getSpec().getOwner() + " does not exist"
                        + in.policy().policy().map(p -> " and AgentPolicy " + p + " requires an active owner")
                                .orElse("") + "; create the AgentOwner or name an existing one.",
                Optional.empty()));
    }

    static Optional<Revocation> scopeDenied(Input in) {
        if (in.policy().allowed()) {
            return Optional.empty();
        }
        return Optional.of(new Revocation(RevocationCause.ScopeDenied, in.policy().message(), Optional.empty()));
    }

    static Optional<Revocation> suspended(Input in) {
        if (in.binding().getSpec() == null || !Boolean.TRUE.equals(in.binding().getSpec().getSuspended())) {
            return Optional.empty();
        }
        return Optional.of(new Revocation(RevocationCause.Suspended,
                "spec.suspended is true; the identity is revoked. Set it to false to re-issue.", Optional.empty()));
    }
}
