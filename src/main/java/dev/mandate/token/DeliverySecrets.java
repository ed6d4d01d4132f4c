package dev.mandate.token;

import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.time.Times;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The delivery Secret the agent mounts: {@code token}, {@code ca.crt}, {@code namespace},
 * {@code kubeconfig}, and annotations that say which token generation it holds. Its name is
 * stable, so a mounted copy follows every rotation without a restart. Pure.
 */
public final class DeliverySecrets {

    public static final String TOKEN = "token";
    public static final String CA_CRT = "ca.crt";
    public static final String NAMESPACE = "namespace";
    public static final String KUBECONFIG = "kubeconfig";

    /**
     * How the operator's cache holds a delivery Secret's kubeconfig: its digest, not the text (a few
     * kilobytes per binding, derived from the token and the settings). Never written to the API
     * server: {@link #holdsPlaceholder} lets every write refuse it.
     */
    public static final String CACHED_DIGEST_PREFIX = "mandate.dev/cached-sha256:";

    /** Where the agent's kubeconfig points and what it trusts. */
    public record Endpoint(String server, String caPem) {
    }

    private DeliverySecrets() {
    }

    /** The data keys for a token, base64-encoded as a Secret's {@code data} holds them. */
    public static Map<String, String> data(String token, String namespace, String identity, Endpoint endpoint) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(TOKEN, b64(token));
        data.put(CA_CRT, b64(endpoint.caPem() == null ? "" : endpoint.caPem()));
        data.put(NAMESPACE, b64(namespace));
        data.put(KUBECONFIG, b64(kubeconfig(token, namespace, identity, endpoint)));
        return data;
    }

    /** The data keys that stay after revocation: everything but the token and the kubeconfig that embeds it. */
    public static Map<String, String> revokedData(String namespace, Endpoint endpoint) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA_CRT, b64(endpoint.caPem() == null ? "" : endpoint.caPem()));
        data.put(NAMESPACE, b64(namespace));
        return data;
    }

    /** The cache's stand-in for a data value: its SHA-256, marked as such. */
    public static String placeholder(String value) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return CACHED_DIGEST_PREFIX + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True if the data came from the cache with a value replaced by its {@link #placeholder}. */
    public static boolean holdsPlaceholder(Map<String, String> data) {
        return data != null && data.values().stream().anyMatch(v -> v != null && v.startsWith(CACHED_DIGEST_PREFIX));
    }

    /** Whether a delivery Secret's data, as read (whole, or from the cache), is what {@code want} says. */
    public static boolean sameData(Map<String, String> have, Map<String, String> want) {
        if (have == null || !have.keySet().equals(want.keySet())) {
            return false;
        }
        return want.entrySet().stream().allMatch(e -> {
            String h = have.get(e.getKey());
            return h != null && (h.equals(e.getValue())
                    || (h.startsWith(CACHED_DIGEST_PREFIX) && h.equals(placeholder(e.getValue()))));
        });
    }

    public static Map<String, String> annotations(CurrentToken t) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(Metadata.TOKEN_GENERATION, Long.toString(t.generation()));
        a.put(Metadata.TOKEN_ISSUED_AT, Times.format(t.issuedAt()));
        a.put(Metadata.TOKEN_EXPIRES_AT, Times.format(t.expiresAt()));
        a.put(Metadata.TOKEN_AUDIENCES, String.join(",", t.audiences()));
        t.honoredRequest().ifPresent(r -> a.put(Metadata.ROTATION_REQUEST_HONORED, r));
        return a;
    }

    /** The annotation keys Mandate owns on a delivery Secret. */
    public static final List<String> TOKEN_ANNOTATIONS = List.of(Metadata.TOKEN_GENERATION, Metadata.TOKEN_ISSUED_AT,
            Metadata.TOKEN_EXPIRES_AT, Metadata.TOKEN_AUDIENCES, Metadata.ROTATION_REQUEST_HONORED);

    /** The token facts the Secret records, if it holds a token and its annotations are readable. */
    public static Optional<CurrentToken> current(Secret s) {
        if (s == null || token(s).isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> a = s.getMetadata().getAnnotations();
        if (a == null) {
            return Optional.empty();
        }
        long generation;
        try {
            generation = Long.parseLong(a.getOrDefault(Metadata.TOKEN_GENERATION, ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<Instant> issued = Times.tryParse(a.get(Metadata.TOKEN_ISSUED_AT));
        Optional<Instant> expires = Times.tryParse(a.get(Metadata.TOKEN_EXPIRES_AT));
        if (issued.isEmpty() || expires.isEmpty()) {
            return Optional.empty();
        }
        String aud = a.getOrDefault(Metadata.TOKEN_AUDIENCES, "");
        List<String> audiences = aud.isEmpty() ? List.of() : Arrays.asList(aud.split(","));
        return Optional.of(new CurrentToken(generation, issued.get(), expires.get(), List.copyOf(audiences),
                Optional.ofNullable(a.get(Metadata.ROTATION_REQUEST_HONORED))));
    }

    /** The generation recorded on the Secret, even if the token itself was removed. */
    public static long recordedGeneration(Secret s) {
        Map<String, String> a = s == null ? null : s.getMetadata().getAnnotations();
        if (a == null) {
            return 0;
        }
        try {
            return Long.parseLong(a.getOrDefault(Metadata.TOKEN_GENERATION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The token the Secret holds, decoded; empty if none. Never log it. */
    public static Optional<String> token(Secret s) {
        if (s.getData() == null || s.getData().get(TOKEN) == null) {
            return Optional.empty();
        }
        String t = new String(Base64.getDecoder().decode(s.getData().get(TOKEN)), StandardCharsets.UTF_8);
        return t.isBlank() ? Optional.empty() : Optional.of(t);
    }

    /** A kubeconfig that authenticates as the agent with its token and nothing else. */
    public static String kubeconfig(String token, String namespace, String identity, Endpoint endpoint) {
        StringBuilder b = new StringBuilder();
        b.append("apiVersion: v1\n");
        b.append("kind: Config\n");
        b.append("clusters:\n");
        b.append("- name: cluster\n");
        b.append("  cluster:\n");
        b.append("    server: ").append(quote(endpoint.server())).append('\n');
        if (endpoint.caPem() != null && !endpoint.caPem().isBlank()) {
            b.append("    certificate-authority-data: ").append(b64(endpoint.caPem())).append('\n');
        }
        b.append("users:\n");
        b.append("- name: ").append(quote(identity)).append('\n');
        b.append("  user:\n");
        b.append("    token: ").append(quote(token)).append('\n');
        b.append("contexts:\n");
        b.append("- name: ").append(quote(identity)).append('\n');
        b.append("  context:\n");
        b.append("    cluster: cluster\n");
        b.append("    user: ").append(quote(identity)).append('\n');
        b.append("    namespace: ").append(quote(namespace)).append('\n');
        b.append("current-context: ").append(quote(identity)).append('\n');
        return b.toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
