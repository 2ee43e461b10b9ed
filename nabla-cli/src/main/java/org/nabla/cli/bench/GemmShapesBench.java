package org.nabla.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nabla.kernels.cpu.Gemm;

/**
 * {@code nabla bench --only gemm-shapes}: {@link Gemm#sgemm} on the exact products of the reference models' training
 * steps (the batch-32 mlp and one im2col tile of the batch-128 cnn) and on square sizes, into an existing C, in
 * GFLOP/s. There is no reference: this shows per shape where the GEMM stands against the machine's peak.
 */
public final class GemmShapesBench {
    /** The {@code --only} name of this benchmark. */
    public static final String GROUP = "gemm-shapes";

    /** One product C[m x n] (+)= op(A)[m x k] op(B)[k x n]; {@code beta} 1 accumulates as a weight gradient does. */
    record Shape(String name, boolean transA, boolean transB, int m, int n, int k, float beta) {}

    static final List<Shape> SHAPES = List.of(
            new Shape("mlp x·W1", false, false, 32, 128, 784, 0f),
            new Shape("mlp x^T·dh (dW1)", true, false, 784, 128, 32, 0f),
            new Shape("mlp h·W2", false, false, 32, 10, 128, 0f),
            new Shape("mlp h^T·dlogits (dW2)", true, false, 128, 10, 32, 0f),
            new Shape("mlp dlogits·W2^T (dh)", false, true, 32, 128, 10, 0f),
            new Shape("mlp batch 1000 x·W1", false, false, 1000, 128, 784, 0f),
            new Shape("cnn conv1 tile", false, false, 7281, 32, 9, 0f),
            new Shape("cnn conv2 tile", false, false, 227, 64, 288, 0f),
            new Shape("cnn conv2 dInput tile", false, true, 227, 288, 64, 0f),
            new Shape("cnn conv2 dFilter tile", true, false, 288, 64, 227, 1f),
            new Shape("square 64", false, false, 64, 64, 64, 0f),
            new Shape("square 128", false, false, 128, 128, 128, 0f),
            new Shape("square 256", false, false, 256, 256, 256, 0f),
            new Shape("square 512", false, false, 512, 512, 512, 0f),
            new Shape("square 1024", false, false, 1024, 1024, 1024, 0f));

    private static volatile Object sink;

    private GemmShapesBench() {}

    public static List<BenchResult> run(Timing.Plan plan) {
        List<BenchResult> out = new ArrayList<>();
        for (Shape s : SHAPES) out.add(measure(s, plan));
        return out;
    }

    static BenchResult measure(Shape s, Timing.Plan plan) {
        Random rnd = new Random(s.m() * 31L + s.n() * 7L + s.k());
        int lda = s.transA() ? s.m() : s.k(), ldb = s.transB() ? s.k() : s.n();
        float[] a = random(rnd, s.m() * s.k());
        float[] b = random(rnd, s.k() * s.n());
        float[] c = new float[s.m() * s.n()];
        double t = Timing.bestSeconds(plan, () -> {
            Gemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, lda, b, 0, ldb, s.beta(), c, 0, s.n());
            sink = c;
        });
        String key = "gemm_" + (s.transA() ? "t" : "n") + (s.transB() ? "t" : "n") + "_" + s.m() + "x" + s.n() + "x"
                + s.k();
        String desc = s.name() + " (" + (s.transA() ? "A^T" : "A") + (s.transB() ? "·B^T" : "·B") + ", m=" + s.m()
                + " n=" + s.n() + " k=" + s.k() + ")";
        return new BenchResult(key, desc, "GFLOP/s", true, 2.0 * s.m() * s.n() * s.k() / t / 1e9, Double.NaN, "",
                String.format("%.1f us", t * 1e6));
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }
}
