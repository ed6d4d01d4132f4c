package dev.mandate.admission;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhooks' own CA and serving certificate, when cert-manager does not make them: ECDSA P-256,
 * the CA valid for {@link #VALIDITY}, the serving certificate for the same, with the Service's DNS
 * names and 127.0.0.1 as subject alternative names. Renewed when less than {@link #RENEW_BEFORE} is left.
 */
public final class WebhookCertificates {

    public static final Duration VALIDITY = Duration.ofDays(365);
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    /** PEM texts: the CA certificate, the serving certificate and its PKCS#8 private key. */
    public record Material(String caPem, String certPem, String keyPem) {
    }

    private WebhookCertificates() {
    }

    public static Material issue(List<String> dnsNames, Instant now) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(256);
            KeyPair ca = gen.generateKeyPair();
            KeyPair serving = gen.generateKeyPair();
            X500Name caName = new X500Name("CN=mandate-webhook-ca");
            Date from = Date.from(now.minus(Duration.ofMinutes(5)));
            Date to = Date.from(now.plus(VALIDITY));
            JcaX509v3CertificateBuilder caCert = new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName,
                    ca.getPublic());
            caCert.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            caCert.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            JcaX509v3CertificateBuilder cert = new JcaX509v3CertificateBuilder(caName, serial(), from, to,
                    new X500Name("CN=" + (dnsNames.isEmpty() ? "mandate-webhook" : dnsNames.get(0))), serving.getPublic());
            cert.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            cert.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            cert.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            cert.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            X509Certificate caX = conv.getCertificate(caCert.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
            X509Certificate x = conv.getCertificate(cert.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
            return new Material(pem("CERTIFICATE", caX.getEncoded()), pem("CERTIFICATE", x.getEncoded()),
                    pem("PRIVATE KEY", serving.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make the webhook certificate: " + e.getMessage(), e);
        }
    }

    /** Whether the first certificate of the PEM is valid at {@code now} and stays so past the renewal window. */
    public static boolean fresh(String certPem, Instant now) {
        try {
            X509Certificate c = certificates(certPem).get(0);
            return c.getNotBefore().toInstant().isBefore(now) && c.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The CA certificates of {@code pem} that are still valid at {@code now}, as PEM. */
    public static String valid(String pem, Instant now) {
        StringBuilder out = new StringBuilder();
        Matcher m = PEM.matcher(pem == null ? "" : pem);
        while (m.find()) {
            X509Certificate c = certificates(m.group()).get(0);
            if (c.getNotAfter().toInstant().isAfter(now)) {
                out.append(m.group()).append('\n');
            }
        }
        return out.toString();
    }

    public static SSLContext context(String certPem, String keyPem) {
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(keyPem, "PRIVATE KEY")));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("webhook", key, new char[0], certificates(certPem).toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot read the webhook certificate: " + e.getMessage(), e);
        }
    }

    static List<X509Certificate> certificates(String pem) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] der(String pem, String type) {
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                return Base64.getMimeDecoder().decode(m.group(2));
            }
        }
        throw new IllegalStateException("no " + type + " in the PEM text");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static BigInteger serial() {
        return new BigInteger(128, new SecureRandom());
    }
}
