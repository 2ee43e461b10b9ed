package org.nabla.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.ResourceManager;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.device.CpuDevice;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * The executor's recycling of result buffers by liveness ({@link FrameBuffers}): results equal bit for bit those of
 * fresh memory, fetched values and variable values are never overwritten by later nodes or runs, and buffers do come
 * back (so the comparisons are not between two unrecycled runs).
 */
class BufferReuseTest {
    private static final int ROWS = 64;
    private static final int COLS = 96; // 64 x 96 floats = 24 KB: above the pool's 16 KB floor

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    private static int[] bits(Tensor t) {
        float[] f = t.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]);
        return b;
    }

    /** Builds something with recycling switched on or off (the executors read the switch when they are built). */
    private static <T> T withRecycling(boolean on, Supplier<T> build) {
        String old = System.getProperty("nabla.graphBufferReuse");
        System.setProperty("nabla.graphBufferReuse", Boolean.toString(on));
        try {
            return build.get();
        } finally {
            if (old == null) System.clearProperty("nabla.graphBufferReuse");
            else System.setProperty("nabla.graphBufferReuse", old);
        }
    }

    /**
     * A random chain of element-wise ops, matrix products, views (reshape, transpose twice, identity) and values used
     * twice over one [64, 96] placeholder; fetches three random values, intermediates included.
     */
    private static Graph randomGraph(long seed, List<Tensor> fetches) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(ROWS, COLS));
            Tensor w = g.constant("w", Tensors.of(random(COLS * COLS, seed), COLS, COLS));
            List<Tensor> values = new ArrayList<>(List.of(x));
            for (int i = 0; i < 24; i++) {
                Tensor a = values.get(r.nextInt(values.size()));
                Tensor b = values.get(r.nextInt(values.size()));
                Tensor y = switch (r.nextInt(9)) {
                    case 0 -> Ops.add(a, b);
                    case 1 -> Ops.mul(a, b);
                    case 2 -> Ops.relu(a);
                    case 3 -> Ops.mul(Ops.matmul(a, w), 0.05f);
                    case 4 -> Ops.reshape(Ops.neg(Ops.reshape(a, COLS, ROWS)), ROWS, COLS);
                    case 5 -> Ops.transpose(Ops.transpose(a, 1, 0), 1, 0);
                    case 6 -> Ops.identity(a);
                    case 7 -> Ops.sub(a, Ops.maximum(a, b));
                    default -> Ops.add(a, a);
                };
                values.add(y);
            }
            for (int k = 0; k < 3; k++) fetches.add(values.get(1 + r.nextInt(values.size() - 1)));
        }
        return g;
    }

    @Test
    void randomGraphsGiveTheBitsOfFreshMemoryAndFetchesSurviveLaterRuns() {
        for (long seed = 0; seed < 12; seed++) {
            for (ExecutionMode mode : ExecutionMode.values()) {
                int[][][] expected = run(seed, mode, false);
                int[][][] got = run(seed, mode, true);
                for (int step = 0; step < expected.length; step++) {
                    for (int k = 0; k < expected[step].length; k++) {
                        assertArrayEquals(expected[step][k], got[step][k], "seed " + seed + " " + mode + " step "
                                + step + " fetch " + k);
                    }
                }
            }
        }
    }

    /**
     * Four runs of {@link #randomGraph} on different inputs; the bits of each run's fetches, read after the last run
     * (a fetched value a later run overwrote would show).
     */
    private static int[][][] run(long seed, ExecutionMode mode, boolean recycle) {
        List<Tensor> fetches = new ArrayList<>();
        Graph g = randomGraph(seed, fetches);
        List<List<Tensor>> results = new ArrayList<>();
        withRecycling(recycle, () -> {
            try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE)
                    .mode(mode))) {
                for (int step = 0; step < 4; step++) {
                    Tensor x = Tensors.of(random(ROWS * COLS, 100 + step), ROWS, COLS);
                    results.add(s.run(fetches, Map.of(g.tensor("x"), x)));
                }
            }
            return null;
        });
        int[][][] out = new int[results.size()][][];
        for (int step = 0; step < out.length; step++) {
            out[step] = results.get(step).stream().map(BufferReuseTest::bits).toArray(int[][]::new);
        }
        return out;
    }

    @Test
    void buffersComeBackOnlyWhenRecycling() {
        for (boolean on : new boolean[] {true, false}) {
            Graph g = new Graph();
            Output y;
            try (ExecutionContext.Scope s = g.asDefault()) {
                Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(ROWS, COLS));
                y = (Output) Ops.sum(Ops.neg(Ops.neg(Ops.relu(x)))).symbol();
            }
            Output x = g.tensor("x").symbol() instanceof Output o ? o : null;
            Plan plan = withRecycling(on, () -> Plan.prepare(g, List.of(x), List.of(y), List.of(),
                    List.of(CpuDevice.of(0)), SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE)));
            Tensor value = Tensors.of(random(ROWS * COLS, 7), ROWS, COLS);
            plan.run(1, new Tensor[] {value}, new ResourceManager(), new LocalRendezvous(), ExecutionMode.SERIAL);
            if (on) assertTrue(plan.pooledBytes() > 0, "the dead intermediates went back to the pool");
            else assertEquals(0, plan.pooledBytes());
        }
    }

    @Test
    void variableValuesAndFetchesAreNeverRecycled() {
        Graph g = new Graph();
        Variable v = Variables.create(g, "kept", new float[ROWS * COLS]);
        Node init = Variables.globalVariablesInitializer(g);
        Tensor h;
        Tensor assign;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(ROWS, COLS));
            Tensor w = g.constant("w", Tensors.of(random(COLS * COLS, 3), COLS, COLS));
            h = Ops.relu(Ops.matmul(x, w));
            // the assigned value is an intermediate whose buffer would otherwise die with the step
            assign = v.assign(Ops.reshape(Ops.mul(h, 2f), ROWS * COLS));
            h = Ops.neg(Ops.neg(h)); // more dead intermediates of the same size after the assignment
        }
        Tensor read = Variables.read(g, v);
        try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE)
                .mode(ExecutionMode.DETERMINISTIC))) {
            s.runner().addTarget(init).run();
            List<int[]> fetched = new ArrayList<>();
            List<Tensor> fetchedTensors = new ArrayList<>();
            List<int[]> variable = new ArrayList<>();
            for (int step = 0; step < 4; step++) {
                Tensor x = Tensors.of(random(ROWS * COLS, 200 + step), ROWS, COLS);
                Tensor got = s.runner().feed(g.tensor("x"), x).fetch(h).addTarget(assign).run().get(0);
                fetchedTensors.add(got);
                fetched.add(bits(got));
                Tensor value = s.run(read);
                variable.add(bits(value));
                float[] expect = got.toFloatArray();
                float[] stored = value.toFloatArray();
                for (int i = 0; i < expect.length; i++) assertEquals(2 * expect[i], stored[i], "step " + step);
            }
            for (int step = 0; step < 4; step++) {
                assertArrayEquals(fetched.get(step), bits(fetchedTensors.get(step)), "fetch of step " + step);
            }
            assertArrayEquals(variable.get(3), bits(s.run(read)), "the variable after the last step");
        }
    }

    /**
     * AssignAdd/AssignSub compute the new value inside their kernel (into frame memory); that buffer becomes the
     * variable's value and must never go back to the pool, whether or not the node's output is read.
     */
    @Test
    void valuesComputedInsideUpdateKernelsAreNeverRecycled() {
        for (boolean readOutput : new boolean[] {false, true}) {
            Graph g = new Graph();
            Variable v = Variables.create(g, "acc", new float[ROWS * COLS]);
            Node init = Variables.globalVariablesInitializer(g);
            Tensor h;
            Tensor update;
            try (ExecutionContext.Scope s = g.asDefault()) {
                Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(ROWS * COLS));
                update = v.assignAdd(x);
                Tensor after = readOutput ? Ops.neg(update) : Ops.neg(x);
                h = Ops.neg(Ops.add(after, Ops.neg(Ops.neg(x)))); // dead intermediates of the same size
            }
            Tensor read = Variables.read(g, v);
            try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE)
                    .mode(ExecutionMode.DETERMINISTIC))) {
                s.runner().addTarget(init).run();
                float[] expect = new float[ROWS * COLS];
                for (int step = 0; step < 4; step++) {
                    float[] xs = random(ROWS * COLS, 300 + step);
                    for (int i = 0; i < xs.length; i++) expect[i] += xs[i];
                    s.runner().feed(g.tensor("x"), Tensors.of(xs, ROWS * COLS)).fetch(h).addTarget(update).run();
                    assertArrayEquals(expect, s.run(read).toFloatArray(), 0f, "step " + step + " read " + readOutput);
                }
            }
        }
    }

    /**
     * A plain SGD update (fused into ApplyGradientDescent by the optimizer) writes the weight in place once its
     * readers ran (the executor orders them first); a read of the weight that the run fetches is copied instead, so
     * fetched values keep their bits.
     */
    @Test
    void sgdUpdatesRunInPlaceAndFetchedReadsKeepTheirBits() {
        for (boolean fetchRead : new boolean[] {false, true}) {
            Graph g = new Graph();
            Variable w = Variables.create(g, "w", Tensors.of(random(ROWS * COLS, 5), ROWS, COLS));
            Node init = Variables.globalVariablesInitializer(g);
            Tensor r = Variables.read(g, w);
            Tensor h;
            Tensor update;
            try (ExecutionContext.Scope s = g.asDefault()) {
                Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(ROWS, COLS));
                h = Ops.mul(r, 2f);
                update = w.assignSub(Ops.mul(x, 0.25f));
            }
            try (Session s = new Session(g, SessionOptions.defaults().mode(ExecutionMode.DETERMINISTIC))) {
                s.runner().addTarget(init).run();
                float[] expect = random(ROWS * COLS, 5);
                List<Tensor> reads = new ArrayList<>();
                List<float[]> readValues = new ArrayList<>();
                long inPlace0 = s.resources().inPlaceUpdates();
                for (int step = 0; step < 5; step++) {
                    float[] xs = random(ROWS * COLS, 400 + step);
                    Runner run = s.runner().feed(g.tensor("x"), Tensors.of(xs, ROWS, COLS)).fetch(h)
                            .addTarget(update);
                    if (fetchRead) run.fetch(r);
                    List<Tensor> got = run.run();
                    float[] doubled = got.get(0).toFloatArray();
                    for (int i = 0; i < expect.length; i++) assertEquals(2 * expect[i], doubled[i], "step " + step);
                    if (fetchRead) {
                        reads.add(got.get(1));
                        readValues.add(expect.clone());
                    }
                    for (int i = 0; i < expect.length; i++) expect[i] -= xs[i] * 0.25f;
                }
                assertArrayEquals(expect, s.run(Variables.read(g, w)).toFloatArray(), 0f, "fetch read " + fetchRead);
                for (int k = 0; k < reads.size(); k++) {
                    assertArrayEquals(readValues.get(k), reads.get(k).toFloatArray(), 0f, "fetched read " + k);
                }
                long inPlace = s.resources().inPlaceUpdates() - inPlace0;
                if (fetchRead) assertEquals(0, inPlace, "a fetched read is never written over");
                else assertTrue(inPlace >= 4, "updates after the first copy run in place, got " + inPlace);
            }
        }
    }

    @Test
    void loopAndCondBodiesGiveTheBitsOfFreshMemory() {
        int[][] fresh = loopAndCond(false);
        int[][] recycled = loopAndCond(true);
        for (int k = 0; k < fresh.length; k++) assertArrayEquals(fresh[k], recycled[k], "output " + k);
    }

    private static int[][] loopAndCond(boolean recycle) {
        return withRecycling(recycle, () -> {
            Graph g = new Graph();
            Tensor loop;
            Tensor branch;
            Tensor p;
            try (ExecutionContext.Scope s = g.asDefault()) {
                p = g.placeholder("p", DType.BOOL, Shape.SCALAR);
                Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(ROWS, COLS));
                Tensor w = g.constant("w", Tensors.of(random(COLS * COLS, 5), COLS, COLS));
                Tensor[] out = Ops.whileLoop(v -> v[0].less(4), v -> new Tensor[] {v[0].add(1),
                        Ops.add(Ops.relu(Ops.mul(Ops.matmul(v[1], w), 0.1f)), Ops.neg(v[1]))},
                        new Tensor[] {Tensors.scalar(0), x});
                loop = out[1];
                branch = Ops.cond(p, () -> Ops.neg(Ops.relu(Ops.matmul(x, w))), () -> Ops.mul(x, 2f));
            }
            Tensor x = Tensors.of(random(ROWS * COLS, 9), ROWS, COLS);
            List<int[]> bits = new ArrayList<>();
            try (Session s = new Session(g)) {
                for (boolean which : new boolean[] {true, false, true}) {
                    List<Tensor> r = s.run(List.of(loop, branch), Map.of(p, which, g.tensor("x"), x));
                    bits.add(bits(r.get(0)));
                    bits.add(bits(r.get(1)));
                }
            }
            return bits.toArray(int[][]::new);
        });
    }
}
