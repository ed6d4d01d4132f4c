package dev.mandate.admission;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;

/**
 * Keeps the webhooks' certificate in a Secret of the operator's namespace and the CA in the caBundle
 * of Mandate's two webhook configurations (named in the settings, the only ones its RBAC may touch).
 * Any replica may make or renew it; the first write wins (409 means another replica did it) and every
 * replica serves what the Secret holds. A renewed CA is appended to the bundle while the old one is
 * valid, so a replica still serving the old certificate is trusted until it reloads.
 */
public final class WebhookTls {

    private static final Logger LOG = Logger.getLogger(WebhookTls.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final String namespace;
    private final String secretName;
    private final List<String> dnsNames;
    private final String mutating;
    private final String validating;
    private final boolean manage;
    private String servedVersion;

    public WebhookTls(KubernetesClient client, Clock clock, String namespace, String secretName, List<String> dnsNames,
            String mutating, String validating, boolean manage) {
        this.manage = manage;
        this.client = client;
        this.clock = clock;
        this.namespace = namespace;
        this.secretName = secretName;
        this.dnsNames = List.copyOf(dnsNames);
        this.mutating = mutating;
        this.validating = validating;
    }

    /** The TLS context to serve now, renewing the certificate when due; null if the served one is still current. */
    public synchronized SSLContext refresh() {
        Secret s;
        if (manage) {
            s = current();
            injectCaBundle(text(s, "ca.crt"));
        } else {
            s = client.secrets().inNamespace(namespace).withName(secretName).get();
            if (s == null) {
                throw new IllegalStateException("Secret " + namespace + "/" + secretName + " (the webhook certificate, "
                        + "made by cert-manager) does not exist yet");
            }
        }
        if (Objects.equals(servedVersion, s.getMetadata().getResourceVersion())) {
            return null;
        }
        servedVersion = s.getMetadata().getResourceVersion();
        return WebhookCertificates.context(text(s, "tls.crt"), text(s, "tls.key"));
    }

    private Secret current() {
        Secret s = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (s != null && WebhookCertificates.fresh(text(s, "tls.crt"), clock.instant())) {
            return s;
        }
        WebhookCertificates.Material m = WebhookCertificates.issue(dnsNames, clock.instant());
        String bundle = m.caPem() + (s == null ? "" : WebhookCertificates.valid(text(s, "ca.crt"), clock.instant()));
        Map<String, String> data = Map.of("ca.crt", b64(bundle), "tls.crt", b64(m.certPem() + m.caPem()),
                "tls.key", b64(m.keyPem()));
        try {
            if (s == null) {
                LOG.infof("making the webhook certificate in Secret %s/%s", namespace, secretName);
                return client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                        .withName(secretName).withNamespace(namespace)
                        .addToLabels("app.kubernetes.io/name", "mandate").addToLabels("app.kubernetes.io/component", "webhook")
                        .endMetadata().withType("kubernetes.io/tls").withData(data).build()).create();
            }
            LOG.infof("renewing the webhook certificate in Secret %s/%s", namespace, secretName);
            s.setData(data);
            return client.secrets().inNamespace(namespace).resource(s).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) { // another replica made or renewed it first: serve theirs
                return client.secrets().inNamespace(namespace).withName(secretName).get();
            }
            throw e;
        }
    }

    private void injectCaBundle(String ca) {
        String bundle = b64(ca);
        MutatingWebhookConfiguration m = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(mutating).get();
        if (m != null && m.getWebhooks().stream().anyMatch(w -> !bundle.equals(w.getClientConfig().getCaBundle()))) {
            m.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
            client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(m).update();
            LOG.infof("wrote the CA into MutatingWebhookConfiguration %s", mutating);
        }
        ValidatingWebhookConfiguration v = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(validating).get();
        if (v != null && v.getWebhooks().stream().anyMatch(w -> !bundle.equals(w.getClientConfig().getCaBundle()))) {
            v.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
            client.admissionRegistration().v1().validatingWebhookConfigurations().resource(v).update();
            LOG.infof("wrote the CA into ValidatingWebhookConfiguration %s", validating);
        }
    }

    private static String text(Secret s, String key) {
        String v = s == null || s.getData() == null ? null : s.getData().get(key);
        return v == null ? "" : new String(Base64.getDecoder().decode(v), StandardCharsets.US_ASCII);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }
}
