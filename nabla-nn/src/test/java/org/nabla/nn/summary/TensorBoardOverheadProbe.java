package org.nabla.nn.summary;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.FitOptions;
import org.nabla.nn.Model;
import org.nabla.nn.ReferenceModels;
import org.nabla.nn.Sequential;
import org.nabla.nn.callbacks.Callback;
import org.nabla.nn.callbacks.TensorBoard;

/**
 * What the TensorBoard callback costs a fit: the mlp on 8000 random images, 2 epochs, without and with the callback
 * as {@code nabla train} sets it up, alternating, and the time spent in each hook (opt-in, -Dnabla.bench=true).
 */
class TensorBoardOverheadProbe {
    @TempDir Path dir;

    /** Times each hook of the callback it wraps. */
    private static final class Timed implements Callback {
        final Callback c;
        final Map<String, Double> ms = new TreeMap<>();

        Timed(Callback c) { this.c = c; }

        void time(String hook, Runnable r) {
            long s = System.nanoTime();
            r.run();
            ms.merge(hook, (System.nanoTime() - s) / 1e6, Double::sum);
        }

        @Override public void setModel(Model m) { time("setModel", () -> c.setModel(m)); }
        @Override public void onTrainBegin(Map<String, Double> l) { time("trainBegin", () -> c.onTrainBegin(l)); }
        @Override public void onTrainEnd(Map<String, Double> l) { time("trainEnd", () -> c.onTrainEnd(l)); }
        @Override
        public void onEpochEnd(int e, Map<String, Double> l) { time("epochEnd" + e, () -> c.onEpochEnd(e, l)); }
        @Override public void onBatchEnd(int b, Map<String, Double> l) { time("batchEnds", () -> c.onBatchEnd(b, l)); }
    }

    @Test
    void fitWithAndWithoutTheCallback() {
        assumeTrue(Boolean.getBoolean("nabla.bench"));
        Tensor x = Ops.randomUniform(new int[] {8000, 28, 28, 1}, DType.FLOAT32, 0, 1, 1);
        Tensor y = Ops.randomUniform(new int[] {8000}, DType.INT32, 0, 10, 2);
        for (int round = 0; round < 6; round++) {
            for (boolean on : new boolean[] {false, true}) {
                Sequential m = ReferenceModels.mlp(42);
                Timed t = new Timed(new TensorBoard(dir.resolve("logs" + round)).updateFreq(50)
                        .hparams(Map.of("model", "mlp"))
                        .images(Ops.slice(x, new int[] {0, 0, 0, 0}, new int[] {3, 28, 28, 1})));
                FitOptions o = FitOptions.epochs(2).batchSize(32).verbose(0).validationData(x, y);
                if (on) o.callbacks(t);
                long s = System.nanoTime();
                m.fit(x, y, o);
                System.out.printf("round %d %s: fit %.0f ms %s%n", round, on ? "TensorBoard" : "no callback",
                        (System.nanoTime() - s) / 1e6, on ? t.ms : "");
            }
        }
    }
}
