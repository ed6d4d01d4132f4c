package dev.mandate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped monitoring artifacts agree with each other and with the docs. */
class MonitoringArtifactsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path MONITORING = Path.of("deploy", "monitoring");
    static final Pattern METRIC = Pattern.compile("\\b((?:mandate|reconciliations)_[a-z_]+)\\b");

    static List<JsonNode> alerts() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        YAML.readTree(MONITORING.resolve("mandate-rules.yaml").toFile()).path("groups")
                .forEach(g -> g.path("rules").forEach(out::add));
        return out;
    }

    /** Metric names the dashboard's queries use. */
    public static Set<String> dashboardMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        JsonNode dash = JSON.readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
        dash.path("panels").forEach(p -> p.path("targets").forEach(t -> {
            Matcher m = METRIC.matcher(t.path("expr").asText());
            while (m.find()) {
                names.add(m.group(1));
            }
        }));
        return names;
    }

    @Test
    void thePrometheusRuleCarriesExactlyThePlainRules() throws IOException {
        JsonNode plain = YAML.readTree(MONITORING.resolve("mandate-rules.yaml").toFile()).path("groups");
        JsonNode wrapped = YAML.readTree(MONITORING.resolve("prometheusrule.yaml").toFile());
        assertEquals("PrometheusRule", wrapped.path("kind").asText());
        assertEquals(plain, wrapped.path("spec").path("groups"),
                "prometheusrule.yaml must carry mandate-rules.yaml's groups unchanged");
    }

    @Test
    void everyAlertHasASeverityASummaryADescriptionARunbookSectionAndATest() throws IOException {
        String runbook = Files.readString(Path.of("docs", "runbook.md"));
        String metricsDoc = Files.readString(Path.of("docs", "metrics.md"));
        String tests = Files.readString(MONITORING.resolve("tests").resolve("mandate-rules-test.yaml"));
        List<JsonNode> alerts = alerts();
        assertEquals(8, alerts.size());
        for (JsonNode a : alerts) {
            String name = a.path("alert").asText();
            assertTrue(Set.of("warning", "critical").contains(a.path("labels").path("severity").asText()), name);
            assertFalse(a.path("annotations").path("summary").asText().isBlank(), name);
            assertFalse(a.path("annotations").path("description").asText().isBlank(), name);
            assertEquals("docs/runbook.md#" + name.toLowerCase(), a.path("annotations").path("runbook_url").asText());
            assertTrue(runbook.contains("\n## " + name + "\n"), "runbook section for " + name);
            assertTrue(metricsDoc.contains("| `" + name + "` |"), "docs/metrics.md lists " + name);
            assertTrue(tests.contains("alertname: " + name), "promtool test for " + name);
        }
    }

    @Test
    void theDashboardIsValidGrafanaJsonAndEveryPanelQueriesSomething() throws IOException {
        JsonNode dash = JSON.readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
        assertEquals("Mandate", dash.path("title").asText());
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : dash.path("panels")) {
            assertTrue(ids.add(p.path("id").asInt()), "unique panel id " + p.path("id"));
            assertFalse(p.path("targets").isEmpty(), p.path("title").asText());
            p.path("targets").forEach(t -> assertFalse(t.path("expr").asText().isBlank(), p.path("title").asText()));
        }
        assertTrue(ids.size() >= 10);
        assertTrue(dashboardMetrics().containsAll(Set.of("mandate_bindings", "mandate_rotations_total",
                "mandate_rotation_lag_seconds_bucket", "mandate_revocation_lag_seconds_bucket",
                "mandate_token_expiration_timestamp_seconds", "mandate_binding_expiration_timestamp_seconds",
                "reconciliations_failure_total")), dashboardMetrics().toString());
    }

    @Test
    void theHelmChartShipsTheseVeryRulesAndDashboard() throws IOException {
        for (String f : List.of("mandate-rules.yaml", "grafana-dashboard.json")) {
            assertEquals(Files.readString(MONITORING.resolve(f)), Files.readString(Path.of("helm", "mandate", "files", f)),
                    "helm/mandate/files/" + f + " must equal deploy/monitoring/" + f);
        }
    }

    @Test
    void everyMetricTheDesignNamesIsDocumented() throws IOException {
        String doc = Files.readString(Path.of("docs", "metrics.md"));
        for (String m : List.of("mandate_bindings", "mandate_token_expiration_timestamp_seconds",
                "mandate_token_next_rotation_timestamp_seconds", "mandate_binding_expiration_timestamp_seconds",
                "mandate_rotations_total", "mandate_revocations_total", "mandate_rotation_lag_seconds",
                "mandate_revocation_lag_seconds", "mandate_token_issue_duration_seconds")) {
            assertTrue(doc.contains("| `" + m + "` |"), m);
        }
    }
}
