package org.nabla.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensors;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.OnnxExporter;
import org.nabla.onnx.OnnxFiles;

/** The REST API end to end: a server on a free port, called with java.net.http. */
class ModelServerTest {
    @TempDir static Path tmp;
    static ServedModel linear;
    static ServedModel twoByTwo;
    static ModelServer server;
    static ModelServer twoServer;

    @BeforeAll
    static void start() throws Exception {
        linear = ServedModel.open("linear", TestModels.linear(tmp.resolve("linear")));
        twoByTwo = ServedModel.open("two", TestModels.twoByTwo(tmp.resolve("two")));
        server = ModelServer.start(linear, ServingOptions.defaults().withPort(0).withBatch(8, Duration.ofMillis(2))
                .withMaxBodyBytes(4096));
        twoServer = ModelServer.start(twoByTwo, ServingOptions.defaults().withPort(0));
    }

    @AfterAll
    static void stop() {
        server.close();
        twoServer.close();
        linear.close();
        twoByTwo.close();
    }

    @Test
    void statusSaysAvailable() throws Exception {
        for (String path : List.of("/v1/models/linear", "/v1/models/linear/versions/1")) {
            Http.Answer a = Http.get(server.port(), path);
            assertEquals(200, a.status(), a.body());
            Map<?, ?> v = (Map<?, ?>) ((List<?>) a.json().get("model_version_status")).get(0);
            assertEquals("1", v.get("version"));
            assertEquals("AVAILABLE", v.get("state"));
            assertEquals("OK", ((Map<?, ?>) v.get("status")).get("error_code"));
        }
    }

    @Test
    void metadataDescribesTheSignature() throws Exception {
        Http.Answer a = Http.get(server.port(), "/v1/models/linear/metadata");
        assertEquals(200, a.status(), a.body());
        Map<?, ?> sig = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) a.json().get("metadata"))
                .get("signature_def")).get("signature_def")).get("serving_default");
        Map<?, ?> x = (Map<?, ?>) ((Map<?, ?>) sig.get("inputs")).get("x");
        assertEquals("DT_FLOAT", x.get("dtype"));
        List<?> dims = (List<?>) ((Map<?, ?>) x.get("tensor_shape")).get("dim");
        assertEquals(List.of("-1", "4"), dims.stream().map(d -> ((Map<?, ?>) d).get("size")).toList());
        assertTrue(((Map<?, ?>) sig.get("outputs")).containsKey("y"));
        assertEquals("linear", ((Map<?, ?>) a.json().get("model_spec")).get("name"));
    }

    @Test
    void rowAndColumnarPredictionsEqualTheModelsOwn() throws Exception {
        double[][] x = {{1, 2, 3, 4}, {-1, 0.5, 0, 2}, {0.25, -3, 7, 1e-3}};
        float[] own = linear.predict(Tensors.of(flat(x), 3, 4))[0].toFloatArray();
        String rows = "[[1, 2, 3, 4], [-1, 0.5, 0, 2], [0.25, -3, 7, 1e-3]]";
        Http.Answer row = Http.post(server.port(), "/v1/models/linear:predict", "{\"instances\": " + rows + "}");
        Http.Answer col = Http.post(server.port(), "/v1/models/linear:predict", "{\"inputs\": {\"x\": " + rows + "}}");
        assertEquals(200, row.status(), row.body());
        assertEquals(200, col.status(), col.body());
        List<?> p = (List<?>) row.json().get("predictions");
        List<?> o = (List<?>) col.json().get("outputs");
        assertEquals(3, p.size());
        for (int r = 0; r < 3; r++) {
            double[] ref = TestModels.linearRef(x[r]);
            for (int j = 0; j < 3; j++) {
                double pv = ((Number) ((List<?>) p.get(r)).get(j)).doubleValue();
                assertEquals(own[r * 3 + j], pv, 1e-5 * Math.max(1, Math.abs(pv)), "row " + r + " col " + j);
                assertEquals(ref[j], pv, 1e-4, "float64 reference, row " + r);
                assertEquals(pv, ((Number) ((List<?>) o.get(r)).get(j)).doubleValue(), 0.0);
            }
        }
    }

    @Test
    void severalInputsAndOutputsByName() throws Exception {
        String body = "{\"instances\": [{\"a\": [1, 2], \"b\": [3, 4]}, {\"a\": [-1, 0.5], \"b\": [2, 2]}]}";
        Http.Answer row = Http.post(twoServer.port(), "/v1/models/two:predict", body);
        assertEquals(200, row.status(), row.body());
        Map<?, ?> first = (Map<?, ?>) ((List<?>) row.json().get("predictions")).get(0);
        assertEquals(List.of(4.0, 6.0), first.get("sum"));
        assertEquals(List.of(3.0, 8.0), first.get("prod"));
        Http.Answer col = Http.post(twoServer.port(), "/v1/models/two:predict",
                "{\"inputs\": {\"a\": [[1, 2], [-1, 0.5]], \"b\": [[3, 4], [2, 2]]}}");
        assertEquals(200, col.status(), col.body());
        Map<?, ?> outs = (Map<?, ?>) col.json().get("outputs");
        assertEquals(List.of(List.of(4.0, 6.0), List.of(1.0, 2.5)), outs.get("sum"));
        assertEquals(List.of(List.of(3.0, 8.0), List.of(-2.0, 1.0)), outs.get("prod"));
    }

    @Test
    void mistakesAreClearJsonErrors() throws Exception {
        int port = server.port();
        assertError(Http.post(port, "/v1/models/linear:predict", "{\"instances\": [[1, 2"), 400, "malformed JSON");
        assertError(Http.post(port, "/v1/models/linear:predict", "{\"instances\": [[1, 2, 3]]}"), 400,
                "expects shape (None, 4)");
        assertError(Http.post(port, "/v1/models/linear:predict", "{\"instances\": [[1, 2, 3, 4], [1]]}"), 400,
                "ragged");
        assertError(Http.post(port, "/v1/models/linear:predict", "{\"instances\": [[1, 2, \"a\", 4]]}"), 400,
                "expected a number");
        assertError(Http.post(port, "/v1/models/linear:predict", "{\"rows\": []}"), 400, "\"instances\"");
        assertError(Http.post(port, "/v1/models/linear:predict", "{\"instances\": []}"), 400, "no examples");
        assertError(Http.post(port, "/v1/models/linear:predict", "{\"inputs\": {\"z\": [[1, 2, 3, 4]]}}"), 400,
                "no input 'z'");
        assertError(Http.post(port, "/v1/models/nope:predict", "{\"instances\": [[1, 2, 3, 4]]}"), 404,
                "Servable not found");
        assertError(Http.get(port, "/v1/models/linear/versions/7"), 404, "known versions: [1]");
        assertError(Http.post(port, "/v1/models/linear/versions/7:predict", "{\"instances\": [[1, 2, 3, 4]]}"), 404,
                "available versions: [1]");
        assertError(Http.get(port, "/v1/models/linear:predict"), 405, "use POST");
        assertError(Http.get(port, "/v2/anything"), 404, "no such path");
        String nine = "{\"instances\": [" + "[1, 2, 3, 4], ".repeat(8) + "[1, 2, 3, 4]]}";
        assertError(Http.post(port, "/v1/models/linear:predict", nine), 400, "more than the limit of 8");
        String huge = "{\"instances\": [" + "[1, 2, 3, 4], ".repeat(400) + "[1, 2, 3, 4]]}";
        assertError(Http.post(port, "/v1/models/linear:predict", huge), 413, "more than the limit of 4096");
    }

    @Test
    void healthAndMetrics() throws Exception {
        Http.Answer h = Http.get(server.port(), "/healthz");
        assertEquals(200, h.status());
        assertEquals("ok", h.json().get("status"));
        Http.post(server.port(), "/v1/models/linear:predict", "{\"instances\": [[1, 2, 3, 4]]}");
        Http.Answer m = Http.get(server.port(), "/metrics");
        assertEquals(200, m.status());
        assertTrue(m.body().contains("nabla_serving_requests_total{endpoint=\"predict\",code=\"200\"}"), m.body());
        assertTrue(m.body().contains("nabla_serving_request_latency_seconds_sum{endpoint=\"predict\"}"), m.body());
        assertTrue(m.body().contains("nabla_serving_batch_requests_bucket{le=\"+Inf\"}"), m.body());
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnRows() throws Exception {
        // A generous wait makes the grouping certain on a busy machine; the answers must not depend on it.
        try (ModelServer s = ModelServer.start(linear, ServingOptions.defaults().withPort(0)
                .withBatch(16, Duration.ofMillis(50)))) {
            int clients = 64;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<double[]>> answers = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int id = c;
                    answers.add(pool.submit(() -> {
                        go.await();
                        Http.Answer a = Http.post(s.port(), "/v1/models/linear:predict",
                                "{\"instances\": [[" + id + ", 1, -1, 0.5]]}");
                        assertEquals(200, a.status(), a.body());
                        List<?> row = (List<?>) ((List<?>) a.json().get("predictions")).get(0);
                        return row.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
                    }));
                }
                go.countDown();
                for (int c = 0; c < clients; c++) {
                    double[] ref = TestModels.linearRef(new double[] {c, 1, -1, 0.5});
                    double[] got = answers.get(c).get();
                    for (int j = 0; j < 3; j++) assertEquals(ref[j], got[j], 1e-4, "client " + c);
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(s.metrics().batchesOfSeveralRequests() > 0, s.metrics().prometheusText());
            assertTrue(s.batching());
        }
    }

    @Test
    void withoutBatchingEveryRequestRunsAlone() throws Exception {
        try (ModelServer s = ModelServer.start(linear, ServingOptions.defaults().withPort(0).withBatching(false))) {
            Http.Answer a = Http.post(s.port(), "/v1/models/linear:predict", "{\"inputs\": [[1, 0, 0, 0]]}");
            assertEquals(200, a.status(), a.body());
            assertEquals(List.of(List.of(1.0, 0.0, 2.0)), a.json().get("outputs"));
            assertEquals(0, s.metrics().batchesOfSeveralRequests());
        }
    }

    @Test
    void anOnnxFileIsServedToo() throws Exception {
        Path file = tmp.resolve("linear.onnx");
        try (SavedModel saved = SavedModel.load(tmp.resolve("linear"))) {
            OnnxFiles.writeModel(file, OnnxExporter.export(saved));
        }
        try (ServedModel onnx = ServedModel.open("onnx", file);
             ModelServer s = ModelServer.start(onnx, ServingOptions.defaults().withPort(0))) {
            Http.Answer a = Http.post(s.port(), "/v1/models/onnx:predict", "{\"instances\": [[1, 2, 3, 4]]}");
            assertEquals(200, a.status(), a.body());
            double[] ref = TestModels.linearRef(new double[] {1, 2, 3, 4});
            List<?> row = (List<?>) ((List<?>) a.json().get("predictions")).get(0);
            for (int j = 0; j < 3; j++) assertEquals(ref[j], ((Number) row.get(j)).doubleValue(), 1e-4);
        }
    }

    private static void assertError(Http.Answer a, int status, String fragment) {
        assertEquals(status, a.status(), a.body());
        Object error = a.json().get("error");
        assertTrue(error instanceof String e && e.contains(fragment), "expected '" + fragment + "' in " + a.body());
    }

    private static float[] flat(double[][] x) {
        float[] f = new float[x.length * x[0].length];
        for (int r = 0; r < x.length; r++) for (int c = 0; c < x[r].length; c++) f[r * x[r].length + c] = (float) x[r][c];
        return f;
    }

}
