package dev.mandate.tools;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.AgentPolicy;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Generates the CRD YAML from the {@code api.v1alpha1} classes (run by the build in
 * process-test-classes). With {@code -Dmandate.crds.update=true} it also rewrites the committed
 * copies under {@code crds/}, which {@code CrdSyncTest} otherwise compares with the generated ones.
 */
public final class GenerateCrds {

    /** The committed directories that hold a copy of every generated CRD. */
    public static final List<String> COMMITTED_DIRS = List.of("crds", "helm/mandate/crds");

    public static final String UPDATE_COMMAND = "./mvnw -q process-test-classes -Dmandate.crds.update=true";

    /** Printer columns in the order {@code kubectl get} shows them; the generator's order is arbitrary. */
    private static final Map<String, List<String>> COLUMN_ORDER = Map.of(
            "AgentBinding", List.of("Owner", "Phase", "Ready", "Expires", "Next-Rotation", "Age"),
            "AgentPolicy", List.of("Ceiling", "Max-TTL", "Ready", "Age"),
            "AgentOwner", List.of("Display-Name", "Active", "Bindings", "Departed", "Age"));

    private GenerateCrds() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path basedir = Path.of(args[1]);
        generate(out);
        if (Boolean.getBoolean("mandate.crds.update")) {
            for (String dir : COMMITTED_DIRS) {
                Path target = basedir.resolve(dir);
                Files.createDirectories(target);
                try (Stream<Path> files = Files.list(out)) {
                    for (Path f : files.toList()) {
                        Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                System.out.println("[mandate] CRDs written to " + target);
            }
        }
    }

    public static void generate(Path out) throws IOException {
        Files.createDirectories(out);
        new CRDGenerator()
                .customResourceClasses(AgentBinding.class, AgentPolicy.class, AgentOwner.class)
                .forCRDVersions("v1")
                .withParallelGenerationEnabled(false)
                .withPostProcessor(new io.fabric8.crdv2.generator.CRDPostProcessor() {
                    @Override
                    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                        return postProcess((CustomResourceDefinition) crd);
                    }
                })
                .inOutputDir(out.toFile())
                .generate();
    }

    static CustomResourceDefinition postProcess(CustomResourceDefinition crd) {
        String kind = crd.getSpec().getNames().getKind();
        for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
            List<String> order = COLUMN_ORDER.get(kind);
            if (order != null && v.getAdditionalPrinterColumns() != null) {
                List<CustomResourceColumnDefinition> cols = new ArrayList<>(v.getAdditionalPrinterColumns());
                cols.sort(Comparator.comparingInt(c -> {
                    int i = order.indexOf(c.getName());
                    return i < 0 ? Integer.MAX_VALUE : i;
                }));
                v.setAdditionalPrinterColumns(cols);
            }
            JSONSchemaProps status = v.getSchema().getOpenAPIV3Schema().getProperties().get("status");
            if (status != null && status.getProperties().containsKey("conditions")) {
                // Conditions are a map keyed by type, as in every built-in API (metav1.Condition).
                JSONSchemaProps conditions = status.getProperties().get("conditions");
                conditions.setXKubernetesListType("map");
                conditions.setXKubernetesListMapKeys(List.of("type"));
                conditions.getItems().getSchema().setRequired(List.of("status", "type"));
            }
        }
        return crd;
    }
}
