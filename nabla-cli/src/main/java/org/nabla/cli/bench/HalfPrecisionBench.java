package org.nabla.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.DTypePolicy;
import org.nabla.nn.ReferenceModels;
import org.nabla.nn.Sequential;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.Adam;
import org.nabla.nn.optimizers.LossScaleOptimizer;

/**
 * {@code nabla bench --only half}: the cost of 16-bit floats on the CPU, where their kernels widen to float32 and round
 * back. Square eager matmuls (256, 512, 1024) in float16 and bfloat16 against float32, and the reference mlp's traced
 * training step ({@code trainOnBatch}, batch 32) under mixed_float16 (with loss scaling) and mixed_bfloat16 against
 * float32. The dtypes of one row alternate in short blocks, each keeping its best block, so that they see the same
 * machine load; the ratio is the 16-bit rate over the float32 rate.
 */
public final class HalfPrecisionBench {
    /** The {@code --only} name of this benchmark. */
    public static final String GROUP = "half";

    private static volatile Object sink;

    private HalfPrecisionBench() {}

    public static List<BenchResult> run(Timing.Plan plan) {
        List<BenchResult> out = new ArrayList<>();
        for (int n : new int[] {256, 512, 1024}) {
            Tensor a32 = Ops.randomUniform(new int[] {n, n}, DType.FLOAT32, -1, 1, 1);
            Tensor b32 = Ops.randomUniform(new int[] {n, n}, DType.FLOAT32, -1, 1, 2);
            List<Runnable> steps = new ArrayList<>();
            steps.add(() -> sink = Ops.matmul(a32, b32));
            for (DType d : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
                Tensor a = Ops.cast(a32, d), b = Ops.cast(b32, d);
                steps.add(() -> sink = Ops.matmul(a, b));
            }
            double[] best = alternate(steps, plan);
            double flops = 2.0 * n * n * n;
            out.add(new BenchResult("matmul_f32_" + n, "matmul " + n + "x" + n + " float32", "GFLOP/s", true,
                    flops / best[0] / 1e9, Double.NaN, "", ""));
            out.add(new BenchResult("matmul_f16_" + n, "matmul " + n + "x" + n + " float16", "GFLOP/s", true,
                    flops / best[1] / 1e9, flops / best[0] / 1e9, "float32", ""));
            out.add(new BenchResult("matmul_bf16_" + n, "matmul " + n + "x" + n + " bfloat16", "GFLOP/s", true,
                    flops / best[2] / 1e9, flops / best[0] / 1e9, "float32", ""));
        }
        Tensor[] batch = TrainStepBench.batch(7);
        Tensor x = Ops.reshape(batch[0], TrainStepBench.BATCH, 28, 28, 1);
        List<Runnable> steps = new ArrayList<>();
        for (DTypePolicy p : new DTypePolicy[] {DTypePolicy.FLOAT32, DTypePolicy.MIXED_FLOAT16,
                DTypePolicy.MIXED_BFLOAT16}) {
            Sequential m = mlp(p);
            steps.add(() -> sink = m.trainOnBatch(x, batch[1]));
        }
        double[] best = alternate(steps, plan);
        String desc = "mlp trainOnBatch (traced, Adam, batch 32) ";
        out.add(new BenchResult("mlp_step_f32", desc + "float32", "steps/s", true, 1 / best[0], Double.NaN, "", ""));
        out.add(new BenchResult("mlp_step_mixed_f16", desc + "mixed_float16 + loss scaling", "steps/s", true,
                1 / best[1], 1 / best[0], "float32", ""));
        out.add(new BenchResult("mlp_step_mixed_bf16", desc + "mixed_bfloat16", "steps/s", true, 1 / best[2],
                1 / best[0], "float32", ""));
        return out;
    }

    /** The reference mlp with every layer under {@code policy}; mixed_float16 trains through a LossScaleOptimizer. */
    private static Sequential mlp(DTypePolicy policy) {
        DTypePolicy previous = DTypePolicy.global();
        DTypePolicy.setGlobal(policy);
        try {
            Sequential m = ReferenceModels.mlp(42);
            Adam adam = new Adam(1e-3);
            boolean scale = policy.computeDType() == DType.FLOAT16;
            m.compile(scale ? new LossScaleOptimizer(adam) : adam, Losses.sparseCategoricalCrossentropy(true),
                    "accuracy");
            return m;
        } finally {
            DTypePolicy.setGlobal(previous);
        }
    }

    /** Seconds per call of each step: warmed up, then short blocks in turn, each step keeping its best block. */
    static double[] alternate(List<Runnable> steps, Timing.Plan plan) {
        for (Runnable s : steps) Timing.bestSeconds(new Timing.Plan(plan.warmupSeconds(), 1, 0.01), s);
        int[] calls = new int[steps.size()];
        for (int i = 0; i < calls.length; i++) {
            long t0 = System.nanoTime();
            steps.get(i).run();
            double one = Math.max(1e-6, (System.nanoTime() - t0) / 1e9);
            calls[i] = Math.max(1, (int) (plan.minRepSeconds() / 2 / one));
        }
        double[] best = new double[steps.size()];
        Arrays.fill(best, Double.MAX_VALUE);
        for (int r = 0; r < plan.reps() * 2; r++) {
            for (int i = 0; i < steps.size(); i++) {
                long t0 = System.nanoTime();
                for (int c = 0; c < calls[i]; c++) steps.get(i).run();
                best[i] = Math.min(best[i], (System.nanoTime() - t0) / 1e9 / calls[i]);
            }
        }
        return best;
    }
}
