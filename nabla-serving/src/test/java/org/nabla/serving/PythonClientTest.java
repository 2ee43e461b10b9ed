package org.nabla.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python client built on {@code requests} (scripts/serving-client.py) reads the server as it would read TensorFlow
 * Serving. Skipped with a message when no Python with {@code requests} is found.
 */
class PythonClientTest {
    @TempDir Path tmp;

    @Test
    void requestsClientReadsStatusMetadataAndPredictions() throws Exception {
        String python = pythonWithRequests();
        Path script = script("serving-client.py");
        try (ServedModel model = ServedModel.open("linear", TestModels.linear(tmp.resolve("linear")));
             ModelServer server = ModelServer.start(model, ServingOptions.defaults().withPort(0))) {
            Process p = new ProcessBuilder(python, script.toString(), "http://127.0.0.1:" + server.port(), "linear")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serving-client.py did not finish:\n" + out);
            assertEquals(0, p.exitValue(), "serving-client.py failed:\n" + out);
            assertTrue(out.contains("predict: row and columnar agree, 2 predictions"), out);
        }
    }

    /** scripts/NAME in the checkout (the tests run in a module's folder). */
    static Path script(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("scripts").resolve(name);
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new AssertionError("scripts/" + name + " not found");
    }

    /** The first of $NABLA_SERVING_PYTHON, the peers' venv and python3 that imports requests. */
    static String pythonWithRequests() throws InterruptedException { return pythonWith("requests"); }

    /** The first of $NABLA_SERVING_PYTHON, the peers' venv and python3 that imports {@code modules} (comma-separated). */
    static String pythonWith(String modules) throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("NABLA_SERVING_PYTHON");
        if (env != null && !env.isBlank()) candidates.add(env);
        candidates.add(Path.of(System.getProperty("user.home"), ".cache/nabla-peers/venv/bin/python").toString());
        candidates.add("python3");
        for (String python : candidates) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import " + modules).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return python;
            } catch (IOException notThere) {
                // try the next candidate
            }
        }
        Assumptions.abort("no Python with " + modules + " found (tried " + candidates + "); set NABLA_SERVING_PYTHON");
        return null;
    }
}
