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
        if ("cell".equals(System.getProperty("nabla.bench.mode"))) {
            fusedCellPairs();
            return;
        }
        int rounds = Integer.getInteger("nabla.bench.rounds", 5), steps = Integer.getInteger("nabla.bench.steps", 30);
        int batch = 32, time = 20;
        Tensor x = Ops.randomUniform(new int[] {batch, time}, DType.INT32, 1, 50, 1);
        Tensor y = Ops.randomUniform(new int[] {batch}, DType.INT32, 0, 2, 2);
        String[] names = {"lstm unrolled", "lstm while", "lstm unfused", "gru unrolled", "gru while", "gru unfused"};
        Sequential[] models = new Sequential[names.length];
        for (int i = 0; i < names.length; i++) {
            RecurrentLayer r = (i < 3 ? new LSTM(64).fusedCell(i != 2) : new GRU(64).fusedCell(i != 5))
                    .unroll(i != 1 && i != 4);
            models[i] = new Sequential(new Embedding(50, 32), r, new Dense(2));
            models[i].seed(1).build(new int[] {time});
            models[i].compile(new Adam(1e-3), "sparse_categorical_crossentropy");
            for (int k = 0; k < 5; k++) models[i].trainOnBatch(x, y);   // trace and warm up
        }
        // wall-clock rate and process CPU time per sample (less sensitive to other jobs on a shared machine)
        List<List<Double>> rates = new ArrayList<>(), cpu = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            rates.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < names.length; i++) {
                long t0 = System.nanoTime(), c0 = cpuNanos();
                for (int k = 0; k < steps; k++) models[i].trainOnBatch(x, y);
                rates.get(i).add(steps * batch / ((System.nanoTime() - t0) / 1e9));
                cpu.get(i).add((cpuNanos() - c0) / 1e3 / (steps * batch));
            }
        }
        for (int i = 0; i < names.length; i++) {
            List<Double> r = rates.get(i).stream().sorted().toList(), c = cpu.get(i).stream().sorted().toList();
            System.out.printf(Locale.ROOT, "%-14s train %8.0f samples/s (median of %d rounds, range %.0f-%.0f); "
                    + "CPU %.1f us/sample (range %.1f-%.1f)%n", names[i], r.get(r.size() / 2), r.size(), r.getFirst(),
                    r.getLast(), c.get(c.size() / 2), c.getFirst(), c.getLast());
        }
    }

    /** The process's CPU time so far (java.base only: the tests compile as module org.nabla.nn). */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /**
     * The fused cells alone: a traced forward + gradient of LSTM(64) and GRU(64) (or, with
     * {@code -Dnabla.bench.cells=SimpleRNN,SimpleRNN-relu}, SimpleRNN(64)'s fused loop, tanh or relu, against its
     * unrolled steps) over [32, 20, 32]
     * inputs, fused and unfused in adjacent pairs of rounds; prints the median of the per-pair time ratios (robust to the machine's drift).
     */
    static void fusedCellPairs() {
        for (String kind : System.getProperty("nabla.bench.cells", "LSTM,GRU").split(",")) fusedCellPairs(kind);
    }

    static void fusedCellPairs(String kind) {
        int rounds = Integer.getInteger("nabla.bench.rounds", 21), calls = Integer.getInteger("nabla.bench.steps", 20);
        Tensor x = Ops.randomUniform(new int[] {32, 20, 32}, DType.FLOAT32, -1, 1, 3);
        org.nabla.TracedFunction[] f = new org.nabla.TracedFunction[2];
        for (int k = 0; k < 2; k++) {
            // SimpleRNN: its fused loop (SimpleRnnSequence) against its unrolled steps
            RecurrentLayer lstm = switch (kind) {
                case "LSTM" -> new LSTM(64).fusedCell(k == 0);
                case "SimpleRNN" -> new SimpleRNN(64).fusedSequence(k == 0);
                case "SimpleRNN-relu" -> ((SimpleRNN) new SimpleRNN(64).activation("relu")).fusedSequence(k == 0);
                default -> new GRU(64).fusedCell(k == 0);
            };
            lstm.call(x);
            f[k] = org.nabla.TracedFunction.of(in -> {
                try (org.nabla.autodiff.GradientTape tape = new org.nabla.autodiff.GradientTape()) {
                    Tensor loss = Ops.sum(Ops.square(lstm.call(in[0])));
                    return tape.gradient(loss, lstm.trainableWeights()).toArray(Tensor[]::new);
                }
            });
            for (int i = 0; i < 20; i++) f[k].call(x);
        }
        List<Double> ratios = new ArrayList<>(), ms = new ArrayList<>(), msUnfused = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] t = new double[2];
            for (int k : r % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) f[k].call(x);
                t[k] = (System.nanoTime() - t0) / 1e6 / calls;
            }
            ratios.add(t[0] / t[1]);
            ms.add(t[0]);
            msUnfused.add(t[1]);
        }
        ratios = ratios.stream().sorted().toList();
        ms = ms.stream().sorted().toList();
        msUnfused = msUnfused.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "%s(64) forward+gradient, batch 32, 20 steps: fused %.2f ms, unfused %.2f ms "
                + "(medians of %d rounds); fused/unfused time ratio median %.3f (range %.3f-%.3f)%n", kind,
                ms.get(rounds / 2), msUnfused.get(rounds / 2), rounds, ratios.get(rounds / 2), ratios.getFirst(),
                ratios.getLast());
    }
}
