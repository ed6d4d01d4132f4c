package dev.mandate.token;

import dev.mandate.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a token must be replaced, and whether it must be replaced now. Pure: the trigger chain
 * reads like cert-manager's certificate triggers, and the first answer wins.
 */
public final class RotationSchedule {

    /**
     * Everything the decision looks at.
     *
     * @param current          what the delivery Secret records, if it holds a token
     * @param anchorIntact     the current generation's anchor exists and was made for today's ServiceAccount
     * @param audiences        the audiences the spec asks for
     * @param request          the rotate-requested-at annotation, if set and readable
     */
    public record Input(Optional<CurrentToken> current, boolean anchorIntact, List<String> audiences,
            Duration period, Duration overlap, Optional<RotationRequest> request, Instant now) {
    }

    /** A decision to mint: why, what a human reads, and when it was due (for the lag metric). */
    public record Decision(RotationTrigger trigger, String message, Instant dueAt) {
    }

    @FunctionalInterface
    interface Trigger {
        Optional<Decision> check(Input in);
    }

    static final List<Trigger> CHAIN = List.of(
            RotationSchedule::tokenMissing,
            RotationSchedule::tokenExpired,
            RotationSchedule::audiencesChanged,
            RotationSchedule::rotationRequested,
            RotationSchedule::tokenDue);

    private RotationSchedule() {
    }

    /**
     * The next rotation: one period after issue, but never later than the expiry the API server
     * actually returned minus the overlap (a server may shorten a token), and earlier if a manual
     * rotation is requested that the token does not satisfy yet.
     */
    public static Instant nextRotation(CurrentToken t, Duration period, Duration overlap,
            Optional<RotationRequest> request) {
        Instant byPeriod = t.issuedAt().plus(period);
        Instant byExpiry = t.expiresAt().minus(overlap);
        Instant next = byPeriod.isBefore(byExpiry) ? byPeriod : byExpiry;
        if (request.isPresent() && !request.get().satisfiedBy(t) && request.get().at().isBefore(next)) {
            next = request.get().at();
        }
        return next;
    }

    /** The first trigger that fires, in chain order (lazily: later triggers are not asked). */
    public static Optional<Decision> decide(Input in) {
        return CHAIN.stream().map(t -> t.check(in)).flatMap(Optional::stream).findFirst();
    }

    static Optional<Decision> tokenMissing(Input in) {
        if (in.current().isEmpty()) {
            return Optional.of(new Decision(RotationTrigger.TokenMissing, "no token has been delivered", in.now()));
        }
        if (!in.anchorIntact()) {
            return Optional.of(new Decision(RotationTrigger.TokenMissing, "the anchor of token generation "
                    + in.current().get().generation() + " is gone, so that token no longer works", in.now()));
        }
        return Optional.empty();
    }

    static Optional<Decision> tokenExpired(Input in) {
        CurrentToken t = in.current().orElseThrow();
        if (in.now().isBefore(t.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(new Decision(RotationTrigger.TokenExpired, "token generation " + t.generation()
                + " expired at " + Times.format(t.expiresAt()), t.expiresAt()));
    }

    static Optional<Decision> audiencesChanged(Input in) {
        CurrentToken t = in.current().orElseThrow();
        if (t.audiences().equals(in.audiences())) {
            return Optional.empty();
        }
        return Optional.of(new Decision(RotationTrigger.AudiencesChanged, "audiences changed from "
                + t.audiences() + " to " + in.audiences(), in.now()));
    }

    static Optional<Decision> rotationRequested(Input in) {
        CurrentToken t = in.current().orElseThrow();
        return in.request()
                .filter(r -> !r.satisfiedBy(t) && !r.at().isAfter(in.now()))
                .map(r -> new Decision(RotationTrigger.RotationRequested,
                        "rotation requested at " + Times.format(r.at()), r.at()));
    }

    static Optional<Decision> tokenDue(Input in) {
        CurrentToken t = in.current().orElseThrow();
        Instant due = nextRotation(t, in.period(), in.overlap(), Optional.empty());
        if (in.now().isBefore(due)) {
            return Optional.empty();
        }
        return Optional.of(new Decision(RotationTrigger.TokenDue, "token generation " + t.generation()
                + " was due for rotation at " + Times.format(due), due));
    }
}
