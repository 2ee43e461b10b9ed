package org.nabla.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.FitOptions;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.layers.Dropout;
import org.nabla.nn.optimizers.Adam;

class BackupAndRestoreTest {
    @TempDir
    Path tmp;

    private static Sequential model() {
        Sequential m = new Sequential(new Dense(8, "relu"), new Dropout(0.3), new Dense(3));
        m.seed(4);
        m.compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        return m;
    }

    private static Tensor[] data() {
        float[] x = new float[60 * 2];
        int[] y = new int[60];
        for (int i = 0; i < 60; i++) {
            x[2 * i] = (float) Math.cos(i);
            x[2 * i + 1] = (float) Math.sin(3 * i);
            y[i] = i % 3;
        }
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, Shape.of(60, 2), x), Tensor.wrap(DType.INT32, Shape.of(60), y)};
    }

    private static FitOptions options(Callback... cbs) {
        return FitOptions.epochs(4).batchSize(8).seed(9).verbose(0).callbacks(cbs);
    }

    /** Fails in epoch {@code epoch}, batch 3: a crash in the middle of an epoch. */
    private static Callback crashIn(int epoch) {
        return new Callback() {
            int current;

            @Override public void onEpochBegin(int e, Map<String, Double> logs) { current = e; }

            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                if (current == epoch && batch == 3) throw new IllegalStateException("crash");
            }
        };
    }

    @Test
    void aCrashedFitResumesToTheUninterruptedWeights() {
        Tensor[] d = data();
        Sequential whole = model();
        whole.fit(d[0], d[1], options());

        Path backup = tmp.resolve("backup");
        Sequential first = model();
        assertThrows(IllegalStateException.class, () -> first.fit(d[0], d[1],
                options(new BackupAndRestore(backup), crashIn(2))));
        assertTrue(Files.exists(backup.resolve("checkpoint.index")), "epochs 1 and 2 were backed up");

        Sequential again = model();   // a new process would build the same model
        List<Integer> epochs = new ArrayList<>();
        again.fit(d[0], d[1], options(new BackupAndRestore(backup), new Callback() {
            @Override public void onEpochBegin(int e, Map<String, Double> logs) { epochs.add(e); }
        }));
        assertEquals(List.of(2, 3), epochs);   // epochs 0 and 1 were restored, not repeated
        List<Variable> a = whole.trainingState(), b = again.trainingState();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            Tensor x = a.get(i).read(), y = b.get(i).read();
            if (x.dtype() == DType.FLOAT32) assertArrayEquals(x.toFloatArray(), y.toFloatArray(), a.get(i).name());
            else assertArrayEquals(x.toLongArray(), y.toLongArray(), a.get(i).name());
        }
        assertFalse(Files.exists(backup), "a completed fit deletes its backup");
    }

    @Test
    void keepBackupKeepsIt() {
        Tensor[] d = data();
        Path backup = tmp.resolve("kept");
        model().fit(d[0], d[1], options(new BackupAndRestore(backup, true)));
        assertTrue(Files.exists(backup.resolve("checkpoint.index")));
    }
}
