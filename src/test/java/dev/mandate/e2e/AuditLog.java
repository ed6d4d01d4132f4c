package dev.mandate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The kube-apiserver's audit log (hack/kube.sh logs every write at Metadata level): the server's
 * own record of who wrote what, in order. Tests count the operator's writes with it.
 */
public final class AuditLog {

    /** One write the API server completed. */
    public record Write(String user, String verb, String namespace, String resource, String subresource,
            String name, int code, java.time.Instant at) {

        public String describe() {
            return verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource) + " " + name;
        }
    }

    /** The operator runs as its ServiceAccount under deploy/rbac (see E2ECluster). */
    public static final String OPERATOR = "system:serviceaccount:" + E2ECluster.OPERATOR_NAMESPACE + ":"
            + E2ECluster.OPERATOR_ACCOUNT;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    /** A position in the log; {@link #since(long)} returns what was written after it. */
    public long mark() {
        return lines().count();
    }

    public List<Write> since(long mark) {
        return lines().skip(mark).map(AuditLog::parse).toList();
    }

    /** Writes by {@code user} in {@code namespace} after {@code mark} that the server accepted. */
    public List<Write> writesBy(String user, String namespace, long mark) {
        return since(mark).stream().filter(w -> w.user().equals(user) && w.namespace().equals(namespace)
                && w.code() < 400).toList();
    }

    private Stream<String> lines() {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()) : Stream.empty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Write parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            JsonNode ref = n.path("objectRef");
            return new Write(n.path("user").path("username").asText(), n.path("verb").asText(),
                    ref.path("namespace").asText(), ref.path("resource").asText(), ref.path("subresource").asText(),
                    ref.path("name").asText(), n.path("responseStatus").path("code").asInt(),
                    java.time.Instant.parse(n.path("stageTimestamp").asText("1970-01-01T00:00:00Z")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
