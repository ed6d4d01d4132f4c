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
import java.util.Base64;
import java.util.List;
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
    public static final String OPERATOR_NAMESPACE = "mandate-system";
    public static final String OPERATOR_ACCOUNT = "mandate";
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
        // The operator's ServiceAccount and RBAC, rendered from the Helm chart (hack/render.sh).
        applyFile(Path.of("deploy", "rbac", "cluster-wide.yaml"));
        applyFile(Path.of("src", "test", "resources", "e2e", "admission-rbac.yaml"));
        applyFile(Path.of("deploy", "examples", "guardrails.yaml"));
        operatorKubeconfig = operatorKubeconfig();
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
            try {
                webhookPort = OperatorProcess.freePort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            registerWebhooks(webhookPort);
            operator = OperatorProcess.start(this, "shared", "-Dmandate.admission.enabled=true",
                    "-Dmandate.admission.host=127.0.0.1", "-Dmandate.admission.port=" + webhookPort,
                    "-Dmandate.admission.namespace=" + OPERATOR_NAMESPACE, "-Dmandate.admission.refresh=5s");
        }
        return operator;
    }

    /** Namespaces with this label go through the shared operator's webhooks; the rest of the suite does not. */
    public static final String ADMISSION_LABEL = "mandate.dev/admission-e2e";
    private int webhookPort;

    /**
     * Mandate's two webhook configurations, registered by URL to https://127.0.0.1:PORT (this control
     * plane has no nodes, so no Service can reach a Pod), for namespaces labelled {@link #ADMISSION_LABEL}
     * only. The caBundle is the operator's to write: this apply leaves it alone.
     */
    private void registerWebhooks(int port) {
        String common = "  rules:\n  - operations: [CREATE, UPDATE]\n    apiGroups: [mandate.dev]\n"
                + "    apiVersions: [v1alpha1]\n    resources: [agentbindings]\n  failurePolicy: Fail\n"
                + "  sideEffects: None\n  timeoutSeconds: 10\n  admissionReviewVersions: [v1]\n"
                + "  namespaceSelector:\n    matchLabels:\n      " + ADMISSION_LABEL + ": \"on\"\n";
        for (String kind : List.of("Mutating", "Validating")) {
            String path = kind.equals("Mutating") ? "mutate" : "validate";
            String yaml = "apiVersion: admissionregistration.k8s.io/v1\nkind: " + kind + "WebhookConfiguration\n"
                    + "metadata:\n  name: mandate-agentbindings\nwebhooks:\n- name: agentbindings.mandate.dev\n"
                    + "  clientConfig:\n    url: https://127.0.0.1:" + port + "/" + path + "\n" + common;
            for (var item : admin.load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
                admin.resource(item).fieldManager("e2e-admin").forceConflicts().serverSideApply();
            }
        }
    }

    /** Replaces the shared operator, e.g. after a test stopped it. */
    public synchronized void adopt(OperatorProcess replacement) {
        operator = replacement;
    }

    /** The kube-apiserver's audit log of writes; only the project's own control plane has one. */
    /** A new client with the operator's own credentials (its ServiceAccount under the chart's RBAC). */
    public KubernetesClient operatorClient() {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(operatorKubeconfig)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<AuditLog> auditLog() {
        return local ? Optional.of(new AuditLog(kubeDir.resolve("logs").resolve("audit.log"))) : Optional.empty();
    }

    /** A fresh namespace for one test, governed by AgentPolicy support-agents (deploy/examples/guardrails.yaml). */
    public String namespace(String prefix) {
        return namespace(prefix, java.util.Map.of("mandate.dev/agents", "enabled"));
    }

    public String namespace(String prefix, java.util.Map<String, String> labels) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
        return name;
    }

    /** Server-side applies every object of a manifest file, as an admin installing it would. */
    public void applyFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            for (var item : admin.load(in).items()) {
                admin.resource(item).fieldManager("e2e-admin").forceConflicts().serverSideApply();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A kubeconfig for the operator's own ServiceAccount (mandate-system/mandate), with a token
     * minted by the TokenRequest API: the operator runs with the chart's least-privilege RBAC
     * (deploy/rbac/cluster-wide.yaml), not as an administrator, so the suite also proves that RBAC
     * sufficient.
     */
    private Path operatorKubeconfig() {
        var token = admin.serviceAccounts().inNamespace(OPERATOR_NAMESPACE).withName(OPERATOR_ACCOUNT).tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                        .withExpirationSeconds(86_400L).endSpec().build());
        String kubeconfig = dev.mandate.token.DeliverySecrets.kubeconfig(token.getStatus().getToken(),
                OPERATOR_NAMESPACE, OPERATOR_ACCOUNT, new dev.mandate.token.DeliverySecrets.Endpoint(server, caPem));
        try {
            Files.createDirectories(kubeDir);
            Path out = kubeDir.resolve("operator-sa.kubeconfig");
            Files.writeString(out, kubeconfig);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
                            .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                                    && c.getStatus().getConditions().stream().anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                                    30, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
