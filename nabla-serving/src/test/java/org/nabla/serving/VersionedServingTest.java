package org.nabla.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several models, numbered versions, reloads without downtime, and the classify and regress APIs. */
class VersionedServingTest {
    private static final String ROW = "{\"instances\": [[1, 2, 3, 4]]}";

    @TempDir Path tmp;

    @Test
    void aNewVersionServesAfterItLoadsAndTheOldOneUnloads() throws Exception {
        Path base = tmp.resolve("linear");
        TestModels.linear(base.resolve("1"), 1);
        try (ModelServer s = ModelServer.start(List.of(ModelConfig.of("linear", base)),
                ServingOptions.defaults().withPort(0).withPollInterval(Duration.ZERO))) {
            assertEquals(1.0, firstOutput(s, "/v1/models/linear:predict") / expected(1), 1e-6);
            TestModels.linear(tmp.resolve("staging"), 2);
            Files.move(tmp.resolve("staging"), base.resolve("2"));
            s.pollVersions();
            assertEquals(1.0, firstOutput(s, "/v1/models/linear:predict") / expected(2), 1e-6);
            assertEquals(1.0, firstOutput(s, "/v1/models/linear/versions/2:predict") / expected(2), 1e-6);
            Http.Answer gone = Http.post(s.port(), "/v1/models/linear/versions/1:predict", ROW);
            assertEquals(404, gone.status(), gone.body());
            List<?> status = (List<?>) Http.get(s.port(), "/v1/models/linear").json().get("model_version_status");
            assertEquals(List.of("1:END:OK", "2:AVAILABLE:OK"), states(status));
            Map<?, ?> spec = (Map<?, ?>) Http.get(s.port(), "/v1/models/linear/metadata").json().get("model_spec");
            assertEquals("2", spec.get("version"));
        }
    }

    @Test
    void aVersionThatFailsToLoadIsReportedAndTheServingOneStays() throws Exception {
        Path base = tmp.resolve("m");
        TestModels.linear(base.resolve("1"), 1);
        Files.createDirectories(base.resolve("3"));
        Files.writeString(base.resolve("3").resolve("notes.txt"), "half copied");
        try (ModelServer s = ModelServer.start(List.of(ModelConfig.of("m", base)),
                ServingOptions.defaults().withPort(0).withPollInterval(Duration.ZERO))) {
            // The policy wants the newest (3), which cannot load: nothing else is wanted, so version 1 was never loaded.
            Http.Answer none = Http.post(s.port(), "/v1/models/m:predict", ROW);
            assertEquals(404, none.status(), none.body());
            assertTrue(none.body().contains("failed to load: [3]"), none.body());
            List<?> status = (List<?>) Http.get(s.port(), "/v1/models/m").json().get("model_version_status");
            assertEquals(List.of("3:END:UNKNOWN"), states(status));
            // The copy completes: the next poll retries because the files changed.
            Files.delete(base.resolve("3").resolve("notes.txt"));
            Files.delete(base.resolve("3"));
            TestModels.linear(base.resolve("3"), 3);
            s.pollVersions();
            assertEquals(1.0, firstOutput(s, "/v1/models/m:predict") / expected(3), 1e-6);
        }
    }

    @Test
    void requestsDuringReloadsAllSucceedWithOneVersionOrTheOther() throws Exception {
        Path base = tmp.resolve("busy");
        TestModels.linear(base.resolve("1"), 1);
        try (ModelServer s = ModelServer.start(List.of(ModelConfig.of("busy", base)),
                ServingOptions.defaults().withPort(0).withPollInterval(Duration.ofMillis(20)))) {
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<List<Double>>> answers = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                answers.add(clients.submit(() -> {
                    List<Double> seen = new ArrayList<>();
                    while (!stop.get()) {
                        Http.Answer a = Http.post(s.port(), "/v1/models/busy:predict", ROW);
                        assertEquals(200, a.status(), a.body());
                        seen.add(((Number) ((List<?>) ((List<?>) a.json().get("predictions")).get(0)).get(0))
                                .doubleValue());
                    }
                    return seen;
                }));
            }
            for (int v = 2; v <= 4; v++) {
                TestModels.linear(tmp.resolve("staging" + v), v);
                Files.move(tmp.resolve("staging" + v), base.resolve(Integer.toString(v)));
                awaitVersion(s, "busy", v);
            }
            stop.set(true);
            clients.shutdown();
            int total = 0;
            for (Future<List<Double>> f : answers) {
                for (double y : f.get()) {
                    double scale = y / expected(1);
                    assertEquals(Math.rint(scale), scale, 1e-6, "an answer of no version: " + y);
                    assertTrue(scale >= 1 && scale <= 4, "scale " + scale);
                    total++;
                }
            }
            assertTrue(total > 0);
        }
    }

    @Test
    void severalModelsFromOneConfigAndClassifyAndRegress() throws Exception {
        TestModels.linear(tmp.resolve("cls"));
        TestModels.regression(tmp.resolve("reg"));
        Path config = tmp.resolve("models.config");
        Files.writeString(config, "model_config_list {\n config { name: 'cls' base_path: 'cls' model_platform: "
                + "'tensorflow' }\n config { name: 'reg' base_path: 'reg' }\n}\n");
        try (ModelServer s = ModelServer.start(ModelConfigFile.read(config), ServingOptions.defaults().withPort(0))) {
            assertEquals(List.of("cls", "reg"), s.modelNames());
            Http.Answer c = Http.post(s.port(), "/v1/models/cls:classify",
                    "{\"signature_name\": \"serving_default\", \"examples\": [{\"x\": [1, 2, 3, 4]}, {\"x\": [0, 0, 0, 1]}]}");
            assertEquals(200, c.status(), c.body());
            List<?> result = (List<?>) c.json().get("result");
            for (int r = 0; r < 2; r++) {
                double[] ref = TestModels.linearRef(r == 0 ? new double[] {1, 2, 3, 4} : new double[] {0, 0, 0, 1});
                List<?> classes = (List<?>) result.get(r);
                assertEquals(3, classes.size());
                for (int k = 0; k < 3; k++) {
                    List<?> pair = (List<?>) classes.get(k);
                    assertEquals(Integer.toString(k), pair.get(0));
                    assertEquals(ref[k], ((Number) pair.get(1)).doubleValue(), 1e-4);
                }
            }
            Http.Answer r = Http.post(s.port(), "/v1/models/reg:regress",
                    "{\"context\": {\"x\": [1, 1, 1, 1]}, \"examples\": [{\"x\": [1, 0, 0, 0]}, {}]}");
            assertEquals(200, r.status(), r.body());
            assertEquals(List.of(1.0, 10.0), r.json().get("result"));
            Http.Answer wrong = Http.post(s.port(), "/v1/models/cls:regress", "{\"examples\": [{\"x\": [1, 2, 3, 4]}]}");
            assertEquals(400, wrong.status(), wrong.body());
            assertTrue(wrong.body().contains("one value per example"), wrong.body());
            Http.Answer missing = Http.post(s.port(), "/v1/models/reg:regress", "{\"examples\": [{\"y\": [1]}]}");
            assertEquals(400, missing.status(), missing.body());
            assertTrue(missing.body().contains("lacks feature 'x'"), missing.body());
            Http.Answer unknown = Http.post(s.port(), "/v1/models/nope:predict", ROW);
            assertEquals(404, unknown.status());
            assertTrue(unknown.body().contains("[cls, reg]"), unknown.body());
        }
    }

    private static void awaitVersion(ModelServer s, String name, int version) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<?> status = (List<?>) Http.get(s.port(), "/v1/models/" + name).json().get("model_version_status");
            if (states(status).contains(version + ":AVAILABLE:OK")) return;
            Thread.sleep(10);
        }
        throw new AssertionError("version " + version + " never became available");
    }

    private static List<String> states(List<?> status) {
        return status.stream().map(o -> (Map<?, ?>) o).map(m -> m.get("version") + ":" + m.get("state") + ":"
                + ((Map<?, ?>) m.get("status")).get("error_code")).toList();
    }

    private static double firstOutput(ModelServer s, String path) throws Exception {
        Http.Answer a = Http.post(s.port(), path, ROW);
        assertEquals(200, a.status(), a.body());
        return ((Number) ((List<?>) ((List<?>) a.json().get("predictions")).get(0)).get(0)).doubleValue();
    }

    /** The first output of version {@code scale} for the row (1, 2, 3, 4). */
    private static double expected(double scale) {
        return scale * TestModels.linearRef(new double[] {1, 2, 3, 4})[0];
    }
}
