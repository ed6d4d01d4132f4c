package dev.mandate.spec;

import static dev.mandate.testing.Fixtures.binding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mandate.api.v1alpha1.AgentBinding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecReaderTest {

    static final Instant CREATED = Instant.parse("2026-11-29T10:00:00Z");

    static AgentBinding created(Consumer<AgentBinding> change) {
        AgentBinding b = binding("support", "support-bot");
        b.getMetadata().setCreationTimestamp("2026-11-29T10:00:00Z");
        change.accept(b);
        return b;
    }

    @Test
    void aValidSpecBecomesAnEffectiveSpecWithDefaults() {
        AgentBinding b = created(x -> x.getSpec().getRotation().setOverlap(null));
        SpecReader.Reading r = SpecReader.read(b);
        assertTrue(r.valid(), r.summary());
        EffectiveSpec s = r.spec().orElseThrow();
        assertEquals(Duration.ofHours(1), s.period());
        assertEquals(Duration.ofMinutes(5), s.overlap(), "overlap defaults to 5m");
        assertEquals(Duration.ofMinutes(65), s.tokenLifetime());
        assertEquals("support-bot-token", s.tokenSecretName());
        assertEquals(Optional.of(CREATED.plus(Duration.ofHours(720))), s.expiry());
        assertEquals(List.of("view"), s.clusterRoles());
    }

    @Test
    void theEarlierOfTtlAndExpiresAtWins() {
        assertEquals(Optional.of(Instant.parse("2026-12-01T00:00:00Z")), SpecReader.read(created(b ->
                b.getSpec().setExpiresAt("2026-12-01T00:00:00Z"))).expiry());
        assertEquals(Optional.of(CREATED.plus(Duration.ofHours(24))), SpecReader.read(created(b -> {
            b.getSpec().setTtl("24h");
            b.getSpec().setExpiresAt("2027-06-01T00:00:00Z");
        })).expiry());
        assertEquals(Optional.empty(), SpecReader.read(created(b -> b.getSpec().setTtl(null))).expiry(),
                "neither set: no expiry");
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                Arguments.of("period + overlap below TokenRequest's 10m minimum",
                        (Consumer<AgentBinding>) b -> { b.getSpec().getRotation().setPeriod("8m"); b.getSpec().getRotation().setOverlap("1m"); },
                        "spec.rotation.period: period + overlap is 9m, below the 10m minimum token lifetime of the Kubernetes TokenRequest API; use a period of at least 9m"),
                Arguments.of("overlap as long as the period",
                        (Consumer<AgentBinding>) b -> b.getSpec().getRotation().setOverlap("1h"),
                        "spec.rotation.overlap: 1h must be shorter than spec.rotation.period (1h)"),
                Arguments.of("ttl shorter than a token's lifetime",
                        (Consumer<AgentBinding>) b -> b.getSpec().setTtl("1h"),
                        "spec.ttl: 1h is shorter than one token lifetime (period + overlap = 1h5m)"),
                Arguments.of("expiresAt before creation",
                        (Consumer<AgentBinding>) b -> b.getSpec().setExpiresAt("2026-11-29T09:59:59Z"),
                        "spec.expiresAt: 2026-11-29T09:59:59Z is not after the binding's creation (2026-11-29T10:00:00Z)"),
                Arguments.of("a period that is not a duration",
                        (Consumer<AgentBinding>) b -> b.getSpec().getRotation().setPeriod("one hour"),
                        "spec.rotation.period: \"one hour\" is not a duration"),
                Arguments.of("a ttl beyond Go's duration range",
                        (Consumer<AgentBinding>) b -> b.getSpec().setTtl("9999999h"),
                        "spec.ttl: \"9999999h\" is too long"),
                Arguments.of("an expiresAt that is not a time",
                        (Consumer<AgentBinding>) b -> b.getSpec().setExpiresAt("next tuesday"),
                        "spec.expiresAt: \"next tuesday\" is not an RFC 3339 time"),
                Arguments.of("a missing owner",
                        (Consumer<AgentBinding>) b -> b.getSpec().setOwner(" "),
                        "spec.owner: is required"),
                Arguments.of("a missing rotation period",
                        (Consumer<AgentBinding>) b -> b.getSpec().getRotation().setPeriod(null),
                        "spec.rotation.period: is required"),
                Arguments.of("a token Secret name reserved for anchors",
                        (Consumer<AgentBinding>) b -> b.getSpec().setTokenSecretName("billing-bot-anchor-3"),
                        "spec.tokenSecretName: \"billing-bot-anchor-3\" ends in -anchor-<number>"),
                Arguments.of("a token Secret name that is not a Secret name",
                        (Consumer<AgentBinding>) b -> b.getSpec().setTokenSecretName("Token_Secret"),
                        "spec.tokenSecretName: \"Token_Secret\" is not a valid Secret name"),
                Arguments.of("an empty audience",
                        (Consumer<AgentBinding>) b -> b.getSpec().getRotation().setAudiences(new java.util.ArrayList<>(List.of(""))),
                        "spec.rotation.audiences[0]: must not be empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpecs")
    void whatTheSchemaCannotRejectIsReportedByField(String what, Consumer<AgentBinding> change, String message) {
        SpecReader.Reading r = SpecReader.read(created(change));
        assertTrue(r.spec().isEmpty());
        assertTrue(r.summary().contains(message), r.summary());
    }

    @Test
    void theExpiryIsKnownEvenWhenOtherFieldsAreInvalid() {
        SpecReader.Reading r = SpecReader.read(created(b -> {
            b.getSpec().getRotation().setPeriod("1m");
            b.getSpec().setTtl("2h");
        }));
        assertTrue(!r.valid());
        assertEquals(Optional.of(CREATED.plus(Duration.ofHours(2))), r.expiry(),
                "so an invalid binding still expires on time");
    }
}
