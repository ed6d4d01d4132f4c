package dev.mandate.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.owner.OwnerDirectory;
import dev.mandate.policy.PolicyEvaluator;
import dev.mandate.time.Times;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Answers the API server's AdmissionReviews for AgentBindings.
 * <ul>
 * <li><b>mutate</b> records the requester in {@code mandate.dev/requested-by} on CREATE and on an UPDATE
 * that changes the spec (other than {@code suspended}); on any other UPDATE it puts back the recorded
 * value, so a client-supplied one never stays;</li>
 * <li><b>validate</b>, on the same requests, refuses what the reconciler would refuse, in its words
 * ({@link AdmissionDecision}), then what the requester may not delegate ({@link Delegation}); an
 * admitted request carries the plan as a warning.</li>
 * </ul>
 * Every other request is allowed untouched. Token material never passes through here.
 */
public final class AdmissionHandler {

    private static final Logger LOG = Logger.getLogger(AdmissionHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String REQUESTS = "mandate.admission.requests";
    public static final String DURATION = "mandate.admission.duration";
    public static final String REVIEWS = "mandate.admission.subjectaccessreviews";

    private final KubernetesClient client;
    private final PolicyEvaluator policies;
    private final OwnerDirectory owners;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Counter reviews;

    public AdmissionHandler(KubernetesClient client, PolicyEvaluator policies, OwnerDirectory owners, Clock clock,
            MeterRegistry registry) {
        this.client = client;
        this.policies = policies;
        this.owners = owners;
        this.clock = clock;
        this.registry = registry;
        this.reviews = Counter.builder(REVIEWS).description("SubjectAccessReviews the validating webhook asked for")
                .register(registry);
    }

    /** One review in, one out (the same uid). {@code webhook}: "mutate" or "validate". */
    public AdmissionReview handle(String webhook, AdmissionReview review) {
        long start = System.nanoTime();
        AdmissionRequest req = review.getRequest();
        AdmissionResponse res;
        try {
            res = "mutate".equals(webhook) ? mutate(req) : validate(req);
        } catch (RuntimeException e) {
            LOG.warnf("admission %s of %s/%s failed: %s", webhook, req.getNamespace(), req.getName(), e.getMessage());
            res = deny(req, "Mandate could not decide: " + e.getMessage() + "; try again");
        }
        String result = Boolean.TRUE.equals(res.getAllowed()) ? "allowed" : "denied";
        Counter.builder(REQUESTS).description("AdmissionReviews answered, by webhook, operation and result")
                .tag("webhook", webhook).tag("operation", String.valueOf(req.getOperation())).tag("result", result)
                .register(registry).increment();
        Timer.builder(DURATION).description("Time to answer an AdmissionReview")
                .tag("webhook", webhook).serviceLevelObjectives(BUCKETS).register(registry)
                .record(Duration.ofNanos(System.nanoTime() - start));
        AdmissionReview out = new AdmissionReview();
        out.setApiVersion(review.getApiVersion() == null ? "admission.k8s.io/v1" : review.getApiVersion());
        out.setKind("AdmissionReview");
        out.setResponse(res);
        return out;
    }

    static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};

    /** Whether this request asks for something new: a CREATE, or an UPDATE of the spec beyond suspended. */
    static boolean asks(AdmissionRequest req) {
        if ("CREATE".equals(req.getOperation())) {
            return true;
        }
        if (!"UPDATE".equals(req.getOperation())) {
            return false;
        }
        return !Objects.equals(specSansSuspended(req.getObject()), specSansSuspended(req.getOldObject()));
    }

    private static JsonNode specSansSuspended(Object o) {
        JsonNode spec = JSON.valueToTree(o).path("spec");
        if (spec instanceof ObjectNode n) {
            n = n.deepCopy();
            n.remove("suspended");
            return n;
        }
        return spec;
    }

    private AdmissionResponse mutate(AdmissionRequest req) {
        JsonNode object = JSON.valueToTree(req.getObject());
        JsonNode annotations = object.path("metadata").path("annotations");
        String current = annotations.path(Metadata.REQUESTED_BY).isTextual() ? annotations.get(Metadata.REQUESTED_BY).asText() : null;
        String wanted;
        if (asks(req)) {
            wanted = Requester.of(req.getUserInfo()).annotation(clock.instant());
        } else if ("UPDATE".equals(req.getOperation())) {
            JsonNode old = JSON.valueToTree(req.getOldObject()).path("metadata").path("annotations").path(Metadata.REQUESTED_BY);
            wanted = old.isTextual() ? old.asText() : null;
        } else {
            return allow(req);
        }
        if (Objects.equals(current, wanted)) {
            return allow(req);
        }
        String path = "/metadata/annotations/" + Metadata.REQUESTED_BY.replace("~", "~0").replace("/", "~1");
        List<Object> patch;
        if (wanted == null) {
            patch = List.of(java.util.Map.of("op", "remove", "path", path));
        } else if (annotations.isObject()) {
            patch = List.of(java.util.Map.of("op", "add", "path", path, "value", wanted));
        } else {
            patch = List.of(java.util.Map.of("op", "add", "path", "/metadata/annotations",
                    "value", java.util.Map.of(Metadata.REQUESTED_BY, wanted)));
        }
        AdmissionResponse res = allow(req);
        res.setPatchType("JSONPatch");
        res.setPatch(Base64.getEncoder().encodeToString(Serialization.asJson(patch).getBytes(StandardCharsets.UTF_8)));
        return res;
    }

    private AdmissionResponse validate(AdmissionRequest req) {
        if (!asks(req)) {
            return allow(req);
        }
        AgentBinding b = Serialization.unmarshal(Serialization.asJson(req.getObject()), AgentBinding.class);
        Instant now = clock.instant();
        if (b.getMetadata().getCreationTimestamp() == null) {
            b.getMetadata().setCreationTimestamp(Times.format(now));
        }
        if (b.getMetadata().getNamespace() == null) {
            b.getMetadata().setNamespace(req.getNamespace());
        }
        ApiFacts view = new ApiFacts(client, req.getNamespace(), Optional.ofNullable(b.getMetadata().getName()).orElse(""));
        AdmissionDecision decision = AdmissionDecision.of(b, view, policies, owners, now);
        if (decision.refusal().isPresent()) {
            return deny(req, decision.refusal().get());
        }
        Requester who = Requester.of(req.getUserInfo());
        Optional<String> refusal = new Delegation(client, n -> reviews.increment(n))
                .refusal(b, decision.spec().orElseThrow(), decision.policy(), view, who);
        if (refusal.isPresent()) {
            return deny(req, refusal.get());
        }
        AdmissionResponse res = allow(req);
        res.setWarnings(List.of(decision.plan(b, who)));
        return res;
    }

    private static AdmissionResponse allow(AdmissionRequest req) {
        AdmissionResponse res = new AdmissionResponse();
        res.setUid(req.getUid());
        res.setAllowed(true);
        return res;
    }

    private static AdmissionResponse deny(AdmissionRequest req, String message) {
        AdmissionResponse res = new AdmissionResponse();
        res.setUid(req.getUid());
        res.setAllowed(false);
        Status status = new StatusBuilder().withCode(403).withReason("Forbidden").withMessage(message).build();
        res.setStatus(status);
        return res;
    }
}
