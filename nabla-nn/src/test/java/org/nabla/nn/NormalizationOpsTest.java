package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.autodiff.GradientChecker;
import org.nabla.autodiff.GradientTape;
import org.nabla.ops.OpException;

/**
 * The fused LayerNorm op against a float64 reference loop (values), the composed standardization ops (gradients, in
 * float64 and float32) and central finite differences; widths around the vector lanes.
 */
class NormalizationOpsTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(11);
    private static final double EPS = 1e-3;

    private static Tensor random(DType dtype, double offset, int... dims) {
        int n = Shape.of(dims).intSize();
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = offset + 2 * RANDOM.nextDouble() - 1;
        return Ops.cast(Tensor.wrap(DType.FLOAT64, Shape.of(dims), a), dtype);
    }

    /** y of each row of x [rows, c], one row at a time in float64. */
    private static double[] reference(double[] x, double[] gamma, double[] beta, int c) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / c; r++) {
            double mean = 0, var = 0;
            for (int j = 0; j < c; j++) mean += x[r * c + j] / c;
            for (int j = 0; j < c; j++) var += (x[r * c + j] - mean) * (x[r * c + j] - mean) / c;
            for (int j = 0; j < c; j++) y[r * c + j] = (x[r * c + j] - mean) / Math.sqrt(var + EPS) * gamma[j] + beta[j];
        }
        return y;
    }

    /** The composition the layer used before the fused op: mean, variance, rsqrt, scale and shift. */
    private static Tensor composed(Tensor x, Tensor gamma, Tensor beta) {
        Tensor centered = Ops.sub(x, Ops.mean(x, true, -1));
        Tensor variance = Ops.mean(Ops.square(centered), true, -1);
        Tensor y = Ops.mul(centered, Ops.rsqrt(Ops.add(variance, Ops.cast(Tensors.scalar(EPS), x.dtype()))));
        return Ops.add(Ops.mul(y, gamma), beta);
    }

    @Test
    void valuesMatchTheFloat64Reference() {
        for (int c : new int[] {1, 3, 16, 19, 64, 67}) {
            Tensor x = random(DType.FLOAT64, 3, 5, 7, c), g = random(DType.FLOAT64, 1, c), b = random(DType.FLOAT64, 0, c);
            double[] want = reference(x.toDoubleArray(), g.toDoubleArray(), b.toDoubleArray(), c);
            Tensor[] got = Ops.runMulti(NormalizationOps.LAYER_NORM, org.nabla.ops.Attrs.of("epsilon", EPS), x, g, b);
            assertEquals(Shape.of(5, 7, c), got[0].shape());
            assertEquals(Shape.of(5, 7), got[1].shape());
            assertClose(want, got[0].toDoubleArray(), 1e-12, "float64, c = " + c);
            Tensor y32 = NormalizationOps.layerNorm(Ops.cast(x, DType.FLOAT32), Ops.cast(g, DType.FLOAT32),
                    Ops.cast(b, DType.FLOAT32), EPS);
            assertEquals(DType.FLOAT32, y32.dtype());
            assertClose(want, y32.toDoubleArray(), 2e-5, "float32, c = " + c);
        }
    }

    @Test
    void gradientsMatchTheComposedOps() {
        for (int c : new int[] {3, 19, 64}) {
            Tensor x = random(DType.FLOAT64, 1, 6, 9, c), g = random(DType.FLOAT64, 1, c), b = random(DType.FLOAT64, 0, c);
            Tensor w = random(DType.FLOAT64, 0, 6, 9, c);
            Tensor[] want = gradients(x, g, b, w, false);
            Tensor[] got64 = gradients(x, g, b, w, true);
            Tensor[] got32 = gradients(Ops.cast(x, DType.FLOAT32), Ops.cast(g, DType.FLOAT32),
                    Ops.cast(b, DType.FLOAT32), Ops.cast(w, DType.FLOAT32), true);
            for (int i = 0; i < 3; i++) {
                assertClose(want[i].toDoubleArray(), got64[i].toDoubleArray(), 1e-10, "float64 d" + i + ", c = " + c);
                assertClose(want[i].toDoubleArray(), got32[i].toDoubleArray(), 1e-4, "float32 d" + i + ", c = " + c);
            }
        }
    }

    /** Gradients of sum(LayerNorm(x) * w) with respect to x, gamma and beta. */
    private static Tensor[] gradients(Tensor x, Tensor g, Tensor b, Tensor w, boolean fused) {
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            tape.watch(g);
            tape.watch(b);
            Tensor y = fused ? NormalizationOps.layerNorm(x, g, b, EPS) : composed(x, g, b);
            return tape.gradient(Ops.sum(Ops.mul(y, w)), x, g, b);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = random(DType.FLOAT64, 0, 3, 4, 5), g = random(DType.FLOAT64, 1, 5), b = random(DType.FLOAT64, 0, 5);
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("LayerNorm", in -> new Tensor[] {NormalizationOps.layerNorm(in[0], in[1], in[2], EPS)},
                    mode, x, g, b).assertOk(1e-6);
        }
    }

    @Test
    void secondOrderGradientsMatchFiniteDifferences() {
        // LayerNormGrad's own gradient (a composite of other ops), and the mean and rstd outputs' gradients reaching x
        Tensor x = random(DType.FLOAT64, 0, 3, 4, 5), g = random(DType.FLOAT64, 1, 5), b = random(DType.FLOAT64, 0, 5);
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.checkSecondOrder("LayerNorm", in -> new Tensor[] {
                    NormalizationOps.layerNorm(in[0], in[1], in[2], EPS)}, mode, x, g, b).assertOk(1e-6);
        }
        Tensor x1 = random(DType.FLOAT64, 0, 6), g1 = random(DType.FLOAT64, 1, 6), b1 = random(DType.FLOAT64, 0, 6);
        GradientChecker.checkSecondOrder("LayerNorm of one row", in -> new Tensor[] {
                NormalizationOps.layerNorm(in[0], in[1], in[2], EPS)}, GradientChecker.Mode.EAGER, x1, g1, b1)
                .assertOk(1e-6);
    }

    @Test
    void backwardOpGradientsMatchFiniteDifferences() {
        // LayerNormGrad alone, with mean and rstd as free inputs, and all three outputs weighted
        Tensor dy = random(DType.FLOAT64, 0, 2, 3, 5), x = random(DType.FLOAT64, 0, 2, 3, 5);
        Tensor g = random(DType.FLOAT64, 1, 5), mean = random(DType.FLOAT64, 0, 2, 3);
        Tensor rstd = random(DType.FLOAT64, 2, 2, 3);
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("LayerNormGrad", in -> Ops.runMulti(NormalizationOps.LAYER_NORM_GRAD,
                    org.nabla.ops.Attrs.EMPTY, in), mode, dy, x, g, mean, rstd).assertOk(1e-6);
        }
    }

    @Test
    void statisticsOutputsPassTheirGradientsToX() {
        // sum(w1 * mean) + sum(w2 * rstd) against the same statistics composed of Mean, Square and Rsqrt
        Tensor x = random(DType.FLOAT64, 1, 4, 7), g = random(DType.FLOAT64, 1, 7), b = random(DType.FLOAT64, 0, 7);
        Tensor w1 = random(DType.FLOAT64, 0, 4), w2 = random(DType.FLOAT64, 0, 4);
        Tensor fused, composed;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor[] out = Ops.runMulti(NormalizationOps.LAYER_NORM, org.nabla.ops.Attrs.of("epsilon", EPS), x, g, b);
            fused = tape.gradient(Ops.add(Ops.sum(Ops.mul(out[1], w1)), Ops.sum(Ops.mul(out[2], w2))), x);
        }
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor mean = Ops.mean(x, -1);
            Tensor var = Ops.mean(Ops.square(Ops.sub(x, Ops.expandDims(mean, -1))), -1);
            Tensor rstd = Ops.rsqrt(Ops.add(var, Tensors.scalar(EPS)));
            composed = tape.gradient(Ops.add(Ops.sum(Ops.mul(mean, w1)), Ops.sum(Ops.mul(rstd, w2))), x);
        }
        assertClose(composed.toDoubleArray(), fused.toDoubleArray(), 1e-12, "d(mean, rstd)/dx");
    }

    @Test
    void float32GradientsDoNotDependOnTheThreadSplit() {
        Tensor x = random(DType.FLOAT32, 0, 32, 200, 64), g = random(DType.FLOAT32, 1, 64);
        Tensor b = random(DType.FLOAT32, 0, 64), w = random(DType.FLOAT32, 0, 32, 200, 64);
        Tensor[] first = gradients(x, g, b, w, true), second = gradients(x, g, b, w, true);
        for (int i = 0; i < 3; i++) assertArrayEquals(first[i].toFloatArray(), second[i].toFloatArray());
    }

    @Test
    void badInputsAreRejectedWithTheRule() {
        Tensor x = random(DType.FLOAT32, 0, 2, 4);
        OpException e = assertThrows(OpException.class, () -> NormalizationOps.layerNorm(x,
                random(DType.FLOAT32, 0, 3), random(DType.FLOAT32, 0, 4), EPS));
        assertTrue(e.getMessage().contains("gamma and beta must be 1-D with the size of x's last dim"), e.getMessage());
        e = assertThrows(OpException.class, () -> NormalizationOps.layerNorm(x, random(DType.FLOAT32, 0, 4),
                random(DType.FLOAT32, 0, 4), 0));
        assertTrue(e.getMessage().contains("epsilon must be positive"), e.getMessage());
    }

    private static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]) / Math.max(1, Math.abs(want[i]));
            if (!(err <= tol)) throw new AssertionError(what + ": element " + i + " is " + got[i] + ", want " + want[i]);
        }
    }
}
