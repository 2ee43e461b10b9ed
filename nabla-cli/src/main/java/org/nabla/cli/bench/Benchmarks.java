package org.nabla.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.TensorScope;
import org.nabla.Tensors;
import org.nabla.kernels.cpu.Parallel;
import org.nabla.ops.AttrDef;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpRegistry;

/** The Java side of {@code nabla bench}: each benchmark runs public ops eagerly, as a user would. */
public final class Benchmarks {
    /** Benchmark groups, in report order; {@code --only} takes a comma-separated subset. */
    public static final List<String> GROUPS = List.of("sgemm", "conv2d", "add", "add-dram", "scoped", "dispatch");
    /** The sgemm size the scoped group repeats (where allocating the result costs most, relatively). */
    static final int SCOPED_SGEMM_SIZE = 256;
    public static final int[] SGEMM_SIZES = {256, 512, 1024, 2048};
    /** Conv2D problem: NHWC input [N, H, W, C], HWIO filter [KH, KW, C, OUT], SAME padding, stride 1. */
    static final int CONV_N = 128, CONV_H = 28, CONV_W = 28, CONV_C = 32, CONV_K = 3, CONV_OUT = 64;
    static final int ADD_SIZE = 1 << 20;

    /** Keeps results reachable so the JIT cannot drop the work. */
    private static volatile Object sink;

    private Benchmarks() {}

    /** Runs the selected groups and returns one row per measurement. */
    public static List<BenchResult> run(Set<String> groups, Timing.Plan plan) {
        List<BenchResult> out = new ArrayList<>();
        if (groups.contains("sgemm")) for (int n : SGEMM_SIZES) out.add(sgemm(n, plan));
        if (groups.contains("conv2d")) out.add(conv2d(plan));
        if (groups.contains("add")) out.add(add(plan));
        if (groups.contains("add-dram")) out.add(addDram(plan));
        if (groups.contains("scoped")) {
            out.add(scopedAdd(plan));
            out.add(scopedSgemm(plan));
        }
        if (groups.contains("dispatch")) out.add(dispatch(plan));
        return out;
    }

    /** Square float32 matmul through Ops.matmul (output allocation included), in GFLOP/s. */
    static BenchResult sgemm(int n, Timing.Plan plan) {
        Tensor a = randomFloats(new Random(n), n, n);
        Tensor b = randomFloats(new Random(n + 1), n, n);
        double t = Timing.bestSeconds(plan, () -> sink = Ops.matmul(a, b));
        return new BenchResult("sgemm_" + n, "sgemm n=" + n, "GFLOP/s", true, 2.0 * n * n * n / t / 1e9,
                Double.NaN, "", "");
    }

    /**
     * Conv2D looked up by name, so this benchmark builds before the op exists; "n/a" when the op or its float32
     * CPU kernel is missing. Only the attributes the op declares are passed.
     */
    static BenchResult conv2d(Timing.Plan plan) {
        String desc = "conv2d " + CONV_N + "x" + CONV_H + "x" + CONV_W + "x" + CONV_C + " * " + CONV_K + "x" + CONV_K
                + "x" + CONV_C + "x" + CONV_OUT + " NHWC SAME";
        double flops = 2.0 * CONV_N * CONV_H * CONV_W * CONV_K * CONV_K * CONV_C * CONV_OUT;
        if (!OpRegistry.contains("Conv2D")) {
            return new BenchResult("conv2d", desc, "GFLOP/s", true, Double.NaN, Double.NaN, "", "no Conv2D op");
        }
        OpDef op = OpRegistry.get("Conv2D");
        Map<String, Object> wanted = new LinkedHashMap<>();
        wanted.put("strides", new int[] {1, 1});
        wanted.put("padding", "SAME");
        wanted.put("dilations", new int[] {1, 1});
        wanted.put("groups", 1);
        wanted.put("dataFormat", "NHWC");
        List<Object> pairs = new ArrayList<>();
        for (AttrDef def : op.attrs()) {
            if (wanted.containsKey(def.name())) {
                pairs.add(def.name());
                pairs.add(wanted.get(def.name()));
            }
        }
        Attrs attrs = Attrs.of(pairs.toArray());
        Tensor input = randomFloats(new Random(3), CONV_N, CONV_H, CONV_W, CONV_C);
        Tensor filter = randomFloats(new Random(4), CONV_K, CONV_K, CONV_C, CONV_OUT);
        try {
            double t = Timing.bestSeconds(plan, () -> sink = Ops.run(op, attrs, input, filter));
            return new BenchResult("conv2d", desc, "GFLOP/s", true, flops / t / 1e9, Double.NaN, "", "");
        } catch (RuntimeException e) {
            return new BenchResult("conv2d", desc, "GFLOP/s", true, Double.NaN, Double.NaN, "",
                    "Conv2D failed: " + e.getMessage());
        }
    }

    /** Elementwise float32 add of two 1M-element vectors, in GB/s counting 3 * 4 bytes per element. */
    static BenchResult add(Timing.Plan plan) {
        Tensor a = randomFloats(new Random(5), ADD_SIZE);
        Tensor b = randomFloats(new Random(6), ADD_SIZE);
        double t = Timing.bestSeconds(plan, () -> sink = Ops.add(a, b));
        return new BenchResult("add", "add 1M float32", "GB/s", true, 3.0 * 4 * ADD_SIZE / t / 1e9, Double.NaN, "",
                "");
    }

    /**
     * The same add on vectors far larger than the caches (64M elements, 16M with --quick): bound by memory bandwidth,
     * the yardstick issue 2 sets for elementwise ops.
     */
    static BenchResult addDram(Timing.Plan plan) {
        int n = dramAddSize(plan == Timing.Plan.QUICK);
        Tensor a = randomFloats(new Random(7), n);
        Tensor b = randomFloats(new Random(8), n);
        double t = Timing.bestSeconds(plan, () -> sink = Ops.add(a, b));
        sink = null;
        return new BenchResult("add_dram", "add " + (n >> 20) + "M float32 (DRAM-bound)", "GB/s", true,
                3.0 * 4 * n / t / 1e9, Double.NaN, "", "");
    }

    /**
     * The 1M add with each call in its own {@link TensorScope}, as an eager loop whose steps release their results:
     * the next result reuses the released buffer while it is still in the caches (NumPy reuses freed blocks alike).
     */
    static BenchResult scopedAdd(Timing.Plan plan) {
        Tensor a = randomFloats(new Random(5), ADD_SIZE);
        Tensor b = randomFloats(new Random(6), ADD_SIZE);
        double t = Timing.bestSeconds(plan, () -> {
            try (TensorScope scope = TensorScope.open()) {
                sink = Ops.add(a, b);
            }
        });
        return new BenchResult("add_scoped", "add 1M float32, one TensorScope per call", "GB/s", true,
                3.0 * 4 * ADD_SIZE / t / 1e9, Double.NaN, "", "");
    }

    /** sgemm n=256 with each call in its own {@link TensorScope} (see {@link #scopedAdd}). */
    static BenchResult scopedSgemm(Timing.Plan plan) {
        int n = SCOPED_SGEMM_SIZE;
        Tensor a = randomFloats(new Random(n), n, n);
        Tensor b = randomFloats(new Random(n + 1), n, n);
        double t = Timing.bestSeconds(plan, () -> {
            try (TensorScope scope = TensorScope.open()) {
                sink = Ops.matmul(a, b);
            }
        });
        return new BenchResult("sgemm_" + n + "_scoped", "sgemm n=" + n + ", one TensorScope per call", "GFLOP/s",
                true, 2.0 * n * n * n / t / 1e9, Double.NaN, "", "");
    }

    static int dramAddSize(boolean quick) { return quick ? 16 << 20 : 64 << 20; }

    /** Eager dispatch overhead: one-element float32 add, in microseconds per call (lower is better). */
    static BenchResult dispatch(Timing.Plan plan) {
        Tensor a = Tensors.of(new float[] {1f}, 1);
        Tensor b = Tensors.of(new float[] {2f}, 1);
        double t = Timing.bestSeconds(plan, () -> sink = Ops.add(a, b));
        return new BenchResult("dispatch", "eager add of 1 float32", "us/op", false, t * 1e6, Double.NaN, "", "");
    }

    /**
     * Threads the CPU kernels split large work across ({@code -Dnabla.threads}, default all cores). Read here because
     * this package is the only part of the cli allowed to reach into the kernels (ArchitectureTest).
     */
    public static int kernelThreads() { return Parallel.THREADS; }

    /** CPU model, cores used by kernels, vector width and Java version, for the report header. */
    public static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            cpu = System.getProperty("os.arch");
        }
        return cpu + ", " + kernelThreads() + " kernel threads, "
                + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors, Java "
                + Runtime.version();
    }

    static Tensor randomFloats(Random rnd, int... shape) {
        long size = 1;
        for (int d : shape) size *= d;
        float[] x = new float[Math.toIntExact(size)];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return Tensors.of(x, shape);
    }
}
