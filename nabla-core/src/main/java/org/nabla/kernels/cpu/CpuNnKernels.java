package org.nabla.kernels.cpu;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.Kernel;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.NnOps;

/**
 * CPU kernels for {@link NnOps}, float32 and float64 (MaxPool also int32 and uint8). This class registers them all
 * and holds the elementwise activations; convolution ({@link NnConvolution}), pooling ({@link NnPooling}) and the
 * row-wise ops (softmax, losses, bias add, batch norm, dropout: {@link NnRows}) live beside it.
 */
public final class CpuNnKernels {
    private CpuNnKernels() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final List<DType> FLOATS = List.of(DType.FLOAT32, DType.FLOAT64);
    /** Elements per parallel chunk for elementwise work (transcendental functions cost ~10 ns each). */
    static final int GRAIN = 1 << 14;

    /** The elementwise activations; GELU_TANH is Gelu with approximate=true. */
    enum Act { RELU, RELU6, LEAKY_RELU, ELU, SELU, GELU, GELU_TANH, SIGMOID, SOFTPLUS }

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(NnOps.RELU, cpu, FLOATS, activation(Act.RELU));
        r.register(NnOps.RELU6, cpu, FLOATS, activation(Act.RELU6));
        r.register(NnOps.LEAKY_RELU, cpu, FLOATS, activation(Act.LEAKY_RELU));
        r.register(NnOps.ELU, cpu, FLOATS, activation(Act.ELU));
        r.register(NnOps.SELU, cpu, FLOATS, activation(Act.SELU));
        r.register(NnOps.GELU, cpu, FLOATS, activation(Act.GELU));
        r.register(NnOps.SIGMOID, cpu, FLOATS, activation(Act.SIGMOID));
        r.register(NnOps.SOFTPLUS, cpu, FLOATS, activation(Act.SOFTPLUS));
        r.register(NnOps.SOFTMAX, cpu, FLOATS, ctx -> NnRows.softmax(ctx, false));
        r.register(NnOps.LOG_SOFTMAX, cpu, FLOATS, ctx -> NnRows.softmax(ctx, true));
        r.register(NnOps.BIAS_ADD, cpu, FLOATS, ctx -> NnRows.biasAdd(ctx.input(0), ctx.input(1),
                NnOps.dataFormat("BiasAdd", ctx.attrs()).equals("NCHW")));
        r.register(NnOps.BATCH_NORM_INFERENCE, cpu, FLOATS, ctx -> NnRows.batchNorm(ctx.inputs(),
                ctx.attrs().getDouble("epsilon"), NnOps.dataFormat("BatchNormInference", ctx.attrs()).equals("NCHW")));
        r.register(NnOps.DROPOUT, cpu, FLOATS, ctx -> NnRows.dropout(ctx.input(0), ctx.attrs().getDouble("rate"),
                ctx.attrs().getLong("seed")));
        r.register(NnOps.SOFTMAX_CROSS_ENTROPY, cpu, FLOATS, ctx ->
                NnRows.crossEntropy(ctx.input(0), ctx.input(1), false));
        r.register(NnOps.SPARSE_SOFTMAX_CROSS_ENTROPY, cpu, FLOATS,
                ctx -> NnRows.crossEntropy(ctx.input(0), ctx.input(1), true));
        r.register(NnOps.MEAN_SQUARED_ERROR, cpu, FLOATS, ctx -> NnRows.meanSquaredError(ctx.input(0), ctx.input(1),
                ctx.outputSpec(0)));
        r.register(NnOps.CONV2D, cpu, FLOATS, NnConvolution::conv2d);
        r.register(NnOps.MAX_POOL2D, cpu, FLOATS, NnPooling::maxPool);
        r.register(NnOps.AVG_POOL2D, cpu, FLOATS, NnPooling::avgPool);
        r.register(NnOps.MAX_POOL, cpu, List.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.UINT8),
                NnPooling::maxPool);
        r.register(NnOps.AVG_POOL, cpu, FLOATS, NnPooling::avgPool);
    }

    // ---------------------------------------------------------------- activations

    private static Kernel activation(Act act) {
        return ctx -> {
            Act k = act == Act.GELU && ctx.attrs().getBool("approximate") ? Act.GELU_TANH : act;
            double alpha = ctx.attrs().has("alpha") ? ctx.attrs().getDouble("alpha") : 0;
            Tensor x = ctx.input(0);
            int n = x.shape().intSize();
            if (x.dtype() == DType.FLOAT32) {
                float[] src = (float[]) x.data();
                float[] dst = ctx.allocateFloats(n);
                Parallel.forRange(n, GRAIN, (from, to) -> applyFloat(k, (float) alpha, src, dst, from, to));
                return new Tensor[] {Tensor.wrap(DType.FLOAT32, x.shape(), dst)};
            }
            double[] src = (double[]) x.data();
            double[] dst = ctx.allocateDoubles(n);
            Parallel.forRange(n, GRAIN, (from, to) -> applyDouble(k, alpha, src, dst, from, to));
            return new Tensor[] {Tensor.wrap(DType.FLOAT64, x.shape(), dst)};
        };
    }

    /** float32 activations: the cheap ones and sigmoid vectorized, the rest through the float64 formulas. */
    private static void applyFloat(Act k, float alpha, float[] x, float[] y, int from, int to) {
        int i = from;
        int bound = from + F.loopBound(to - from);
        switch (k) { // one loop per case: no per-element dispatch
            case RELU -> {
                for (; i < bound; i += F.length()) FloatVector.fromArray(F, x, i).max(0f).intoArray(y, i);
                for (; i < to; i++) y[i] = (float) relu(x[i]);
            }
            case RELU6 -> {
                for (; i < bound; i += F.length()) FloatVector.fromArray(F, x, i).max(0f).min(6f).intoArray(y, i);
                for (; i < to; i++) y[i] = (float) relu6(x[i]);
            }
            case LEAKY_RELU -> {
                for (; i < bound; i += F.length()) {
                    FloatVector v = FloatVector.fromArray(F, x, i);
                    v.mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
                }
                for (; i < to; i++) y[i] = x[i] > 0 ? x[i] : alpha * x[i];
            }
            case SIGMOID -> {
                // exp of -|x| only (never overflows), JIT-independent bits, masked last vector: no scalar tail
                VectorMath.sigmoid(x, i, y, i, to - i);
            }
            case ELU -> { for (; i < to; i++) y[i] = (float) elu(alpha, x[i]); }
            case SELU -> { for (; i < to; i++) y[i] = (float) selu(x[i]); }
            case GELU -> { for (; i < to; i++) y[i] = (float) gelu(x[i]); }
            case GELU_TANH -> { for (; i < to; i++) y[i] = (float) geluTanh(x[i]); }
            case SOFTPLUS -> { for (; i < to; i++) y[i] = (float) softplus(x[i]); }
        }
    }

    private static void applyDouble(Act k, double alpha, double[] x, double[] y, int from, int to) {
        switch (k) {
            case RELU -> { for (int i = from; i < to; i++) y[i] = relu(x[i]); }
            case RELU6 -> { for (int i = from; i < to; i++) y[i] = relu6(x[i]); }
            case LEAKY_RELU -> { for (int i = from; i < to; i++) y[i] = x[i] > 0 ? x[i] : alpha * x[i]; }
            case ELU -> { for (int i = from; i < to; i++) y[i] = elu(alpha, x[i]); }
            case SELU -> { for (int i = from; i < to; i++) y[i] = selu(x[i]); }
            case GELU -> { for (int i = from; i < to; i++) y[i] = gelu(x[i]); }
            case GELU_TANH -> { for (int i = from; i < to; i++) y[i] = geluTanh(x[i]); }
            case SIGMOID -> { for (int i = from; i < to; i++) y[i] = sigmoid(x[i]); }
            case SOFTPLUS -> { for (int i = from; i < to; i++) y[i] = softplus(x[i]); }
        }
    }

    // The formulas, in float64 for both dtypes. NaN passes through every one of them.

    private static double relu(double x) { return x > 0 ? x : (x == x ? 0 : x); }

    private static double relu6(double x) { return x > 0 ? Math.min(x, 6) : (x == x ? 0 : x); }

    private static double elu(double alpha, double x) { return x > 0 ? x : alpha * Math.expm1(x); }

    private static double selu(double x) {
        return x > 0 ? NnOps.SELU_SCALE * x : NnOps.SELU_SCALE * NnOps.SELU_ALPHA * Math.expm1(x);
    }

    /** x * Phi(x); for x < 0 through erfc so the tail keeps its relative accuracy (no 1 + erf cancellation). */
    private static double gelu(double x) {
        return x >= 0 ? 0.5 * x * (1 + erf(x * SQRT_HALF)) : 0.5 * x * erfcPositive(-x * SQRT_HALF);
    }

    private static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
    }

    /** exp only of -|x|, so nothing overflows for large |x|. */
    private static double sigmoid(double x) {
        double e = Math.exp(-Math.abs(x));
        return x >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    /** log(1 + exp(x)) = log1p(exp(-|x|)) + max(x, 0). */
    private static double softplus(double x) { return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0); }

    // ---------------------------------------------------------------- erf (float64 accurate, for Gelu)

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

    // erf on [0, 0.5): a * Q(a^2), Q's Maclaurin coefficients 2/sqrt(pi) (-1)^n / (n! (2n + 1)).
    private static final double[] SMALL = new double[14];
    // erf and erfc on [0.5, 4): Taylor polynomials of degree TAYLOR_DEGREE around the centres of intervals of
    // width TABLE_STEP, derived at class load from erf^(n)(c) = 2/sqrt(pi) (-1)^(n-1) H_(n-1)(c) exp(-c^2) and the
    // slow but accurate series / continued fraction for the constant terms. Beyond 4 the continued fraction is short.
    private static final double TABLE_START = 0.5, TABLE_END = 4, TABLE_STEP = 0.125;
    private static final int TAYLOR_DEGREE = 14;
    private static final int TABLE_SIZE = (int) ((TABLE_END - TABLE_START) / TABLE_STEP);
    private static final double[] ERF_AT = new double[TABLE_SIZE], ERFC_AT = new double[TABLE_SIZE];
    private static final double[][] TAYLOR = new double[TABLE_SIZE][TAYLOR_DEGREE + 1];

    static {
        double factorial = 1;
        for (int n = 0; n < SMALL.length; n++) {
            if (n > 0) factorial *= n;
            SMALL[n] = TWO_OVER_SQRT_PI * (n % 2 == 0 ? 1 : -1) / (factorial * (2 * n + 1));
        }
        for (int i = 0; i < TABLE_SIZE; i++) {
            double c = TABLE_START + (i + 0.5) * TABLE_STEP;
            ERF_AT[i] = c < 2.5 ? erfSeries(c) : 1 - erfcFraction(c, 200);
            ERFC_AT[i] = erfcFraction(c, 3000);
            double[] hermite = new double[TAYLOR_DEGREE + 1];
            hermite[0] = 1;
            hermite[1] = 2 * c;
            for (int n = 1; n < TAYLOR_DEGREE; n++) hermite[n + 1] = 2 * c * hermite[n] - 2 * n * hermite[n - 1];
            double base = TWO_OVER_SQRT_PI * expMinusSquare(c);
            double f = 1;
            for (int n = 1; n <= TAYLOR_DEGREE; n++) {
                f *= n;
                TAYLOR[i][n] = base * (n % 2 == 1 ? 1 : -1) * hermite[n - 1] / f;
            }
        }
    }

    /** The error function, accurate to a few ulps in float64. */
    static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < TABLE_START) r = a * small(a * a);
        else if (a < TABLE_END) r = ERF_AT[tableIndex(a)] + taylor(a);
        else r = a < 6 ? 1 - erfcFraction(a, 24) : 1;
        return Math.copySign(r, x);
    }

    /** erfc(a) for a >= 0, with full relative accuracy in the tail (no 1 - erf cancellation). */
    static double erfcPositive(double a) {
        if (a < TABLE_START) return 1 - a * small(a * a);
        if (a < TABLE_END) return ERFC_AT[tableIndex(a)] - taylor(a);
        return a < 27.3 ? erfcFraction(a, 24) : 0;
    }

    private static double small(double a2) {
        double p = 0;
        for (int n = SMALL.length - 1; n >= 0; n--) p = p * a2 + SMALL[n];
        return p;
    }

    private static int tableIndex(double a) { return (int) ((a - TABLE_START) / TABLE_STEP); }

    /** erf(a) - erf(c) for the centre c of a's interval: the Taylor terms of degree >= 1, by Horner. */
    private static double taylor(double a) {
        int i = tableIndex(a);
        double h = a - (TABLE_START + (i + 0.5) * TABLE_STEP);
        double[] d = TAYLOR[i];
        double p = 0;
        for (int n = TAYLOR_DEGREE; n >= 1; n--) p = (p + d[n]) * h;
        return p;
    }

    /**
     * erf(a) = 2/sqrt(pi) exp(-a^2) sum_n (2a^2)^n a / (1*3*...*(2n+1)): every term is positive, so no cancellation.
     * Slow (about 40 terms at a = 2.5); used to build the tables.
     */
    private static double erfSeries(double a) {
        double x2 = a * a;
        double term = a;
        double sum = a;
        for (int n = 1; term > sum * 1e-17; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * expMinusSquare(a) * sum;
    }

    /** erfc(a) by its continued fraction 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))) cut at {@code depth} levels. */
    private static double erfcFraction(double a, int depth) {
        double c = a;
        for (int k = depth; k >= 1; k--) c = a + 0.5 * k / c;
        return ONE_OVER_SQRT_PI * expMinusSquare(a) / c;
    }

    /** exp(-a^2) without the rounding error of a*a: a = hi + lo with hi^2 exact. */
    private static double expMinusSquare(double a) {
        double hi = Math.floor(a * 16) / 16;
        return Math.exp(-hi * hi) * Math.exp(-(a - hi) * (a + hi));
    }
}
