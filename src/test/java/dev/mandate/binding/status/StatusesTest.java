package dev.mandate.binding.status;

import static dev.mandate.testing.Fixtures.binding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.ConditionTypes;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.api.v1alpha1.Reasons;
import dev.mandate.api.v1alpha1.StatusPatch;
import dev.mandate.binding.revocation.Revocation;
import dev.mandate.binding.revocation.RevocationCause;
import dev.mandate.owner.OwnerState;
import dev.mandate.policy.PolicyVerdict;
import dev.mandate.token.CurrentToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The status factories: transitions, whole seconds, generations kept, and the error path's status. */
class StatusesTest {

    static final Instant T0 = Instant.parse("2026-11-29T10:00:00.750Z");

    static Statuses.Facts facts(AgentBinding b, Instant now) {
        return new Statuses.Facts(b, now, PolicyVerdict.allow("everywhere", true, "Admitted by AgentPolicy everywhere"),
                OwnerState.active(), Optional.of(T0.plusSeconds(86400)), OptionalLong.of(3));
    }

    /** Active with token generation 3, or suspended (generation 3 was the last). */
    static AgentBindingStatus status(AgentBinding b, boolean ready, Instant now) {
        CurrentToken t = new CurrentToken(3, T0, T0.plusSeconds(3900), List.of());
        return ready ? Statuses.active(facts(b, now), t, T0.plusSeconds(3600))
                : Statuses.revoked(facts(b, now), new Revocation(RevocationCause.Suspended, "m", Optional.empty()),
                        List.of());
    }

    static AgentBinding withGeneration(long g, AgentBindingStatus previous) {
        AgentBinding b = binding("support", "support-bot");
        b.getMetadata().setGeneration(g);
        b.setStatus(previous);
        return b;
    }

    @Test
    void timesAreStoredInWholeSecondsAndObservedGenerationIsAlwaysSet() {
        AgentBindingStatus s = status(withGeneration(4, null), true, T0);
        assertEquals(4L, s.getObservedGeneration());
        assertEquals("2026-11-29T10:00:00Z", s.getToken().getIssuedAt());
        assertEquals("2026-11-29T11:00:00Z", s.getNextRotationAt());
        assertEquals("2026-11-29T10:00:00Z", s.condition(ConditionTypes.READY).orElseThrow().getLastTransitionTime());
        assertEquals(4L, s.condition(ConditionTypes.READY).orElseThrow().getObservedGeneration());
    }

    @Test
    void aConditionKeepsItsTransitionTimeUntilItsStatusChanges() {
        AgentBindingStatus first = status(withGeneration(1, null), true, T0);
        AgentBindingStatus later = status(withGeneration(2, first), true, T0.plusSeconds(600));
        assertEquals("2026-11-29T10:00:00Z", later.condition(ConditionTypes.READY).orElseThrow().getLastTransitionTime());
        AgentBindingStatus flipped = status(withGeneration(3, later), false, T0.plusSeconds(1200));
        assertEquals("2026-11-29T10:20:00Z", flipped.condition(ConditionTypes.READY).orElseThrow().getLastTransitionTime());
        assertEquals("2026-11-29T10:00:00Z", flipped.condition(ConditionTypes.OWNER_ACTIVE).orElseThrow().getLastTransitionTime());
    }

    @Test
    void aRevokedBindingKeepsItsTokenGenerationAndLastRotationButNoLiveTokenFacts() {
        AgentBindingStatus active = status(withGeneration(1, null), true, T0);
        AgentBindingStatus revoked = status(withGeneration(2, active), false, T0.plusSeconds(60));
        assertEquals(3L, revoked.getToken().getGeneration());
        assertNull(revoked.getToken().getExpiresAt());
        assertNull(revoked.getNextRotationAt());
        assertEquals(active.getLastRotationAt(), revoked.getLastRotationAt());
    }

    @Test
    void theSameFactsMakeTheSameStatusSoNothingIsWritten() {
        AgentBindingStatus a = status(withGeneration(1, null), true, T0);
        AgentBindingStatus b = status(withGeneration(1, a), true, T0.plusSeconds(30));
        assertTrue(StatusPatch.same(a, b));
        AgentBindingStatus c = status(withGeneration(2, a), true, T0.plusSeconds(30));
        assertFalse(StatusPatch.same(a, c), "observedGeneration moved");
        assertFalse(StatusPatch.same(null, a));
        assertTrue(StatusPatch.same(null, null));
    }

    @Test
    void anApiErrorLeavesTheStatusAloneWhileTheCurrentTokenStillWorks() {
        AgentBinding b = withGeneration(1, status(withGeneration(1, null), true, T0));
        assertEquals(Optional.empty(), Statuses.issueFailed(b, "HTTP 500 InternalError: etcd", T0.plusSeconds(3899)),
                "the agent still works and the retry will rotate");
    }

    @Test
    void anApiErrorWithoutAWorkingTokenSaysIssueFailedAndWhy() {
        AgentBindingStatus first = Statuses.issueFailed(withGeneration(1, null), "HTTP 403 Forbidden: no", T0)
                .orElseThrow();
        assertEquals(Phase.Pending, first.getPhase(), "never issued: pending");
        assertEquals(1L, first.getObservedGeneration());
        var ready = first.condition(ConditionTypes.READY).orElseThrow();
        assertEquals("False", ready.getStatus());
        assertEquals(Reasons.ISSUE_FAILED, ready.getReason());
        assertEquals("Retrying after an API error: HTTP 403 Forbidden: no", ready.getMessage());

        AgentBinding lapsed = withGeneration(2, status(withGeneration(1, null), true, T0));
        AgentBindingStatus late = Statuses.issueFailed(lapsed, "HTTP 500 InternalError: etcd", T0.plusSeconds(3900))
                .orElseThrow();
        assertEquals(Phase.Active, late.getPhase(), "the phase is kept; Ready says the token lapsed");
        assertEquals(Reasons.ISSUE_FAILED, late.condition(ConditionTypes.READY).orElseThrow().getReason());
        assertEquals(3, late.getConditions().size(), "the other conditions stay");
        assertEquals(Optional.empty(), Statuses.issueFailed(withGeneration(2, late), "HTTP 500 InternalError: etcd",
                T0.plusSeconds(3960)), "said once: the next retry writes nothing");
    }

    @Test
    void aBindingWaitingForGarbageCollectionIsPendingAndAConflictFailed() {
        AgentBinding b = withGeneration(1, null);
        assertEquals(Phase.Pending, Statuses.blocked(facts(b, T0), Reasons.WAITING_FOR_CLEANUP, "m").getPhase());
        assertEquals(Phase.Failed, Statuses.blocked(facts(b, T0), Reasons.RESOURCE_CONFLICT, "m").getPhase());
        assertEquals(Phase.Failed, Statuses.blocked(facts(b, T0), Reasons.SERVICE_ACCOUNT_CONFLICT, "m").getPhase());
        assertEquals(3L, Statuses.blocked(facts(b, T0), Reasons.RESOURCE_CONFLICT, "m").getToken().getGeneration(),
                "the generation history survives");
    }

    @Test
    void aRevocationRecordsTheFirstTimeItHappenedAndAnInvalidSpecIsSaidFirst() {
        Revocation expired = new Revocation(RevocationCause.Expired, "expired", Optional.of(T0));
        AgentBindingStatus first = Statuses.revoked(facts(withGeneration(1, null), T0), expired, List.of());
        assertEquals(Phase.Expired, first.getPhase());
        assertEquals("2026-11-29T10:00:00Z", first.getRevokedAt());
        AgentBindingStatus later = Statuses.revoked(facts(withGeneration(1, first), T0.plusSeconds(120)), expired,
                List.of());
        assertEquals("2026-11-29T10:00:00Z", later.getRevokedAt());
        AgentBindingStatus invalid = Statuses.revoked(facts(withGeneration(1, null), T0), expired,
                List.of(new dev.mandate.spec.SpecProblem("spec.ttl", "is wrong")));
        assertEquals(Phase.Failed, invalid.getPhase());
        assertEquals("Invalid spec: spec.ttl: is wrong. expired",
                invalid.condition(ConditionTypes.READY).orElseThrow().getMessage());
        assertEquals("Expired", invalid.getRevocationReason());
    }
}
