package dev.mandate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mandate.tools.GenerateCrds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs must be exactly what the build generates from the Java classes (Flink and
 * cert-manager gate on the same). The build writes them to target/crds in process-test-classes.
 */
class CrdSyncTest {

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void committedCrdsEqualTheGeneratedOnes() throws IOException {
        Path generated = Path.of("target", "crds");
        // Generate afresh, so that the test also holds when run on its own from an IDE.
        GenerateCrds.generate(generated);
        List<String> problems = new ArrayList<>();
        for (String dir : GenerateCrds.COMMITTED_DIRS) {
            Path committed = Path.of(dir);
            if (!names(generated).equals(names(committed))) {
                problems.add(dir + "/ holds " + names(committed) + " but the build generates " + names(generated));
                continue;
            }
            for (String name : names(generated)) {
                if (!Files.readString(generated.resolve(name)).equals(Files.readString(committed.resolve(name)))) {
                    problems.add(dir + "/" + name + " differs from the generated " + generated.resolve(name));
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\nThe CRDs are generated from src/main/java/dev/mandate/api. "
                    + "Regenerate the committed copies with:\n    " + GenerateCrds.UPDATE_COMMAND);
        }
        assertEquals(List.of("agentbindings.mandate.dev-v1.yml", "agentowners.mandate.dev-v1.yml",
                "agentpolicies.mandate.dev-v1.yml"), names(Path.of("crds")));
    }
}
