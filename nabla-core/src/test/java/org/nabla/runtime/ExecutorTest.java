package org.nabla.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.runtime.optimize.OptimizerOptions;
import org.nabla.Tensors;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;

class ExecutorTest {
    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    /**
     * 12 independent branches x @ w_i -> relu -> squared row sums, summed pairwise and reduced: lots of parallel work.
     * out[2] adds transcendental functions on four branches (tanh, softmax, sigmoid, exp, log, log1p, sin, cos):
     * their float32 kernels use {@code VectorMath}, whose bits do not change when the JIT compiles the loops (the JDK's
     * vector exp/log/tanh did: SVML intrinsics against the Java fallback).
     */
    private static Graph branches(int n, Tensor[] out) {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, n));
            List<Tensor> parts = new ArrayList<>();
            Tensor transcendental = null;
            for (int b = 0; b < 12; b++) {
                Tensor w = g.constant("w" + b, Tensors.of(random(n * n, b), n, n));
                Tensor h = Ops.relu(Ops.matmul(x, w));
                parts.add(Ops.sum(Ops.mul(h, h), 1));
                if (b < 4) {
                    Tensor soft = Ops.mul(Ops.softmax(Ops.tanh(Ops.mul(h, 0.5f))), Ops.exp(Ops.neg(Ops.sigmoid(h))));
                    Tensor logs = Ops.add(Ops.log(Ops.add(h, 0.5f)), Ops.log1p(h));
                    Tensor t = Ops.add(Ops.add(soft, logs), Ops.mul(Ops.sin(h), Ops.cos(h)));
                    Tensor ts = Ops.sum(t, 1);
                    transcendental = transcendental == null ? ts : Ops.add(transcendental, ts);
                }
            }
            out[2] = transcendental;
            while (parts.size() > 1) {
                List<Tensor> next = new ArrayList<>();
                for (int i = 0; i + 1 < parts.size(); i += 2) next.add(Ops.add(parts.get(i), parts.get(i + 1)));
                if (parts.size() % 2 == 1) next.add(parts.getLast());
                parts = next;
            }
            out[0] = parts.get(0);
            out[1] = Ops.mean(Ops.div(Ops.sqrt(out[0]), Ops.add(out[0], 1f)));
        }
        return g;
    }

    private static int[] bits(Tensor t) {
        float[] f = t.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]);
        return b;
    }

    @Test
    void everyModeGivesBitwiseEqualResultsRunAfterRun() {
        int n = 96;
        Tensor[] out = new Tensor[3];
        Graph g = branches(n, out);
        Tensor x = Tensors.of(random(64 * n, 99), 64, n);
        int[][] reference = null;
        for (ExecutionMode mode : ExecutionMode.values()) {
            try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE).mode(mode))) {
                for (int run = 0; run < 8; run++) {
                    List<Tensor> r = s.run(List.of(out[0], out[1], out[2]), Map.of(g.tensor("x"), x));
                    int[][] b = {bits(r.get(0)), bits(r.get(1)), bits(r.get(2))};
                    if (reference == null) reference = b;
                    for (int k = 0; k < 3; k++) assertArrayEquals(reference[k], b[k], mode + " run " + run + " out " + k);
                }
            }
        }
        // and the values are right: a float64 reference of one row
        double expect = 0, expectT = 0;
        float[] xs = x.toFloatArray();
        for (int b = 0; b < 12; b++) {
            float[] w = random(n * n, b);
            double[] h = new double[n];
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int k = 0; k < n; k++) acc += xs[k] * (double) w[k * n + j];
                h[j] = Math.max(acc, 0);
                expect += h[j] * h[j];
            }
            if (b < 4) {
                double sum = 0;
                for (int j = 0; j < n; j++) sum += Math.exp(Math.tanh(0.5 * h[j]));
                for (int j = 0; j < n; j++) {
                    expectT += Math.exp(Math.tanh(0.5 * h[j])) / sum * Math.exp(-1 / (1 + Math.exp(-h[j])))
                            + Math.log(h[j] + 0.5) + Math.log1p(h[j]) + Math.sin(h[j]) * Math.cos(h[j]);
                }
            }
        }
        assertEquals(expect, Float.intBitsToFloat(reference[0][0]), 1e-3 * Math.abs(expect));
        assertEquals(expectT, Float.intBitsToFloat(reference[2][0]), 1e-4 * Math.abs(expectT));
    }

    @Test
    void parallelModeRunsIndependentNodesOnSeveralThreads() {
        Tensor[] out = new Tensor[3];
        Graph g = branches(128, out);
        Tensor x = Tensors.of(random(128 * 128, 5), 128, 128);
        try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE).interOpThreads(3))) {
            Set<String> threads = Set.of();
            for (int i = 0; i < 10 && threads.size() < 2; i++) {
                RunMetadata md = s.runWithMetadata(List.of(out[1]), Map.of(g.tensor("x"), x), List.of()).metadata();
                threads = md.nodeStats().stream().map(RunMetadata.NodeStats::thread).collect(Collectors.toSet());
                String caller = Thread.currentThread().getName();
                assertTrue(threads.stream().allMatch(t -> t.startsWith("nabla-inter-op-") || t.equals(caller)),
                        threads.toString());
            }
            assertTrue(threads.size() >= 2, "independent branches ran on " + threads);
        }
        try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE).mode(ExecutionMode.SERIAL))) {
            RunMetadata md = s.runWithMetadata(List.of(out[1]), Map.of(g.tensor("x"), x), List.of()).metadata();
            assertEquals(Set.of(Thread.currentThread().getName()), md.nodeStats().stream()
                    .map(RunMetadata.NodeStats::thread).collect(Collectors.toSet()));
        }
    }

    @Test
    void aLongChainReleasesIntermediatesAsSoonAsTheyAreConsumed() {
        int n = 100_000;
        int steps = 40;
        Graph g = new Graph();
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(n));
            y = x;
            for (int i = 0; i < steps; i++) y = Ops.add(Ops.mul(y, 0.5f), 1f);
        }
        long tensorBytes = 4L * n;
        for (ExecutionMode mode : ExecutionMode.values()) {
            try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE).mode(mode))) {
                Session.Result r = s.runWithMetadata(List.of(y), Map.of(g.tensor("x"), new float[n]), List.of());
                float expect = 0;
                for (int i = 0; i < steps; i++) expect = expect * 0.5f + 1f;
                assertEquals(expect, r.get(0).toFloatArray()[n - 1]);
                long all = r.metadata().nodeStats().stream().mapToLong(RunMetadata.NodeStats::outputBytes).sum();
                assertTrue(all >= 2L * steps * tensorBytes, "all intermediates: " + all);
                long peak = r.metadata().peakBytes();
                assertTrue(peak >= tensorBytes && peak <= 3 * tensorBytes, mode + ": peak " + peak + " bytes for "
                        + tensorBytes + "-byte tensors (sum of all " + all + ")");
                assertEquals(2 * steps + 2 * steps, r.metadata().nodeStats().size()); // Mul, Add and two Consts
            }
        }
    }

    @Test
    void statsCoverEveryNodeWithItsDevice() {
        Graph g = new Graph();
        Tensor z;
        try (ExecutionContext.Scope s = g.asDefault()) {
            z = Ops.add(g.constant("a", 1f), g.constant("b", 2f));
        }
        try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE))) {
            Session.Result r = s.runWithMetadata(List.of(z), Map.of(), List.of());
            assertEquals(3f, r.get(0).floatValue());
            RunMetadata.NodeStats add = r.metadata().stats("Add");
            assertEquals("Add", add.op());
            assertEquals("/job:localhost/replica:0/task:0/device:CPU:0", add.device());
            assertEquals(4, add.outputBytes());
            assertTrue(add.durationNanos() >= 0 && add.startNanos() >= 0);
            assertEquals(3, r.metadata().nodeStats().size());
            // without metadata the run still works; an empty run returns at once
            assertEquals(3f, s.run(z).floatValue());
            assertTrue(s.run(List.of()).isEmpty());
        }
    }

    @Test
    void aFailingBranchStopsTheRunWithoutHanging() {
        Graph g = new Graph();
        Tensor ok;
        Tensor bad;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor a = g.placeholder("a", DType.FLOAT32, Shape.of(-1));
            ok = Ops.tanh(Ops.exp(a));
            bad = Ops.reshape(a, 3, 3);
        }
        for (ExecutionMode mode : ExecutionMode.values()) {
            try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE).mode(mode))) {
                IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class,
                        () -> s.run(List.of(ok, bad), Map.of(g.tensor("a"), new float[] {1, 2})));
                assertTrue(e.getMessage().contains("in node 'Reshape'"), e.getMessage());
                // the session is still usable
                assertEquals(1, s.run(List.of(ok), Map.of(g.tensor("a"), new float[] {0})).size());
            }
        }
    }
}
