package dev.mandate.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A made-up person or pipeline: a client certificate minted from the local control plane's CA (CN =
 * user, O = each group), so the API server authenticates them as themselves, with only the RBAC a
 * test gives them. Never the admin.
 *
 * @param kubeconfig a kubeconfig file for kubectl
 */
record Identity(String user, KubernetesClient client, Path kubeconfig) {

    static Identity of(E2ECluster cluster, String user, String... groups) {
        try {
            Path pki = cluster.kubeDir.resolve("pki");
            X509CertificateHolder ca;
            try (PEMParser p = new PEMParser(new StringReader(Files.readString(pki.resolve("ca.crt"))))) {
                ca = (X509CertificateHolder) p.readObject();
            }
            PrivateKey caKey;
            try (PEMParser p = new PEMParser(new StringReader(Files.readString(pki.resolve("ca.key"))))) {
                Object o = p.readObject();
                JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
                caKey = o instanceof PEMKeyPair kp ? conv.getKeyPair(kp).getPrivate()
                        : conv.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o);
            }
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair key = gen.generateKeyPair();
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
            for (String g : groups) {
                subject.addRDN(BCStyle.O, g);
            }
            subject.addRDN(BCStyle.CN, user);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.getSubject(),
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(1))), subject.build(), key.getPublic());
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(caKey.getAlgorithm().equals("EC") ? "SHA256withECDSA"
                            : "SHA256withRSA").build(caKey)));
            String certPem = pem(cert);
            String keyPem = pem(key); // "RSA PRIVATE KEY", which fabric8 and kubectl both read
            Config config = new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(cluster.server)
                    .withCaCertData(b64(cluster.caPem)).withClientCertData(b64(certPem))
                    .withClientKeyData(b64(keyPem)).withClientKeyAlgo("RSA").build();
            Path dir = Path.of("target", "e2e-identities");
            Files.createDirectories(dir);
            Path kubeconfig = dir.resolve(user.replaceAll("[^A-Za-z0-9.-]", "_") + ".kubeconfig");
            Files.writeString(kubeconfig, String.join("\n", List.of("apiVersion: v1", "kind: Config",
                    "clusters:", "- name: local", "  cluster:", "    server: " + cluster.server,
                    "    certificate-authority-data: " + b64(cluster.caPem),
                    "users:", "- name: " + user.replaceAll("[^A-Za-z0-9.-]", "_"), "  user:",
                    "    client-certificate-data: " + b64(certPem), "    client-key-data: " + b64(keyPem),
                    "contexts:", "- name: local", "  context:", "    cluster: local",
                    "    user: " + user.replaceAll("[^A-Za-z0-9.-]", "_"), "current-context: local", "")));
            return new Identity(user, new KubernetesClientBuilder().withConfig(config).build(), kubeconfig);
        } catch (Exception e) {
            throw new IllegalStateException("cannot mint a certificate for " + user + ": " + e.getMessage(), e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
