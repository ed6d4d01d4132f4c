package dev.mandate.spec;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingSpec;
import dev.mandate.api.v1alpha1.Names;
import dev.mandate.api.v1alpha1.Patterns;
import dev.mandate.api.v1alpha1.Rotation;
import dev.mandate.api.v1alpha1.Scope;
import dev.mandate.time.Durations;
import dev.mandate.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a binding's spec into an {@link EffectiveSpec} and lists what the CRD schema cannot
 * reject. Pure: no client, no clock. The schema's own rules are checked again here, because
 * older API servers, or a CRD installed by hand, may not enforce them. Also the binding's
 * lifetime rule: it expires at the earlier of creation + ttl and expiresAt.
 */
public final class SpecReader {

    /** rotation.overlap when the spec leaves it out (the CRD's default says the same). */
    public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(5);
    /** The TokenRequest API refuses tokens shorter than this. */
    public static final Duration MIN_TOKEN_LIFETIME = Duration.ofMinutes(10);
    /** Binding names become label values, which Kubernetes limits to 63 characters. */
    public static final int MAX_NAME = 63;
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(Patterns.DNS_SUBDOMAIN);

    /**
     * What could be read of a spec. The lifetimes are there even when other fields are wrong, so
     * that an invalid binding still expires on time and policies can still judge what it asks for.
     *
     * @param expiry        when the binding expires, if ttl/expiresAt say so and could be read
     * @param lifetime      from creation to that expiry
     * @param tokenLifetime period + overlap, when both could be read
     * @param spec          the effective spec, present only when there are no problems
     * @param problems      everything wrong, in field order
     * @param unparsed      the fields whose text is not a duration or time at all
     */
    public record Reading(Optional<Instant> expiry, Optional<Duration> lifetime, Optional<Duration> tokenLifetime,
            Optional<EffectiveSpec> spec, List<SpecProblem> problems, Set<String> unparsed) {

        public boolean valid() {
            return problems.isEmpty();
        }

        /**
         * Whether the field is set and its text could not be read at all (not merely a value
         * that is wrong, such as a ttl shorter than one token).
         */
        public boolean unreadable(String field) {
            return unparsed.contains(field);
        }

        /** What a human reads: "Invalid spec: " and each problem, by field. */
        public String summary() {
            return summary(problems);
        }

        public static String summary(List<SpecProblem> problems) {
            return "Invalid spec: " + String.join("; ", problems.stream().map(SpecProblem::toString).toList());
        }
    }

    private SpecReader() {
    }

    public static Reading read(AgentBinding binding) {
        List<SpecProblem> problems = new ArrayList<>();
        Set<String> unparsed = new HashSet<>();
        AgentBindingSpec spec = binding.getSpec();
        if (spec == null) {
            problems.add(new SpecProblem("spec", "is missing"));
            return new Reading(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), problems,
                    Set.of());
        }
        Instant created = Times.tryParse(binding.getMetadata().getCreationTimestamp()).orElse(null);
        String name = binding.getMetadata().getName();
        if (name != null && name.length() > MAX_NAME) {
            problems.add(new SpecProblem("metadata.name", "is " + name.length() + " characters; Mandate labels what "
                    + "it makes with the binding's name (mandate.dev/binding), and label values hold at most "
                    + MAX_NAME + ". Use a shorter name"));
        }

        Optional<Duration> ttl = duration(spec.getTtl(), "spec.ttl", problems, unparsed);
        ttl.filter(d -> d.isZero() || d.isNegative())
                .ifPresent(d -> problems.add(new SpecProblem("spec.ttl", "must be longer than 0s")));
        Optional<Instant> expiresAt = Optional.empty();
        if (spec.getExpiresAt() != null) {
            try {
                expiresAt = Optional.of(Times.parse(spec.getExpiresAt()));
            } catch (IllegalArgumentException e) {
                problems.add(new SpecProblem("spec.expiresAt", e.getMessage()));
                unparsed.add("spec.expiresAt");
            }
        }
        if (created != null && expiresAt.isPresent() && !expiresAt.get().isAfter(created)) {
            problems.add(new SpecProblem("spec.expiresAt", Times.format(expiresAt.get())
                    + " is not after the binding's creation (" + Times.format(created)
                    + "); set a time in the future"));
        }
        Optional<Instant> expiry = expiry(created, ttl, expiresAt);
        Optional<Duration> lifetime = expiry.map(e -> Duration.between(created == null ? e : created, e));

        if (spec.getOwner() == null || spec.getOwner().isBlank()) {
            problems.add(new SpecProblem("spec.owner", "is required: name the AgentOwner accountable for this agent"));
        }

        Scope scope = spec.getScope();
        if (scope == null) {
            problems.add(new SpecProblem("spec.scope", "is required"));
        }

        Rotation rotation = spec.getRotation();
        Duration period = null;
        Duration overlap = DEFAULT_OVERLAP;
        List<String> audiences = List.of();
        if (rotation == null) {
            problems.add(new SpecProblem("spec.rotation", "is required"));
        } else {
            if (rotation.getPeriod() == null) {
                problems.add(new SpecProblem("spec.rotation.period", "is required, e.g. 1h"));
            } else {
                period = duration(rotation.getPeriod(), "spec.rotation.period", problems, unparsed).orElse(null);
            }
            if (rotation.getOverlap() != null) {
                overlap = duration(rotation.getOverlap(), "spec.rotation.overlap", problems, unparsed).orElse(null);
            }
            audiences = rotation.getAudiences() == null ? List.of() : List.copyOf(rotation.getAudiences());
            for (int i = 0; i < audiences.size(); i++) {
                if (audiences.get(i) == null || audiences.get(i).isBlank()) {
                    problems.add(new SpecProblem("spec.rotation.audiences[" + i + "]", "must not be empty"));
                }
            }
            if (period != null && overlap != null) {
                if (period.isZero()) {
                    problems.add(new SpecProblem("spec.rotation.period", "must be longer than 0s"));
                } else if (overlap.compareTo(period) >= 0) {
                    problems.add(new SpecProblem("spec.rotation.overlap", Durations.format(overlap)
                            + " must be shorter than spec.rotation.period (" + Durations.format(period) + ")"));
                }
                Duration tokenLife = period.plus(overlap);
                if (tokenLife.compareTo(MIN_TOKEN_LIFETIME) < 0) {
                    problems.add(new SpecProblem("spec.rotation.period", "period + overlap is "
                            + Durations.format(tokenLife) + ", below the 10m minimum token lifetime of the "
                            + "Kubernetes TokenRequest API; use a period of at least "
                            + Durations.format(MIN_TOKEN_LIFETIME.minus(overlap))));
                }
                if (ttl.isPresent() && tokenLife.compareTo(ttl.get()) > 0) {
                    problems.add(new SpecProblem("spec.ttl", Durations.format(ttl.get())
                            + " is shorter than one token lifetime (period + overlap = " + Durations.format(tokenLife)
                            + "); raise spec.ttl or shorten spec.rotation.period"));
                }
            }
        }

        Optional<Duration> tokenLifetime = period == null || overlap == null ? Optional.empty()
                : Optional.of(period.plus(overlap));
        String tokenSecretName = Names.tokenSecret(binding);
        if (tokenSecretName.length() > 253 || !DNS_SUBDOMAIN.matcher(tokenSecretName).matches()) {
            problems.add(new SpecProblem("spec.tokenSecretName", "\"" + tokenSecretName
                    + "\" is not a valid Secret name (lower-case letters, digits, '-' and '.', at most 253)"));
        } else if (Names.looksLikeAnchor(tokenSecretName)) {
            problems.add(new SpecProblem("spec.tokenSecretName", "\"" + tokenSecretName
                    + "\" ends in -anchor-<number>, which is reserved for Mandate's token anchors"));
        }

        if (!problems.isEmpty()) {
            return new Reading(expiry, lifetime, tokenLifetime, Optional.empty(), List.copyOf(problems),
                    Set.copyOf(unparsed));
        }
        EffectiveSpec effective = new EffectiveSpec(
                scope.getRules() == null ? List.of() : List.copyOf(scope.getRules()),
                scope.getClusterRoles() == null ? List.of() : scope.getClusterRoles().stream().distinct().toList(),
                period, overlap, audiences, tokenSecretName, expiry);
        return new Reading(expiry, lifetime, tokenLifetime, Optional.of(effective), List.of(), Set.of());
    }

    /**
     * The expiry alone, as {@link #read} computes it (unreadable values count as unset), without
     * validating the rest: cheap enough for an index that runs on every binding event.
     */
    public static Optional<Instant> expiry(AgentBinding binding) {
        AgentBindingSpec spec = binding.getSpec();
        if (spec == null) {
            return Optional.empty();
        }
        Optional<Duration> ttl;
        try {
            ttl = Optional.ofNullable(spec.getTtl()).map(Durations::parse);
        } catch (IllegalArgumentException e) {
            ttl = Optional.empty();
        }
        return expiry(Times.tryParse(binding.getMetadata().getCreationTimestamp()).orElse(null), ttl,
                Optional.ofNullable(spec.getExpiresAt()).flatMap(Times::tryParse));
    }

    /** A binding's expiry: the earlier of creation + ttl and expiresAt; empty when neither is set. */
    public static Optional<Instant> expiry(Instant created, Optional<Duration> ttl, Optional<Instant> expiresAt) {
        Optional<Instant> byTtl = created == null ? Optional.empty() : ttl.map(created::plus);
        if (byTtl.isPresent() && expiresAt.isPresent()) {
            return Optional.of(byTtl.get().isBefore(expiresAt.get()) ? byTtl.get() : expiresAt.get());
        }
        return byTtl.isPresent() ? byTtl : expiresAt;
    }

    private static Optional<Duration> duration(String text, String field, List<SpecProblem> problems,
            Set<String> unparsed) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(text));
        } catch (IllegalArgumentException e) {
            problems.add(new SpecProblem(field, e.getMessage()));
            unparsed.add(field);
            return Optional.empty();
        }
    }
}
