package org.nabla.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.FitOptions;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.optimizers.SGD;

class TerminateOnNaNTest {
    private static Sequential model() {
        Sequential m = new Sequential(new Dense(4, "relu"), new Dense(2));
        m.seed(1);
        m.input(3);
        m.compile(new SGD(0.1), "sparse_categorical_crossentropy");
        return m;
    }

    /** 40 examples in batches of 8 (no shuffling); example {@code nanAt} (if >= 0) holds a NaN. */
    private static Tensor[] data(int nanAt) {
        float[] x = new float[40 * 3];
        int[] y = new int[40];
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = (float) Math.sin(i + j);
            y[i] = i % 2;
        }
        if (nanAt >= 0) x[nanAt * 3] = Float.NaN;
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, Shape.of(40, 3), x), Tensor.wrap(DType.INT32, Shape.of(40), y)};
    }

    @Test
    void stopsAtTheFirstBatchWithANaNLoss() {
        Sequential m = model();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TerminateOnNaN nan = new TerminateOnNaN(new PrintStream(out, true, StandardCharsets.UTF_8));
        Tensor[] d = data(19);   // in batch 2 (examples 16-23) of epoch 0
        m.fit(d[0], d[1], FitOptions.epochs(3).batchSize(8).shuffle(false).verbose(0).callbacks(nan));
        assertTrue(nan.terminated());
        assertEquals(0, nan.stoppedEpoch());
        assertEquals(2, nan.stoppedBatch());
        assertEquals(3, m.optimizer().step());   // batches 0, 1 and the bad 2: no step after it
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Batch 2: Invalid loss, terminating training"));
    }

    @Test
    void finiteLossesTrainToTheEnd() {
        Sequential m = model();
        TerminateOnNaN nan = new TerminateOnNaN(null);
        Tensor[] d = data(-1);
        m.fit(d[0], d[1], FitOptions.epochs(2).batchSize(8).verbose(0).callbacks(nan));
        assertFalse(nan.terminated());
        assertEquals(-1, nan.stoppedBatch());
        assertEquals(10, m.optimizer().step());
    }
}
