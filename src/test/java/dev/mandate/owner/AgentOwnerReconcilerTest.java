package dev.mandate.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.testing.Guardrails;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentOwnerReconcilerTest {

    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void anActiveOwnerCountsItsBindingsAndHasNoDepartureTime() {
        AgentOwner alice = Guardrails.owner("alice", true);
        alice.getMetadata().setGeneration(1L);
        var s = AgentOwnerReconciler.status(alice, 3, T0);
        assertEquals(3, s.getBindings());
        assertNull(s.getDepartedAt());
        assertEquals("OwnerActive", s.getConditions().get(0).getReason());
        assertEquals("True", s.getConditions().get(0).getStatus());
    }

    @Test
    void aDepartedOwnerKeepsTheTimeItWasFirstSeenInactiveAndReactivationClearsIt() {
        AgentOwner alice = Guardrails.owner("alice", false);
        alice.getMetadata().setGeneration(2L);
        var left = AgentOwnerReconciler.status(alice, 2, T0);
        assertEquals("2026-11-29T10:00:00Z", left.getDepartedAt());
        alice.setStatus(left);
        assertEquals("2026-11-29T10:00:00Z", AgentOwnerReconciler.status(alice, 2, T0.plusSeconds(600)).getDepartedAt());
        alice.getSpec().setActive(true);
        assertNull(AgentOwnerReconciler.status(alice, 2, T0.plusSeconds(900)).getDepartedAt());
    }
}
