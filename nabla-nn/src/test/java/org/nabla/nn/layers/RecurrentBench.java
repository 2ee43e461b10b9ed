package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.Sequential;
import org.nabla.nn.optimizers.Adam;

/**
 * Training throughput of recurrent models with the time loop unrolled vs as one While node (and the LSTM with its
 * fused cell op vs the unfused ops), in alternating rounds
 * of one process (medians): Embedding(50, 32) -> LSTM/GRU(64) -> Dense(2), batch 32, 20 timesteps. Skipped unless
 * run with {@code -Dnabla.bench=true}; runnable with {@code main}. No timing is asserted.
 */
public class RecurrentBench {
    @Test
    void unrolledVersusWhile() {
        assumeTrue(Boolean.getBoolean("nabla.bench"), "benchmark: run with -Dnabla.bench=true");
        main(new String[0]);
    }

    public static void main(String[] args) {
        int rounds = Integer.getInteger("nabla.bench.rounds", 5), steps = Integer.getInteger("nabla.bench.steps", 30);
        int batch = 32, time = 20;
        Tensor x = Ops.randomUniform(new int[] {batch, time}, DType.INT32, 1, 50, 1);
        Tensor y = Ops.randomUniform(new int[] {batch}, DType.INT32, 0, 2, 2);
        String[] names = {"lstm unrolled", "lstm while", "lstm unfused", "gru unrolled", "gru while"};
        Sequential[] models = new Sequential[names.length];
        for (int i = 0; i < names.length; i++) {
            RecurrentLayer r = (i < 3 ? new LSTM(64).fusedCell(i != 2) : new GRU(64)).unroll(i != 1 && i != 4);
            models[i] = new Sequential(new Embedding(50, 32), r, new Dense(2));
            models[i].seed(1).build(new int[] {time});
            models[i].compile(new Adam(1e-3), "sparse_categorical_crossentropy");
            for (int k = 0; k < 5; k++) models[i].trainOnBatch(x, y);   // trace and warm up
        }
        List<List<Double>> rates = new ArrayList<>();
        for (int i = 0; i < names.length; i++) rates.add(new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < names.length; i++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < steps; k++) models[i].trainOnBatch(x, y);
                rates.get(i).add(steps * batch / ((System.nanoTime() - t0) / 1e9));
            }
        }
        for (int i = 0; i < names.length; i++) {
            List<Double> r = rates.get(i).stream().sorted().toList();
            System.out.printf(Locale.ROOT, "%-14s train %8.0f samples/s (median of %d rounds, range %.0f-%.0f)%n",
                    names[i], r.get(r.size() / 2), r.size(), r.getFirst(), r.getLast());
        }
    }
}
