package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.cli.CommandsTest.assertFails;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.io.Json;
import org.nabla.nn.saving.HistoryCsv;

/** {@code nabla train} writes TensorBoard logs into the run folder unless told otherwise. */
@SuppressWarnings("unchecked")  // the JSON of TensorBoard's HTTP API, walked by the structure the script prints
class TrainTensorBoardTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = tmp.resolve("data");
        CommandsTest.writeDataset(data, 64, 32);
    }

    static CommandsTest.Result train(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "mlp", "--data-dir", data.toString(),
                "--quiet", "--seed", "3", "--out", out.toString()));
        args.addAll(List.of(more));
        return CommandsTest.run(args.toArray(String[]::new));
    }

    static List<Path> eventFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
        }
    }

    @Test
    void logsGoToTheRunFolderAndAResumedRunAddsAFile() throws IOException {
        Path out = tmp.resolve("default");
        CommandsTest.Result r = train(out, "--epochs", "1");
        assertEquals(0, r.code(), r.all());
        for (String run : List.of("train", "validation")) {
            List<Path> files = eventFiles(out.resolve("tensorboard").resolve(run));
            assertEquals(1, files.size(), run);
            // TFRecord framing of the 24-byte file-version event, as every TensorFlow event file starts
            assertEquals("1800000000000000a37f4b22",
                    HexFormat.of().formatHex(Files.readAllBytes(files.get(0)), 0, 12));
        }
        assertEquals(1, eventFiles(out.resolve("tensorboard")).size(), "the hyperparameters");

        r = train(out, "--epochs", "2", "--resume");
        assertEquals(0, r.code(), r.all());
        assertEquals(2, eventFiles(out.resolve("tensorboard/train")).size(), "a resumed run writes a new file");

        r = train(out, "--epochs", "1", "--overwrite");
        assertEquals(0, r.code(), r.all());
        assertEquals(1, eventFiles(out.resolve("tensorboard/train")).size(), "--overwrite deletes the old logs");
    }

    /**
     * What a user's browser sees: TensorBoard itself serves the run folder (scripts/tensorboard_http.py starts it and
     * asks its HTTP API), and its charts hold history.csv's values. Skipped without a Python that has tensorboard.
     */
    @Test
    void tensorBoardServesTheRunAsTrained() throws Exception {
        String python = pythonWithTensorBoard();
        Path out = tmp.resolve("served");
        CommandsTest.Result r = train(out, "--epochs", "2");
        assertEquals(0, r.code(), r.all());
        Path script = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && script == null; d = d.getParent()) {
            Path candidate = d.resolve("scripts/tensorboard_http.py");
            if (Files.isRegularFile(candidate)) script = candidate;
        }
        assertTrue(script != null, "scripts/tensorboard_http.py not found");
        Path err = tmp.resolve("tensorboard_http.err");
        Process p = new ProcessBuilder(python, script.toString(), out.toString()).redirectError(err.toFile()).start();
        String json;
        try (var stdout = p.getInputStream()) {
            json = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "tensorboard_http.py did not finish");
        assertEquals(0, p.exitValue(), "tensorboard_http.py failed:\n" + Files.readString(err));
        Map<String, Object> served = (Map<String, Object>) Json.parse(json);

        assertEquals(List.of("tensorboard", "tensorboard/train", "tensorboard/validation"),
                ((List<String>) served.get("runs")).stream().sorted().toList());
        assertTrue(((List<String>) served.get("plugins")).containsAll(List.of("scalars", "histograms", "distributions",
                "images", "text", "graphs", "hparams")), served.get("plugins").toString());
        Map<String, Map<String, List<List<Object>>>> scalars =
                (Map<String, Map<String, List<List<Object>>>>) served.get("scalars");
        Map<String, double[]> history = HistoryCsv.read(out.resolve("history.csv"));
        for (String metric : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
            boolean val = metric.startsWith("val_");
            List<List<Object>> chart = scalars.get(val ? "tensorboard/validation" : "tensorboard/train")
                    .get("epoch_" + (val ? metric.substring(4) : metric));
            double[] expected = history.get(metric);
            assertEquals(expected.length, chart.size(), metric);
            for (int e = 0; e < expected.length; e++) {
                assertEquals((long) e, chart.get(e).get(0));
                // history.csv holds 6 significant digits; TensorBoard the 32-bit float
                assertEquals(expected[e], (Double) chart.get(e).get(1), 1e-5 * Math.abs(expected[e]) + 1e-9, metric);
            }
        }
        assertTrue(scalars.get("tensorboard/train").containsKey("epoch_learning_rate"));  // (64 examples: no batch_)
        assertEquals(List.of("dense/bias", "dense/bias_grad", "dense/kernel", "dense/kernel_grad", "dense_1/bias",
                        "dense_1/bias_grad", "dense_1/kernel", "dense_1/kernel_grad"),
                ((Map<String, Object>) served.get("histograms")).get("tensorboard/train"));
        assertEquals(List.of("inputs/0", "inputs/1", "inputs/2", "training_curves"),
                ((Map<String, Object>) served.get("images")).get("tensorboard/train"));
        assertEquals(List.of("model_summary"), ((Map<String, Object>) served.get("text")).get("tensorboard/train"));
        assertEquals(List.of("tensorboard/train"), served.get("graphs"));
        assertTrue((Long) ((Map<String, Object>) served.get("graph_nodes")).get("tensorboard/train") > 5);
        List<Map<String, Object>> sessions = (List<Map<String, Object>>) served.get("hparams");
        assertEquals(1, sessions.size());
        Map<String, Object> hparams = (Map<String, Object>) sessions.get(0).get("hparams");
        assertEquals("mlp", hparams.get("model"));
        assertEquals(2.0, hparams.get("epochs"));
        assertTrue(((List<?>) sessions.get(0).get("metrics")).contains(List.of("validation", "epoch_accuracy")));
    }

    /** A Python that imports tensorboard ($NABLA_TENSORBOARD_PYTHON or the peers' venv), or the test is skipped. */
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
        Assumptions.abort("no Python with tensorboard found (tried " + candidates + "); set NABLA_TENSORBOARD_PYTHON");
        return null;
    }

    @Test
    void tensorboardNamesTheFolderAndNoTensorboardTurnsItOff() throws IOException {
        Path logs = tmp.resolve("elsewhere");
        CommandsTest.Result r = train(tmp.resolve("named"), "--epochs", "1", "--tensorboard", logs.toString());
        assertEquals(0, r.code(), r.all());
        assertEquals(1, eventFiles(logs.resolve("train")).size());
        assertFalse(Files.exists(tmp.resolve("named/tensorboard")));

        r = train(tmp.resolve("off"), "--epochs", "1", "--no-tensorboard");
        assertEquals(0, r.code(), r.all());
        assertFalse(Files.exists(tmp.resolve("off/tensorboard")));
        assertTrue(Files.exists(tmp.resolve("off/metrics.json")));

        assertFails(train(tmp.resolve("both"), "--tensorboard", logs.toString(), "--no-tensorboard"), "train",
                "not both");
    }
}
