package dev.mandate.e2e;

import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An agent that holds a token Mandate delivered: plain HTTPS requests to the API server with
 * {@code Authorization: Bearer <token>} and the delivered ca.crt as the only trust anchor. No
 * admin credentials anywhere near it.
 */
public final class Agent {

    /** An HTTP answer: status and body. */
    public record Answer(int status, String body) {
    }

    private final String server;
    private final String token;
    private final HttpClient http;

    private Agent(String server, String token, String caPem) {
        this.server = server;
        this.token = token;
        this.http = HttpClient.newBuilder().sslContext(trusting(caPem)).connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** The agent as the delivery Secret equips it (token and ca.crt). */
    public static Agent from(Secret delivery, String server) {
        return new Agent(server, decode(delivery, "token"), decode(delivery, "ca.crt"));
    }

    public String token() {
        return token;
    }

    public Answer get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString());
        }
    }

    public int status(String path) {
        return get(path).status();
    }

    static String decode(Secret s, String key) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    /** TLS that trusts exactly the CAs of this PEM bundle (the ca.crt Mandate delivers). */
    public static SSLContext trusting(String caPem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8)))) {
                ks.setCertificateEntry("ca" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust the delivered ca.crt", e);
        }
    }
}
