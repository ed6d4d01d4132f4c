package dev.mandate.testing;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the TokenRequest API, which the fabric8 mock server lacks. It answers
 * {@code POST .../serviceaccounts/NAME/token} with a random token that expires after the requested
 * lifetime (or a shorter one, to play a server that shortens tokens), and records every request.
 * What the real API server does with tokens is proved by the end-to-end suite, not here.
 */
public final class TokenEndpoint {

    static final Pattern PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)/serviceaccounts/([^/?]+)/token(\\?.*)?$");

    /** One minted token, as the test sees it. */
    public record Minted(String namespace, String serviceAccount, TokenRequest request, String token, Instant expiresAt) {
    }

    private final Clock clock;
    private final Function<String, Boolean> serviceAccountExists;
    private final List<Minted> minted = new CopyOnWriteArrayList<>();
    private volatile Optional<Duration> maxLifetime = Optional.empty();
    private volatile int failuresToInject;

    TokenEndpoint(Clock clock, Function<String, Boolean> serviceAccountExists) {
        this.clock = clock;
        this.serviceAccountExists = serviceAccountExists;
    }

    /** Plays a server whose --service-account-max-token-expiration is {@code max}. */
    public void shortenTokensTo(Duration max) {
        this.maxLifetime = Optional.of(max);
    }

    /** The next {@code n} token requests fail with 403, as when the operator lacks serviceaccounts/token. */
    public void failNext(int n) {
        this.failuresToInject = n;
    }

    public List<Minted> minted() {
        return List.copyOf(minted);
    }

    static boolean matches(String method, String path) {
        return "POST".equals(method) && PATH.matcher(path).matches();
    }

    MockResponse handle(String path, String body) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException(path);
        }
        String ns = m.group(1);
        String sa = m.group(2);
        if (failuresToInject > 0) {
            failuresToInject--;
            return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"reason\":\"Forbidden\",\"message\":\"injected: cannot create "
                    + "resource serviceaccounts/token\",\"code\":403}");
        }
        if (!serviceAccountExists.apply(ns + "/" + sa)) {
            return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404,\"message\":\"serviceaccounts \\\""
                    + sa + "\\\" not found\"}");
        }
        TokenRequest request = Serialization.unmarshal(body, TokenRequest.class);
        long asked = request.getSpec().getExpirationSeconds() == null ? 3600 : request.getSpec().getExpirationSeconds();
        Duration lifetime = Duration.ofSeconds(asked);
        if (maxLifetime.isPresent() && maxLifetime.get().compareTo(lifetime) < 0) {
            lifetime = maxLifetime.get();
        }
        Instant expires = clock.instant().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        String token = "mock-token-" + UUID.randomUUID();
        minted.add(new Minted(ns, sa, request, token, expires));
        TokenRequest response = new TokenRequest();
        response.setApiVersion("authentication.k8s.io/v1");
        response.setKind("TokenRequest");
        response.setSpec(request.getSpec());
        response.setStatus(new TokenRequestStatus(DateTimeFormatter.ISO_INSTANT.format(expires), token));
        return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(response));
    }
}
