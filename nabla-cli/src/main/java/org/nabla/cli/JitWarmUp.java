package org.nabla.cli;

import java.util.SplittableRandom;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.Model;
import org.nabla.nn.TextModels;

/**
 * Trains a throwaway copy of a text model for a few steps on random token ids, on its own thread while the corpus
 * loads, so the JIT compiles the step's kernels before the first epoch starts. The Vector API kernels run hundreds
 * of times slower interpreted or C1-compiled than once C2 has compiled them, and on two cores C2 needs several
 * seconds for the Transformer's (docs/benchmarks.md); the loading leaves a core idle for part of that. The random
 * batches have the run's shape and padded messages of random lengths (so the masked paths are compiled too); the
 * model's weights and the real run's results are untouched.
 */
final class JitWarmUp {
    private final Thread thread;
    private volatile RuntimeException failure;
    private volatile double seconds;

    private JitWarmUp(String model, int batch, int steps) {
        thread = new Thread(() -> {
            long start = System.nanoTime();
            try {
                run(model, batch, steps);
            } catch (RuntimeException e) {
                failure = e;
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }, "nabla-jit-warm-up");
        thread.setDaemon(true);
    }

    /** Starts {@code steps} (>= 1) steps of batch {@code batch} of text model {@code model} on a new thread. */
    static JitWarmUp start(String model, int batch, int steps) {
        JitWarmUp w = new JitWarmUp(model, batch, steps);
        w.thread.start();
        return w;
    }

    /** Waits for the warm-up to end; returns its seconds. A failed warm-up is an error of the run. */
    double await() throws InterruptedException {
        thread.join();
        if (failure != null) throw new IllegalStateException("JIT warm-up failed: " + failure.getMessage(), failure);
        return seconds;
    }

    private static void run(String model, int batch, int steps) {
        int length = TrainingData.TEXT_LENGTH;
        Model m = TextModels.byName(model, TrainingData.VOCABULARY, length, 2, 1);
        SplittableRandom random = new SplittableRandom(1);
        for (int s = 0; s < steps; s++) {
            int[] ids = new int[batch * length], labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                int tokens = 1 + random.nextInt(length);   // the rest is padding (id 0)
                for (int j = 0; j < tokens; j++) ids[i * length + j] = 1 + random.nextInt(TrainingData.VOCABULARY - 1);
                labels[i] = random.nextInt(2);
            }
            m.trainOnBatch(Tensor.wrap(DType.INT32, Shape.of(batch, length), ids),
                    Tensor.wrap(DType.INT32, Shape.of(batch), labels));
        }
    }
}
