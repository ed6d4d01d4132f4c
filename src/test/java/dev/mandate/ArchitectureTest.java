package dev.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape docs/architecture.md describes, checked on the sources so that it stays true: packages
 * that depend on each other in one direction only, decisions that touch no client, one clock, and
 * collaborators passed through constructors.
 */
class ArchitectureTest {

    static final Path MAIN = Path.of("src/main/java");
    static final Pattern REFERENCE = Pattern.compile("\\bdev\\.mandate\\.([a-z0-9.]+)\\.[A-Z]");

    record Source(Path path, String pkg, String text) {
        String name() {
            return MAIN.relativize(path).toString();
        }
    }

    static List<Source> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().map(p -> {
                try {
                    String text = Files.readString(p);
                    String pkg = MAIN.relativize(p.getParent()).toString().replace('/', '.').replace("dev.mandate.", "");
                    return new Source(p, pkg, text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Set<String>> packageDependencies() {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (Source s : sources()) {
            Matcher m = REFERENCE.matcher(s.text());
            while (m.find()) {
                if (!m.group(1).equals(s.pkg())) {
                    deps.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).add(m.group(1));
                }
            }
        }
        return deps;
    }

    @Test
    void packagesDependOnEachOtherInOneDirectionOnly() {
        Map<String, Set<String>> deps = packageDependencies();
        List<String> cycles = new ArrayList<>();
        for (String start : deps.keySet()) {
            findCycles(start, start, new ArrayList<>(List.of(start)), deps, cycles);
        }
        assertEquals(List.of(), cycles, "package dependencies: " + deps);
    }

    static void findCycles(String start, String at, List<String> path, Map<String, Set<String>> deps,
            List<String> cycles) {
        for (String next : deps.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (!path.contains(next) && next.compareTo(start) > 0) {
                path.add(next);
                findCycles(start, next, path, deps, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    @Test
    void policiesOwnersAndMetricsKnowNothingOfTokensOrTheReconciler() {
        Map<String, Set<String>> deps = packageDependencies();
        for (String pkg : List.of("policy", "owner", "metrics")) {
            Set<String> bad = new TreeSet<>(deps.getOrDefault(pkg, Set.of()));
            bad.removeIf(d -> !d.equals("token") && !d.startsWith("binding"));
            assertEquals(Set.of(), bad, pkg + " depends on");
        }
    }

    @Test
    void decisionsTouchNoClient() {
        Set<String> pure = Set.of("api.v1alpha1", "spec", "time", "token", "binding.status");
        Set<String> pureClasses = Set.of("RevocationPolicies", "OwnerDeparture", "ExpiryPlan", "Revocation",
                "RevocationCause", "CeilingPolicyEvaluator", "NeverGrantable", "RbacCoverage", "Selectors",
                "TokenSecrets", "DesiredResources", "TokenSecretCheck", "Assessment", "AgentOwnerDirectory",
                "AdmissionDecision", "Requester", "WebhookCertificates");
        List<String> offenders = sources().stream()
                .filter(s -> pure.contains(s.pkg()) || pureClasses.contains(s.path().getFileName().toString()
                        .replace(".java", "")))
                .filter(s -> s.text().contains("KubernetesClient;") || s.text().contains("ClusterClient")
                        || s.text().contains("OwnedObjects") || s.text().contains("EventRecorder"))
                .map(Source::name).toList();
        assertEquals(List.of(), offenders, "decisions are pure: the writes are the steps'");
    }

    @Test
    void thereIsOneClockAndItIsInjected() {
        List<String> offenders = sources().stream()
                .filter(s -> !s.name().equals("dev/mandate/config/OperatorBeans.java"))
                .filter(s -> s.text().contains("Instant.now()") || s.text().contains("Clock.system")
                        || s.text().contains("System.currentTimeMillis()"))
                .map(Source::name).toList();
        assertEquals(List.of(), offenders);
    }

    @Test
    void onlyTheFrameworkAdaptersAreInjectedAndThroughTheirConstructors() {
        Set<String> adapters = Set.of("dev/mandate/binding/AgentBindingReconciler.java",
                "dev/mandate/policy/AgentPolicyReconciler.java", "dev/mandate/owner/AgentOwnerReconciler.java");
        Pattern injectedField = Pattern.compile("@Inject\\s++(?!public |protected |private |[A-Z]\\w*\\()");
        List<String> offenders = new ArrayList<>();
        for (Source s : sources()) {
            if (s.text().contains("@Inject") && !adapters.contains(s.name())) {
                offenders.add(s.name() + ": @Inject outside an adapter");
            }
            if (injectedField.matcher(s.text()).find()) {
                offenders.add(s.name() + ": an injected field");
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void noClassIsLongerThanAReaderCanHoldInMind() {
        List<String> offenders = sources().stream().filter(s -> s.text().lines().count() > 250)
                .map(s -> s.name() + " (" + s.text().lines().count() + " lines)").toList();
        assertEquals(List.of(), offenders);
    }
}
