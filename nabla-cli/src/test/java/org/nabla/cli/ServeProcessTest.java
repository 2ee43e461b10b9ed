package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.nn.saving.SavedModel;
import org.nabla.ops.TensorSpec;

/**
 * {@code nabla serve} as users run it: a child JVM serving two models from a TensorFlow Serving config file, one of
 * them a folder of numbered versions that gains a version while it serves; answered over real HTTP, stopped by SIGTERM.
 */
class ServeProcessTest {
    private static final Pattern SERVING = Pattern.compile("serving (\\w+) on http://localhost:(\\d+)/");

    @TempDir Path tmp;

    private static void save(Path dir, float scale) throws Exception {
        Variable w = Variable.of("w", Tensors.of(new float[] {scale, 2 * scale}, 2, 1), true);
        SavedModel.save(dir, in -> new Tensor[] {Ops.matmul(in[0], w.read())},
                List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 2))), List.of("x"), List.of("y"), Map.of("w", w));
    }

    @Test
    void servesAConfigFileReloadsANewVersionAndStopsOnSigterm() throws Exception {
        save(tmp.resolve("fixed"), 1);
        save(tmp.resolve("versions/1"), 10);
        Path config = tmp.resolve("models.config");
        Files.writeString(config, "model_config_list {\n  config { name: 'fixed' base_path: 'fixed' }\n"
                + "  config { name: 'live' base_path: 'versions' model_platform: 'tensorflow' }\n}\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--model-config-file", config.toString(), "--port", "0",
                "--grpc-port", "0",
                "--poll-seconds", "0.05"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> log = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            int models = 0;
            for (String line; models < 2 && (line = out.readLine()) != null; ) {
                log.add(line);
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(2));
                    models++;
                }
            }
            assertEquals(2, models, String.join("\n", log));
            Thread drain = Thread.ofVirtual().start(() -> out.lines().forEach(l -> { synchronized (log) { log.add(l); } }));
            assertEquals(5.0, predict(port, "fixed"), 1e-6);
            assertEquals(50.0, predict(port, "live"), 1e-6);

            save(tmp.resolve("staging"), 100);
            Files.move(tmp.resolve("staging"), tmp.resolve("versions/2"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            double y = 50;
            while (y != 500 && System.nanoTime() < deadline) {
                y = predict(port, "live");
                Thread.sleep(20);
            }
            assertEquals(500.0, y, 1e-6, "version 2 never served");

            p.destroy();   // SIGTERM: the shutdown hook closes the server gracefully
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
            drain.join(10_000);
            synchronized (log) {
                String all = String.join("\n", log);
                assertTrue(all.contains("loaded live version 2"), all);
                assertTrue(!all.contains("Exception"), all);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** The first output for input (1, 2). */
    private static double predict(int port, String model) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/models/" + model + ":predict"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1, 2]]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = Pattern.compile("\\[\\[([-0-9.eE]+)\\]\\]").matcher(r.body());
        assertTrue(m.find(), r.body());
        return Double.parseDouble(m.group(1));
    }
}
