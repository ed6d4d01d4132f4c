package dev.mandate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real tools the suite runs: fetched by the hack/ scripts, which print where they are. */
final class Tools {

    private Tools() {
    }

    /** Runs a hack/ script and returns what it printed (a path). */
    static String locate(String script) throws Exception {
        Process p = new ProcessBuilder(script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), script + " failed");
        return out;
    }

    static Path helm() throws Exception {
        return Path.of(locate("hack/helm.sh")).resolve("helm");
    }

    /** The directory holding prometheus and promtool. */
    static Path prometheus() throws Exception {
        return Path.of(locate("hack/prometheus.sh"));
    }

    static Path lua() throws Exception {
        return Path.of(locate("hack/lua.sh"));
    }

    /** The result of a command: exit code and combined output. */
    record Result(int code, String output) {
    }

    static Result run(List<String> cmd, String stdin) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " timed out");
        }
        return new Result(p.exitValue(), out);
    }

    static String ok(List<String> cmd) throws Exception {
        Result r = run(cmd, null);
        assertEquals(0, r.code(), String.join(" ", cmd) + " said:\n" + r.output());
        return r.output();
    }
}
