package org.nabla.nn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * Throughput of the reference models on random data (samples/s of training steps and of inference). Skipped unless
 * run with {@code -Dnabla.bench=true}; no timing is asserted.
 */
public class TrainingBench {
    @Test
    void referenceModels() {
        assumeTrue(Boolean.getBoolean("nabla.bench"), "benchmark: run with -Dnabla.bench=true");
        run();
    }

    /** Also runnable directly: {@code java -cp ... org.nabla.nn.TrainingBench} (same system properties). */
    public static void main(String[] args) { run(); }

    static void run() {
        String which = System.getProperty("nabla.bench.models", "mlp,cnn");
        boolean eager = Boolean.getBoolean("nabla.bench.eager");
        int steps = Integer.getInteger("nabla.bench.steps", 200);
        for (String name : which.split(",")) {
            Sequential m = ReferenceModels.byName(name, 1);
            m.runEagerly(eager);
            int b = ReferenceModels.batchSize(name);
            Tensor x = Ops.randomUniform(new int[] {b, 28, 28, 1}, DType.FLOAT32, 0, 1, 1);
            Tensor y = Ops.randomUniform(new int[] {b}, DType.INT32, 0, 10, 2);
            for (int i = 0; i < 20; i++) m.trainOnBatch(x, y);
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) m.trainOnBatch(x, y);
            double secs = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            for (int i = 0; i < steps; i++) m.predict(x, b);
            double pSecs = (System.nanoTime() - t1) / 1e9;
            System.out.printf(Locale.ROOT, "%s%s: train %.0f samples/s (%.2f ms/step), predict %.0f samples/s%n", name,
                    eager ? " (eager)" : "", steps * b / secs, 1000 * secs / steps, steps * b / pSecs);
        }
    }
}
