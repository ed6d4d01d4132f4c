package dev.mandate.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real API server the end-to-end suite runs against: the project's own (hack/kube.sh, brought
 * up by hack/e2e-cluster.sh around Maven's integration-test phase) or, with
 * MANDATE_E2E_KUBECONFIG, someone else's. One per test JVM, with one shared operator process.
 */
public final class E2ECluster {

    private static E2ECluster instance;

    public final Path kubeDir;
    public final Path adminKubeconfig;
    public final Path operatorKubeconfig;
    public final boolean local;
    public final KubernetesClient admin;
    public final String server;
    public final String caPem;
    private OperatorProcess operator;

    private E2ECluster() {
        kubeDir = Path.of(System.getProperty("mandate.e2e.kube-dir", "target/kube"));
        Path external = kubeDir.resolve("external.kubeconfig");
        local = !Files.exists(external);
        adminKubeconfig = local ? kubeDir.resolve("admin.kubeconfig") : external;
        operatorKubeconfig = local ? kubeDir.resolve("operator.kubeconfig") : external;
        if (!Files.exists(adminKubeconfig)) {
            throw new IllegalStateException(adminKubeconfig + " is missing: run the suite with ./mvnw verify, which "
                    + "starts the control plane (hack/e2e-cluster.sh up), or set MANDATE_E2E_KUBECONFIG");
        }
        try {
            Config config = Config.fromKubeconfig(Files.readString(adminKubeconfig));
            admin = new KubernetesClientBuilder().withConfig(config).build();
            server = config.getMasterUrl().replaceAll("/$", "");
            caPem = new String(Base64.getDecoder().decode(config.getCaCertData()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        installCrds();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (operator != null) {
                operator.stop();
            }
        }));
    }

    public static synchronized E2ECluster get() {
        if (instance == null) {
            instance = new E2ECluster();
        }
        return instance;
    }

    /** The suite's operator, started on first use and kept running across test classes. */
    public synchronized OperatorProcess operator() {
        if (operator == null || !operator.isAlive()) {
            operator = OperatorProcess.start(this, "shared");
        }
        return operator;
    }

    /** Replaces the shared operator, e.g. after a test stopped it. */
    public synchronized void adopt(OperatorProcess replacement) {
        operator = replacement;
    }

    /** The kube-apiserver's audit log of writes; only the project's own control plane has one. */
    public Optional<AuditLog> auditLog() {
        return local ? Optional.of(new AuditLog(kubeDir.resolve("logs").resolve("audit.log"))) : Optional.empty();
    }

    /** A fresh namespace for one test. */
    public String namespace(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    /** Stops kube-apiserver and starts it again with the same flags and state (hack/kube.sh). */
    public void restartApiServer() {
        if (!local) {
            throw new IllegalStateException("only the project's own control plane can be restarted");
        }
        try {
            Process p = new ProcessBuilder("hack/kube.sh", "restart-apiserver").inheritIO().start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("hack/kube.sh restart-apiserver failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void installCrds() {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
                    admin.resource(crd).forceConflicts().serverSideApply();
                    admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                            .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions()
                                    .stream().anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                                    30, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
