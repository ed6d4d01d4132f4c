package dev.mandate.binding;

import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.binding.cluster.Blocked;
import dev.mandate.binding.cluster.Observed;
import dev.mandate.binding.cluster.OwnedObjects;
import dev.mandate.binding.cluster.Ownership;
import dev.mandate.binding.status.BindingEvents;
import dev.mandate.metrics.MandateMetrics;
import dev.mandate.spec.EffectiveSpec;
import dev.mandate.time.Times;
import dev.mandate.token.AnchorSecrets;
import dev.mandate.token.CurrentToken;
import dev.mandate.token.DeliverySecrets;
import dev.mandate.token.DeliverySecrets.Endpoint;
import dev.mandate.token.RotationRequest;
import dev.mandate.token.RotationSchedule;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Mints a token and delivers it: a new anchor Secret for the next generation, a TokenRequest
 * bound to that anchor (so that deleting the anchor kills exactly this token) for period +
 * overlap and the spec's audiences, then the delivery Secret, whose name never changes. Says so
 * ({@code Issued}/{@code Rotated}) and counts it. The token itself goes only into the delivery
 * Secret: never into status, Events or logs.
 */
final class TokenIssuer {

    private static final Logger LOG = Logger.getLogger(TokenIssuer.class);

    private final Clock clock;
    private final EventRecorder events;
    private final MandateMetrics metrics;
    private final Supplier<Endpoint> endpoint;

    TokenIssuer(Clock clock, EventRecorder events, MandateMetrics metrics, Supplier<Endpoint> endpoint) {
        this.clock = clock;
        this.events = events;
        this.metrics = metrics;
        this.endpoint = endpoint;
    }

    /**
     * Where the token goes: the delivery Secret as cached, else as the API server has it (a Secret
     * without Mandate's label is not in the caches, and Mandate never overwrites one it did not
     * create); empty when the name is free.
     *
     * @throws Blocked when a Secret of that name belongs to someone else
     */
    static Optional<Secret> deliveryFor(Observed seen, OwnedObjects writes, String name) {
        Optional<Secret> found = seen.delivery(name).or(() -> writes.readSecret(name));
        found.filter(s -> writes.ownership(s) != Ownership.OURS).ifPresent(s -> {
            throw Blocked.by("Secret", name, writes.ownership(s));
        });
        return found;
    }

    /**
     * @param delivery the delivery Secret, if it exists ({@link #deliveryFor})
     * @param previous the token it holds now, if any
     * @return the token now delivered
     */
    CurrentToken mint(Observed seen, OwnedObjects writes, EffectiveSpec spec, ServiceAccount account,
            Optional<Secret> delivery, Optional<CurrentToken> previous, RotationSchedule.Decision decision,
            Optional<RotationRequest> request) {
        long generation = seen.nextGeneration(delivery);
        MDC.put("generation", Long.toString(generation));
        try {
            Secret anchor = createAnchor(seen, writes, spec, generation, account);
            TokenRequest tokenRequest = new TokenRequestBuilder()
                    .withNewSpec()
                    .withAudiences(spec.audiences())
                    .withExpirationSeconds(spec.tokenLifetime().toSeconds())
                    .withNewBoundObjectRef("v1", "Secret", anchor.getMetadata().getName(), anchor.getMetadata().getUid())
                    .endSpec()
                    .build();
            Instant started = clock.instant();
            TokenRequest response = writes.requestToken(account.getMetadata().getName(), tokenRequest);
            Duration took = Duration.between(started, clock.instant());
            String token = response.getStatus() == null ? null : response.getStatus().getToken();
            if (token == null || token.isBlank()) {
                throw new KubernetesClientException("the TokenRequest API returned no token");
            }
            Instant expires = Times.truncate(Times.parse(response.getStatus().getExpirationTimestamp()));
            // Any new token satisfies a rotation request whose time has come.
            Optional<String> honored = request.filter(r -> !r.at().isAfter(seen.now())).map(RotationRequest::value);
            CurrentToken minted = new CurrentToken(generation, Times.truncate(seen.now()), expires, spec.audiences(),
                    honored);
            deliver(seen, writes, spec, delivery, token, minted);
            metrics.tokenIssued(seen.binding(), decision.trigger(), decision.dueAt(), clock.instant(), took);
            events.record(seen.binding(), BindingEvents.minted(minted, previous, spec.tokenSecretName(),
                    spec.tokenLifetime(), spec.overlap(), decision));
            LOG.infof("token generation %d delivered to Secret %s (%s), valid until %s", generation,
                    spec.tokenSecretName(), decision.trigger(), Times.format(expires));
            return minted;
        } catch (StaleView | Blocked e) {
            throw e;
        } catch (RuntimeException e) {
            metrics.tokenIssueFailed(seen.binding(), decision.trigger());
            throw e;
        }
    }

    private Secret createAnchor(Observed seen, OwnedObjects writes, EffectiveSpec spec, long generation,
            ServiceAccount account) {
        String ns = seen.binding().getMetadata().getNamespace();
        Secret desired = AnchorSecrets.desired(ns, seen.binding().getMetadata().getName(), generation,
                account.getMetadata().getUid(), Ownership.controllerReference(seen.binding()));
        try {
            return writes.create(desired);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        // The anchor exists although the cache did not show it: the cache lags, or an earlier
        // run stopped between creating the anchor and delivering its token.
        String name = desired.getMetadata().getName();
        Secret existing = writes.readSecret(name).orElseThrow(() -> new StaleView("anchor " + name + " vanished"));
        Ownership o = writes.ownership(existing);
        if (o != Ownership.OURS) {
            throw Blocked.by("Secret", name, o);
        }
        long delivered = writes.readSecret(spec.tokenSecretName()).map(DeliverySecrets::recordedGeneration).orElse(0L);
        if (delivered >= generation
                || !Objects.equals(AnchorSecrets.serviceAccountUid(existing), account.getMetadata().getUid())) {
            throw new StaleView("token generation " + generation + " already exists");
        }
        return existing;
    }

    private void deliver(Observed seen, OwnedObjects writes, EffectiveSpec spec, Optional<Secret> observed,
            String token, CurrentToken minted) {
        String ns = seen.binding().getMetadata().getNamespace();
        Map<String, String> data = DeliverySecrets.data(token, ns, seen.binding().getMetadata().getName(),
                endpoint.get());
        Map<String, String> annotations = DeliverySecrets.annotations(minted);
        if (observed.isPresent()) {
            writes.rewriteDelivery(observed.get(), data, annotations, List.of());
            return;
        }
        writes.create(new SecretBuilder()
                .withNewMetadata()
                .withName(spec.tokenSecretName())
                .withNamespace(ns)
                .withLabels(DesiredResources.labels(seen.binding(), Metadata.COMPONENT_DELIVERY))
                .withAnnotations(annotations)
                .withOwnerReferences(Ownership.controllerReference(seen.binding()))
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build());
    }
}
