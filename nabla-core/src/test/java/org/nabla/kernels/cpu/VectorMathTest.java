package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    /** An array form of a VectorMath function. */
    interface ArrayFn { void apply(float[] a, int ao, float[] z, int zo, int n); }

    private static final float[] SPECIALS = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-40f, -1e-40f, Float.MAX_VALUE,
        -Float.MAX_VALUE, 88.72283f, 88.72284f, 89f, -87.33654f, -87.33655f, -103.97207f, -103.97208f, -104f, -150f,
        -1f, -0.99999994f, -1.0000001f, 1f, 2f, -2f, 0.5f, 0.625f, -0.625f, 0.62499994f, 0.7071068f, 1.4142135f, 9f,
        -9f, 1e-8f, -1e-8f, 5.9604645e-8f, -5.9604645e-8f, 1e10f, -1e10f, 3f, 20f, -20f, 0x1p20f, -0x1p20f,
        0x1.000002p20f, 1.5707964f, 3.1415927f, -3.1415927f, 6.2831855f, 1e5f, 102940.5f, 1e30f, 0x1.7p24f};

    /** Random floats of all magnitudes: raw bit patterns, [-100, 100], [-2, 2], scaled by 2^-30 to 2^9; specials. */
    private static float[] inputs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n + SPECIALS.length];
        for (int i = 0; i < n; i++) {
            x[i] = switch (i & 3) {
                case 0 -> Float.intBitsToFloat(r.nextInt());
                case 1 -> (float) (r.nextDouble(-100, 100));
                case 2 -> (float) (r.nextDouble(-2, 2));
                default -> (float) (r.nextDouble() * Math.scalb(1.0, r.nextInt(40) - 30) * (r.nextBoolean() ? 1 : -1));
            };
        }
        System.arraycopy(SPECIALS, 0, x, n, SPECIALS.length);
        return x;
    }

    /** Every result within {@code maxUlps} of the float64 reference; NaN, infinities and signed zeros exact. */
    private static void check(String name, ArrayFn f, DoubleUnaryOperator ref, double maxUlps) {
        float[] x = inputs(1 << 20, name.hashCode());
        float[] z = new float[x.length];
        f.apply(x, 0, z, 0, x.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double want = ref.applyAsDouble(x[i]);
            float w = (float) want;
            String at = name + "(" + x[i] + " = " + Float.toHexString(x[i]) + ") = " + z[i] + ", want " + want;
            if (Float.isNaN(w)) {
                if (!Float.isNaN(z[i])) fail(at);
                continue;
            }
            if (Float.isInfinite(w) || w == 0) {
                if (Float.floatToRawIntBits(w) != Float.floatToRawIntBits(z[i])) {
                    // a float64 result in the last half ulp above 0 may round either way: allow 0 or MIN_VALUE
                    if (!(w == 0 && Math.abs(z[i]) <= Float.MIN_VALUE && Math.copySign(1f, z[i]) == Math.copySign(1f, w)
                            && want != 0)) {
                        fail(at);
                    }
                }
                continue;
            }
            double ulps = Math.abs(z[i] - want) / Math.ulp(w);
            if (ulps > maxUlps) fail(at + " (" + ulps + " ulps)");
            worst = Math.max(worst, ulps);
        }
        assertTrue(worst > 0, name + ": suspiciously exact");
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    @Test
    void expWithin2UlpOverTheFloatRange() { check("exp", VectorMath::exp, Math::exp, 2); }

    @Test
    void logWithin2UlpOverTheFloatRange() { check("log", VectorMath::log, Math::log, 2); }

    @Test
    void log1pWithin2UlpOverTheFloatRange() { check("log1p", VectorMath::log1p, Math::log1p, 2); }

    @Test
    void tanhWithin2UlpOverTheFloatRange() { check("tanh", VectorMath::tanh, Math::tanh, 2); }

    /** sigmoid of negative inputs divides e^x (itself within 1 ulp) by 1 + e^x: up to about 2.3 ulp. */
    @Test
    void sigmoidWithin3UlpOverTheFloatRange() { check("sigmoid", VectorMath::sigmoid, VectorMathTest::sigmoid, 3); }

    @Test
    void sinWithin2UlpOverTheFloatRange() { check("sin", VectorMath::sin, Math::sin, 2); }

    @Test
    void cosWithin2UlpOverTheFloatRange() { check("cos", VectorMath::cos, Math::cos, 2); }

    @Test
    void specialValues() {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {0f, -0f, inf, -inf, Float.NaN, -1f, -2f, 89f, -104f, Float.MIN_VALUE, -Float.MIN_VALUE};
        float[] z = new float[x.length];
        VectorMath.exp(x, 0, z, 0, x.length);
        assertArrayEquals(new float[] {1, 1, inf, 0, Float.NaN, (float) Math.exp(-1), (float) Math.exp(-2), inf, 0, 1, 1},
                z);
        VectorMath.log(x, 0, z, 0, x.length);
        assertArrayEquals(new float[] {-inf, -inf, inf, Float.NaN, Float.NaN, Float.NaN, Float.NaN,
            (float) Math.log(89), Float.NaN, (float) Math.log(Float.MIN_VALUE), Float.NaN}, z);
        VectorMath.log1p(x, 0, z, 0, x.length);
        assertArrayEquals(new float[] {0f, -0f, inf, Float.NaN, Float.NaN, -inf, Float.NaN, (float) Math.log1p(89),
            Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE}, z);
        VectorMath.tanh(x, 0, z, 0, x.length);
        assertArrayEquals(new float[] {0f, -0f, 1, -1, Float.NaN, (float) Math.tanh(-1), (float) Math.tanh(-2), 1, -1,
            Float.MIN_VALUE, -Float.MIN_VALUE}, z);
        VectorMath.sigmoid(x, 0, z, 0, x.length);
        assertArrayEquals(new float[] {0.5f, 0.5f, 1, 0, Float.NaN, (float) sigmoid(-1), (float) sigmoid(-2), 1,
            (float) sigmoid(-104), 0.5f, 0.5f}, z);
        assertEquals(Float.MIN_VALUE, VectorMath.exp((float) Math.log(Float.MIN_VALUE)));
        VectorMath.sin(x, 0, z, 0, x.length);
        assertArrayEquals(new float[] {0f, -0f, Float.NaN, Float.NaN, Float.NaN, (float) Math.sin(-1),
            (float) Math.sin(-2), (float) Math.sin(89), (float) Math.sin(-104), Float.MIN_VALUE, -Float.MIN_VALUE}, z);
        VectorMath.cos(x, 0, z, 0, x.length);
        assertArrayEquals(new float[] {1, 1, Float.NaN, Float.NaN, Float.NaN, (float) Math.cos(-1),
            (float) Math.cos(-2), (float) Math.cos(89), (float) Math.cos(-104), 1, 1}, z);
    }

    /** An element's result does not depend on its position: vector body and masked tail give the same bits. */
    @Test
    void resultsDoNotDependOnPositionOrLength() {
        float[] x = inputs(1000, 7);
        ArrayFn[] fns = {VectorMath::exp, VectorMath::log, VectorMath::log1p, VectorMath::tanh, VectorMath::sigmoid,
            VectorMath::sin, VectorMath::cos};
        for (ArrayFn f : fns) {
            float[] all = new float[x.length];
            f.apply(x, 0, all, 0, x.length);
            for (int len = 1; len < 40; len++) {
                for (int from : new int[] {0, 3, 17, x.length - len}) {
                    float[] part = new float[len + 5];
                    f.apply(x, from, part, 5, len);
                    for (int i = 0; i < len; i++) {
                        assertEquals(Float.floatToRawIntBits(all[from + i]), Float.floatToRawIntBits(part[5 + i]),
                                "x=" + x[from + i] + " len " + len + " from " + from);
                    }
                }
            }
        }
    }

    private static int[][] runAll(float[] x) {
        ArrayFn[] fns = {VectorMath::exp, VectorMath::log, VectorMath::log1p, VectorMath::tanh, VectorMath::sigmoid,
            VectorMath::sin, VectorMath::cos};
        int[][] bits = new int[fns.length][x.length];
        float[] z = new float[x.length];
        for (int k = 0; k < fns.length; k++) {
            fns[k].apply(x, 0, z, 0, x.length);
            for (int i = 0; i < x.length; i++) bits[k][i] = Float.floatToRawIntBits(z[i]);
        }
        return bits;
    }

    /**
     * The same bits on a cold first call (interpreter) and after heavy warm-up (C1, C2), and through the kernels that
     * use VectorMath: the JDK's VectorOperators.EXP/LOG/TANH change their last bit here once C2 compiles the loop.
     */
    @Test
    void bitwiseEqualBeforeAndAfterWarmUp() {
        float[] x = inputs(4096, 11);
        int[][] cold = runAll(x);
        float[] w = inputs(256, 12);
        for (int it = 0; it < 20_000; it++) runAll(w);
        int[][] warm = runAll(x);
        for (int k = 0; k < cold.length; k++) assertArrayEquals(cold[k], warm[k], "function " + k);
    }
}
