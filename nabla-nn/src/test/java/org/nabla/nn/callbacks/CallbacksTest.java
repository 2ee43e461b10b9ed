package org.nabla.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.io.Npy;
import org.nabla.nn.FitOptions;
import org.nabla.nn.History;
import org.nabla.nn.Model;
import org.nabla.nn.Ref;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.SGD;

class CallbacksTest {
    private static final Tensor X = Ops.randomUniform(new int[] {32, 3}, DType.FLOAT32, -1, 1, 1);
    private static final Tensor Y = Ops.randomUniform(new int[] {32, 1}, DType.FLOAT32, -1, 1, 2);

    private static Sequential model() {
        Sequential m = new Sequential(new Dense(4, "tanh"), new Dense(1));
        m.seed(1);
        m.input(3);
        m.compile(new SGD(0.05), Losses.meanSquaredError());
        return m;
    }

    /** Puts a scripted "score" into the epoch logs and records the weights at each epoch end. */
    private static final class Script implements Callback {
        final double[] scores;
        final List<List<Tensor>> weights = new ArrayList<>();
        Model model;

        Script(double... scores) { this.scores = scores; }

        @Override public void setModel(Model m) { model = m; }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            logs.put("score", scores[epoch]);
            weights.add(model.getWeights());
        }
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresBest() {
        Sequential m = model();
        Script s = new Script(3, 1, 2, 1.5, 0.5, 0.1);
        EarlyStopping es = new EarlyStopping("score", 2, "min").restoreBestWeights(true);
        History h = m.fit(X, Y, FitOptions.epochs(6).batchSize(8).verbose(0).callbacks(s, es));
        assertEquals(List.of(0, 1, 2, 3), h.epochs());       // best at 1, no improvement at 2 and 3
        assertEquals(3, es.stoppedEpoch());
        assertEquals(1, es.bestEpoch());
        List<Tensor> now = m.getWeights();
        for (int i = 0; i < now.size(); i++) Ref.assertClose(s.weights.get(1).get(i).toDoubleArray(), now.get(i), 0);

        Sequential m2 = model();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> m2.fit(X, Y, FitOptions.epochs(2).verbose(0).callbacks(new EarlyStopping("val_loss", 1))));
        assertTrue(e.getMessage().contains("monitors 'val_loss', which is not among the metrics [loss]"), e.getMessage());
    }

    @Test
    void csvLoggerWritesOneRowPerEpoch(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("log/history.csv");
        History h = model().fit(X, Y, FitOptions.epochs(3).batchSize(8).verbose(0).validationData(X, Y)
                .callbacks(new CsvLogger(csv)));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,loss,val_loss", lines.get(0));
        assertEquals(4, lines.size());
        for (int e = 0; e < 3; e++) {
            String[] f = lines.get(e + 1).split(",");
            assertEquals(Integer.toString(e), f[0]);
            assertEquals(h.get("loss").get(e), Double.parseDouble(f[1]), 1e-5 * Math.abs(h.get("loss").get(e)));
            assertEquals(h.get("val_loss").get(e), Double.parseDouble(f[2]), 1e-5 * Math.abs(h.get("val_loss").get(e)));
        }
        try (var files = Files.list(csv.getParent())) {
            assertEquals(List.of("history.csv"), files.map(p -> p.getFileName().toString()).toList());   // no temp files
        }
    }

    @Test
    void checkpointBestOnlyAndEveryEpoch(@TempDir Path dir) throws IOException {
        Sequential m = model();
        Script s = new Script(3, 1, 2, 0.5);
        ModelCheckpoint best = new ModelCheckpoint(dir.resolve("best"), "score", true);
        ModelCheckpoint last = new ModelCheckpoint(dir.resolve("epoch-{epoch}"));
        m.fit(X, Y, FitOptions.epochs(4).batchSize(8).verbose(0).callbacks(s, best, last));
        assertEquals(3, best.saves());     // epochs 0, 1 and 3 improved the score
        assertEquals(4, last.saves());
        for (int e = 1; e <= 4; e++) assertTrue(Files.exists(dir.resolve("epoch-" + e + "/weights.txt")));
        // the best checkpoint holds epoch 3's weights; loading it into a fresh model restores them
        Tensor k = Npy.read(dir.resolve("best/000.npy"));
        Ref.assertClose(s.weights.get(3).get(0).toDoubleArray(), k, 0);
        Sequential fresh = model();
        NpyWeightsSaver.load(fresh, dir.resolve("epoch-2"));
        for (int i = 0; i < 4; i++) Ref.assertClose(s.weights.get(1).get(i).toDoubleArray(), fresh.getWeights().get(i), 0);
        assertTrue(Files.readString(dir.resolve("best/weights.txt")).startsWith("000.npy dense/kernel_"));
        Sequential other = new Sequential(new Dense(2));
        other.input(3);
        IOException e = assertThrows(IOException.class, () -> NpyWeightsSaver.load(other, dir.resolve("best")));
        assertTrue(e.getMessage().contains("do not fit model"), e.getMessage());
    }

    @Test
    void learningRateScheduler() {
        Sequential m = model();
        History h = m.fit(X, Y, FitOptions.epochs(3).verbose(0)
                .callbacks(new LearningRateScheduler((epoch, lr) -> 0.1 / (1 << epoch))));
        assertEquals(List.of(0.1, 0.05, 0.025), h.get("learning_rate").stream().map(v -> Math.round(v * 1e6) / 1e6).toList());
        assertEquals(0.025, m.optimizer().learningRate(), 1e-7);
    }

    @Test
    void progressBarPlainLinesAndBarText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        model().fit(X, Y, FitOptions.epochs(2).batchSize(8).verbose(0)
                .callbacks(new ProgressBar(ProgressBar.Mode.EPOCH_LINES, out)));
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertEquals(4, lines.length, text);
        assertEquals("Epoch 1/2", lines[0]);
        assertTrue(lines[1].matches("4/4 - \\d+s \\d+ms/step - loss: \\d\\.\\d{4}"), lines[1]);
        assertFalse(text.contains("\r"));
        assertEquals("10/40 [======>.......................] - ETA: 15s - loss: 0.5000",
                ProgressBar.barLine(10, 40, 5.0, Map.of("loss", 0.5)));
        assertEquals("40/40 [==============================] - loss: 0.2500",
                ProgressBar.barLine(40, 40, 5.0, Map.of("loss", 0.25)));
    }
}
