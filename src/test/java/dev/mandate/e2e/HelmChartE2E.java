package dev.mandate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart, checked with a real helm (Helm 4, from hack/helm.sh) and the real API server:
 * it lints, its values schema refuses bad values, every object it renders is accepted by the API
 * server on a server-side dry run, and the committed plain manifests are exactly its render.
 */
class HelmChartE2E extends E2ESupport {

    static final String CHART = "helm/mandate";

    static List<String> helm(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Tools.helm().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void helmLintPasses() throws Exception {
        String out = Tools.ok(helm("lint", "--strict", CHART));
        assertTrue(out.contains("1 chart(s) linted, 0 chart(s) failed"), out);
    }

    @Test
    void theValuesSchemaRefusesBadValues() throws Exception {
        for (String bad : List.of("logFormat=xml", "replicaCount=0", "watchNamespaces={Not_A_Namespace}",
                "resyncInterval=daily", "delivery.server=http://plain", "unknownValue=1")) {
            Tools.Result r = Tools.run(helm("template", "mandate", CHART, "--set", bad), null);
            assertNotEquals(0, r.code(), bad + " must be refused");
            assertTrue(r.output().contains("values don't meet the specifications of the schema"), r.output());
        }
    }

    @Test
    void theCommittedManifestsAreExactlyTheChartsRender() throws Exception {
        Path out = Files.createTempDirectory("mandate-render");
        Tools.ok(List.of("hack/render.sh", out.toString()));
        for (String file : List.of("deploy/mandate.yaml", "deploy/rbac/cluster-wide.yaml", "deploy/rbac/namespaced.yaml")) {
            assertEquals(Files.readString(out.resolve(file)), Files.readString(Path.of(file)),
                    file + " differs from the chart's render; run hack/render.sh");
        }
    }

    static List<HasMetadata> render(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("template", "mandate", CHART, "--namespace", "mandate-system",
                "--kube-version", "1.20.2", "--include-crds"));
        cmd.addAll(List.of(args));
        String yaml = Tools.ok(helm(cmd.toArray(String[]::new)));
        return E2ECluster.get().admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }

    @Test
    void everyObjectTheChartRendersIsAcceptedByTheApiServerOnAServerSideDryRun() throws Exception {
        for (String ns : List.of("team-a", "team-b")) {
            if (admin.namespaces().withName(ns).get() == null) {
                admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                        .create();
            }
        }
        Map<String, Integer> accepted = new TreeMap<>();
        List<String> notServed = new ArrayList<>();
        for (String[] values : List.of(
                new String[] {"--set", "createNamespace=true"},
                new String[] {"--set", "watchNamespaces={team-a,team-b}", "--set", "logFormat=json",
                        "--set", "replicaCount=3", "--set", "metrics.dashboard.enabled=true"},
                new String[] {"--set", "leaderElection.enabled=false", "--set", "replicaCount=1",
                        "--set", "metrics.serviceMonitor.enabled=true", "--set", "metrics.prometheusRule.enabled=true"})) {
            for (HasMetadata o : render(values)) {
                if (o.getApiVersion().startsWith("monitoring.coreos.com/")) {
                    // The Prometheus Operator's kinds: not served by this cluster, so not dry-run here.
                    assertTrue(Set.of("ServiceMonitor", "PrometheusRule").contains(o.getKind()));
                    notServed.add(o.getKind());
                    continue;
                }
                admin.resource(o).dryRun().fieldManager("helm-dry-run").forceConflicts().serverSideApply();
                accepted.merge(o.getKind(), 1, Integer::sum);
            }
        }
        System.out.println("[e2e] chart objects accepted on server-side dry run: " + accepted
                + "; not served by this cluster: " + notServed);
        assertTrue(accepted.keySet().containsAll(Set.of("CustomResourceDefinition", "Namespace", "ServiceAccount",
                "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment",
                "PodDisruptionBudget", "ConfigMap")), accepted.toString());
        assertEquals(List.of("PrometheusRule", "ServiceMonitor"), notServed.stream().sorted().toList());
    }
}
