package org.nabla.nn.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.io.Json;
import org.nabla.nn.History;

/**
 * TensorBoard itself (its EventAccumulator, through scripts/tensorboard_read.py) reads what Nabla writes, and the
 * values, steps and tags it reads are the ones logged. Needs a Python with tensorboard: $NABLA_TENSORBOARD_PYTHON, or
 * the peers' virtual environment (~/.cache/nabla-peers/venv); skipped with a message when there is none.
 */
@SuppressWarnings("unchecked")  // the JSON TensorBoard's reader printed, walked by the structure the script writes
class TensorBoardReadsOurFilesTest {
    @TempDir Path dir;

    @Test
    void tensorBoardReadsEverySummaryKindAsLogged() throws Exception {
        String python = pythonWithTensorBoard();
        Path custom = dir.resolve("custom");
        List<Double> logged = new ArrayList<>();
        try (SummaryWriter w = SummaryWriter.create(custom)) {
            for (int step = 0; step < 50; step++) {
                double v = Math.sin(step / 5.0) * Math.exp(-step / 20.0);
                logged.add(v);
                w.scalar("wave/damped", v, 10L * step);
            }
            w.histogram("weights", Tensors.of(new double[] {-2, -1, -1, 0, 3}, 5), 4);
            byte[] rgb = new byte[2 * 3 * 3];
            rgb[0] = (byte) 255;  // the first pixel is red
            w.image("picture", Tensor.wrap(DType.UINT8, Shape.of(2, 3, 3), rgb), 1);
            w.text("notes", "# Nabla ∇\nsome *markdown*", 5);
            Map<String, Object> hp = new LinkedHashMap<>();
            hp.put("learning_rate", 0.125);
            hp.put("model", "cnn");
            hp.put("augment", false);
            w.hparams(hp);
        }
        History history = TensorBoardCallbackTest.fit(dir.resolve("fit"));
        Path golden = Files.createDirectories(dir.resolve("golden"));
        try (var in = getClass().getResourceAsStream("golden.tfevents")) {
            Files.copy(in, golden.resolve("events.out.tfevents.1700000000.golden"));
        }

        Map<String, Object> runs = read(python, dir);
        assertEquals(List.of("custom", "fit", "fit/train", "fit/validation", "golden"),
                new ArrayList<>(runs.keySet()));

        Map<String, Object> c = run(runs, "custom");
        List<List<Object>> wave = list(map(c, "scalars").get("wave/damped"));
        assertEquals(50, wave.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(10L * i, wave.get(i).get(0));
            assertEquals((float) (double) logged.get(i), (float) (double) (Double) wave.get(i).get(1), 0);
        }
        Map<String, Object> h = (Map<String, Object>) list(map(c, "histograms").get("weights")).get(0);
        assertEquals(4L, h.get("step"));
        assertEquals(-2.0, h.get("min"));
        assertEquals(3.0, h.get("max"));
        assertEquals(5.0, h.get("num"));
        assertEquals(-1.0, h.get("sum"));
        assertEquals(15.0, h.get("sum_squares"));
        assertEquals(5.0, ((List<Double>) h.get("bucket")).stream().mapToDouble(Double::doubleValue).sum());
        Map<String, Object> image = (Map<String, Object>) list(map(c, "images").get("picture")).get(0);
        assertEquals(1L, image.get("step"));
        assertEquals(3L, image.get("width"));
        assertEquals(2L, image.get("height"));
        List<Object> decoded = (List<Object>) image.get("decoded");
        if (decoded != null) {  // Pillow decoded the PNG
            assertEquals(List.of(3L, 2L, "RGB", List.of(255L, 0L, 0L)), decoded);
        }
        assertEquals(List.of(List.of(5L, "# Nabla ∇\nsome *markdown*")), map(c, "text").get("notes"));
        assertEquals(Map.of("learning_rate", 0.125, "model", "cnn", "augment", false), map(c, "hparams"));
        assertNull(c.get("graph"));

        Map<String, Object> train = run(runs, "fit/train"), validation = run(runs, "fit/validation");
        for (String metric : history.asMap().keySet()) {
            boolean val = metric.startsWith("val_");
            List<List<Object>> series = list(map(val ? validation : train, "scalars")
                    .get("epoch_" + (val ? metric.substring(4) : metric)));
            List<Double> expected = history.get(metric);
            assertEquals(expected.size(), series.size(), metric);
            for (int e = 0; e < expected.size(); e++) {
                assertEquals((long) e, series.get(e).get(0));
                assertEquals((float) (double) expected.get(e), (float) (double) (Double) series.get(e).get(1), 0,
                        metric + " epoch " + e);
            }
        }
        assertEquals(6, list(map(train, "scalars").get("batch_loss")).size());
        assertEquals(4, map(train, "histograms").size());
        assertTrue(map(train, "text").containsKey("model_summary"));
        assertEquals(2, map(train, "images").size(), "inputs/0 and inputs/1");
        assertEquals(Map.of("lr", 0.05, "optimizer", "sgd"), map(run(runs, "fit"), "hparams"));
        assertTrue((Long) map(train, "graph").get("nodes") > 5, "TensorBoard parsed the GraphDef: "
                + train.get("graph"));

        Map<String, Object> g = run(runs, "golden");
        assertEquals(List.of(List.of(0L, 1.0), List.of(1L, 0.5), List.of(2L, (double) (float) (1.0 / 3))),
                map(g, "scalars").get("loss"));
    }

    /** What TensorBoard read from every run under {@code logDir}. */
    static Map<String, Object> read(String python, Path logDir) throws IOException, InterruptedException {
        Path script = repoFile("scripts/tensorboard_read.py");
        Path err = Files.createTempFile("tensorboard_read", ".err");
        Process p = new ProcessBuilder(python, script.toString(), logDir.toString()).redirectError(err.toFile())
                .start();
        String out;
        try (var stdout = p.getInputStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tensorboard_read.py did not finish");
        String errors = Files.readString(err);
        Files.delete(err);
        assertEquals(0, p.exitValue(), "tensorboard_read.py failed:\n" + errors);
        return (Map<String, Object>) Json.parse(out);
    }

    /** A Python that imports tensorboard, or the test is skipped saying how to get one. */
    static String pythonWithTensorBoard() throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("NABLA_TENSORBOARD_PYTHON");
        if (env != null && !env.isBlank()) candidates.add(env);
        candidates.add(Path.of(System.getProperty("user.home"), ".cache/nabla-peers/venv/bin/python").toString());
        for (String python : candidates) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import tensorboard").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return python;
            } catch (IOException notThere) {
                // try the next candidate
            }
        }
        Assumptions.abort("no Python with tensorboard found (tried " + candidates + "); set NABLA_TENSORBOARD_PYTHON "
                + "to one, e.g. after `python -m venv v && v/bin/pip install tensorboard==2.21.*`");
        return null;
    }

    static Path repoFile(String relative) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(relative))) return d.resolve(relative);
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private static Map<String, Object> run(Map<String, Object> runs, String name) {
        return (Map<String, Object>) runs.get(name);
    }

    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    private static List<List<Object>> list(Object o) { return (List<List<Object>>) o; }
}
