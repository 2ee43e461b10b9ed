package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * BiasAdd, BatchNormInference, Dropout and the losses against plain float64 loops. Activations and softmax live in
 * {@link NnActivationOpsTest}, convolution and pooling in {@link NnConvOpsTest}.
 */
class NnOpsTest {
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    private static Tensor t(double[] v, DType dtype, int... shape) { return NnConvOpsTest.tensor(v, dtype, shape); }

    private static double[] rnd(Random r, int n, DType dtype) {
        return NnConvOpsTest.rounded(NnConvOpsTest.random(r, n), dtype);
    }

    private static double tol(DType dtype) { return dtype == DType.FLOAT32 ? 1e-6 : 1e-13; }

    // ---------------------------------------------------------------- bias add and batch norm

    @Test
    void biasAddAddsAlongTheChannelAxisForBothFormats() {
        assertClose(new double[] {11, 22, 13, 24}, Ops.biasAdd(Tensors.of(new float[][] {{1, 2}, {3, 4}}),
                Tensors.of(new float[] {10, 20})), DType.FLOAT32, new int[] {2, 2}, 0);
        Random r = new Random(11);
        int n = 3, c = 19, h = 5, w = 7; // c not a multiple of the vector length
        for (DType dtype : FLOATS) {
            double[] x = rnd(r, n * h * w * c, dtype), b = rnd(r, c, dtype);
            double[] nhwc = new double[x.length];
            for (int i = 0; i < x.length; i++) nhwc[i] = x[i] + b[i % c];
            assertClose(nhwc, Ops.biasAdd(t(x, dtype, n, h, w, c), t(b, dtype, c)), dtype, new int[] {n, h, w, c},
                    tol(dtype));
            double[] nchw = new double[x.length];
            for (int i = 0; i < x.length; i++) nchw[i] = x[i] + b[(i / (h * w)) % c];
            assertClose(nchw, Ops.biasAdd(t(x, dtype, n, c, h, w), t(b, dtype, c), "NCHW"), dtype,
                    new int[] {n, c, h, w}, tol(dtype));
        }
        Tensor v = Tensors.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(); // [[1 4] [2 5] [3 6]]
        assertClose(new double[] {1.5, 4.25, 2.5, 5.25, 3.5, 6.25}, Ops.biasAdd(v, Tensors.of(new double[] {0.5, 0.25})),
                DType.FLOAT64, new int[] {3, 2}, 0);
        assertEquals(Shape.of(0, 2), Ops.biasAdd(Tensors.of(new float[0], 0, 2), Tensors.of(new float[] {1, 2}))
                .shape());
    }

    @Test
    void biasAddRejectsMismatchedBias() {
        OpException e = assertThrows(OpException.class, () -> Ops.biasAdd(Tensors.of(new float[6], 2, 3),
                Tensors.of(new float[2])));
        assertEquals("BiasAdd: bias (2,) must match the channel dimension 3 (axis 1, NHWC) of value (2, 3)",
                e.getMessage());
        OpException r = assertThrows(OpException.class, () -> Ops.biasAdd(Tensors.of(new float[3]),
                Tensors.of(new float[3])));
        assertTrue(r.getMessage().startsWith("BiasAdd: value must have rank >= 2"), r.getMessage());
    }

    @Test
    void batchNormInferenceMatchesTheFormula() {
        Random r = new Random(12);
        int n = 2, c = 5, h = 3, w = 4;
        for (DType dtype : FLOATS) {
            double[] x = rnd(r, n * h * w * c, dtype), scale = rnd(r, c, dtype), offset = rnd(r, c, dtype);
            double[] mean = rnd(r, c, dtype), var = new double[c];
            for (int i = 0; i < c; i++) var[i] = NnConvOpsTest.rounded(new double[] {0.1 + i}, dtype)[0];
            Tensor[] p = {t(scale, dtype, c), t(offset, dtype, c), t(mean, dtype, c), t(var, dtype, c)};
            double eps = 0.001;
            double[] nhwc = new double[x.length], nchw = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                int a = i % c, b = (i / (h * w)) % c;
                nhwc[i] = scale[a] * (x[i] - mean[a]) / Math.sqrt(var[a] + eps) + offset[a];
                nchw[i] = scale[b] * (x[i] - mean[b]) / Math.sqrt(var[b] + eps) + offset[b];
            }
            assertClose(nhwc, Ops.batchNormInference(t(x, dtype, n, h, w, c), p[0], p[1], p[2], p[3]), dtype,
                    new int[] {n, h, w, c}, 1e-5);
            assertClose(nchw, Ops.batchNormInference(t(x, dtype, n, c, h, w), p[0], p[1], p[2], p[3], eps, "NCHW"),
                    dtype, new int[] {n, c, h, w}, 1e-5);
            double[] rank2 = new double[n * c];
            for (int i = 0; i < rank2.length; i++) {
                rank2[i] = scale[i % c] * (x[i] - mean[i % c]) / Math.sqrt(var[i % c] + 0.5) + offset[i % c];
            }
            double[] x2 = java.util.Arrays.copyOf(x, n * c);
            assertClose(rank2, Ops.batchNormInference(t(x2, dtype, n, c), p[0], p[1], p[2], p[3], 0.5, "NCHW"),
                    dtype, new int[] {n, c}, 1e-5);
        }
        // hand-worked: (4 - 2) / sqrt(3 + 1) * 3 + 1 = 4
        Tensor one = Tensors.of(new double[] {1});
        assertClose(new double[] {4}, Ops.batchNormInference(Tensors.of(new double[] {4}, 1, 1), Tensors.of(
                new double[] {3}), one, Tensors.of(new double[] {2}), Tensors.of(new double[] {3}), 1, "NHWC"),
                DType.FLOAT64, new int[] {1, 1}, 1e-15);
        OpException e = assertThrows(OpException.class, () -> Ops.batchNormInference(Tensors.of(new float[6], 2, 3),
                Tensors.of(new float[3]), Tensors.of(new float[3]), Tensors.of(new float[2]), Tensors.of(new float[3])));
        assertEquals("BatchNormInference: mean (2,) must match the channel dimension 3 (axis 1) of x (2, 3)",
                e.getMessage());
    }

    // ---------------------------------------------------------------- dropout

    @Test
    void dropoutIsSeededInvertedAndUnbiased() {
        int n = 100_000;
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        for (DType dtype : FLOATS) {
            Tensor x = t(ones, dtype, 100, 1000);
            double[] a = Ops.dropout(x, 0.25, 7).toDoubleArray();
            double[] b = Ops.dropout(x, 0.25, 7).toDoubleArray();
            assertArrayEquals(a, b, "same seed, same mask");
            double[] c = Ops.dropout(x, 0.25, 8).toDoubleArray();
            assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
            int kept = 0;
            double sum = 0;
            for (double v : a) {
                assertTrue(v == 0 || Math.abs(v - 1 / 0.75) < 1e-6, "value " + v);
                if (v != 0) kept++;
                sum += v;
            }
            assertEquals(0.75, kept / (double) n, 0.01); // ~ 5 sigma
            assertEquals(1, sum / n, 0.015);
        }
        Tensor x = Tensors.of(new float[] {1, -2, 3});
        assertArrayEquals(x.toFloatArray(), Ops.dropout(x, 0, 1).toFloatArray());
        Tensor[] both = Ops.runMulti(NnOps.DROPOUT, Attrs.of("rate", 0.5, "seed", 3L), Tensors.of(new double[] {2, 4,
            6, 8, 10, 12}));
        double[] y = both[0].toDoubleArray(), m = both[1].toDoubleArray();
        for (int i = 0; i < 6; i++) assertEquals(2 * (i + 1) * m[i], y[i], 0);
        assertEquals(Shape.of(0, 3), Ops.dropout(Tensors.of(new float[0], 0, 3), 0.5).shape());
    }

    @Test
    void dropoutRejectsRatesOutsideZeroOne() {
        Tensor x = Tensors.of(new float[] {1});
        assertEquals("Dropout: rate must be in [0, 1), got 1.0",
                assertThrows(OpException.class, () -> Ops.dropout(x, 1, 1)).getMessage());
        assertEquals("Dropout: rate must be in [0, 1), got -0.1",
                assertThrows(OpException.class, () -> Ops.dropout(x, -0.1, 1)).getMessage());
    }

    // ---------------------------------------------------------------- losses

    private static double[] logSumExp(double[] x, int n, int c) {
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < c; j++) max = Math.max(max, x[i * c + j]);
            for (int j = 0; j < c; j++) s += Math.exp(x[i * c + j] - max);
            l[i] = max + Math.log(s);
        }
        return l;
    }

    @Test
    void softmaxCrossEntropyMatchesReferenceAndReturnsBackprop() {
        Random r = new Random(13);
        int n = 37, c = 10;
        for (DType dtype : FLOATS) {
            double[] x = rnd(r, n * c, dtype);
            for (int i = 0; i < x.length; i++) x[i] = NnConvOpsTest.rounded(new double[] {x[i] * 5}, dtype)[0];
            double[] y = new double[n * c];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < c; j++) s += y[i * c + j] = r.nextDouble();
                for (int j = 0; j < c; j++) y[i * c + j] = NnConvOpsTest.rounded(new double[] {y[i * c + j] / s},
                        dtype)[0];
            }
            double[] lse = logSumExp(x, n, c);
            double[] loss = new double[n], back = new double[n * c];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < c; j++) {
                    loss[i] -= y[i * c + j] * (x[i * c + j] - lse[i]);
                    back[i * c + j] = Math.exp(x[i * c + j] - lse[i]) - y[i * c + j];
                }
            }
            Tensor logits = t(x, dtype, n, c), labels = t(y, dtype, n, c);
            assertClose(loss, Ops.softmaxCrossEntropyWithLogits(logits, labels), dtype, new int[] {n}, 1e-5);
            Tensor[] both = Ops.runMulti(NnOps.SOFTMAX_CROSS_ENTROPY, Attrs.EMPTY, logits, labels);
            assertClose(back, both[1], dtype, new int[] {n, c}, tol(dtype));
        }
    }

    @Test
    void sparseSoftmaxCrossEntropyMatchesReferenceForIntAndLongLabels() {
        Random r = new Random(14);
        int n = 29, c = 7;
        for (DType dtype : FLOATS) {
            double[] x = rnd(r, n * c, dtype);
            int[] labels = new int[n];
            long[] longLabels = new long[n];
            for (int i = 0; i < n; i++) longLabels[i] = labels[i] = r.nextInt(c);
            double[] lse = logSumExp(x, n, c);
            double[] loss = new double[n], back = new double[n * c];
            for (int i = 0; i < n; i++) {
                loss[i] = lse[i] - x[i * c + labels[i]];
                for (int j = 0; j < c; j++) back[i * c + j] = Math.exp(x[i * c + j] - lse[i]) - (j == labels[i] ? 1 : 0);
            }
            Tensor logits = t(x, dtype, n, c);
            assertClose(loss, Ops.sparseSoftmaxCrossEntropyWithLogits(logits, Tensors.of(labels)), dtype,
                    new int[] {n}, tol(dtype));
            assertClose(loss, Ops.sparseSoftmaxCrossEntropyWithLogits(logits, Tensors.of(longLabels)), dtype,
                    new int[] {n}, tol(dtype));
            Tensor[] both = Ops.runMulti(NnOps.SPARSE_SOFTMAX_CROSS_ENTROPY, Attrs.EMPTY, logits, Tensors.of(labels));
            assertClose(back, both[1], dtype, new int[] {n, c}, tol(dtype));
        }
    }

    @Test
    void crossEntropyGradientStoresSubnormalProbabilitiesAsZero() {
        // softmax of [0, -95, -1]: p1 = e^-95 / (1 + e^-1 + e^-95) ~ 4e-42, subnormal in float32 -> stored as 0;
        // in float64 it is a normal number and kept.
        Tensor[] f = Ops.runMulti(NnOps.SPARSE_SOFTMAX_CROSS_ENTROPY, Attrs.EMPTY,
                Tensors.of(new float[][] {{0, -95, -1}}), Tensors.of(new int[] {0}));
        float[] g = f[1].toFloatArray();
        double z = 1 + Math.exp(-1) + Math.exp(-95);
        assertEquals(0f, g[1]);
        assertEquals(1 / z - 1, g[0], 1e-7);
        assertEquals(Math.exp(-1) / z, g[2], 1e-7);
        Tensor[] d = Ops.runMulti(NnOps.SPARSE_SOFTMAX_CROSS_ENTROPY, Attrs.EMPTY,
                Tensors.of(new double[][] {{0, -95, -1}}), Tensors.of(new int[] {0}));
        assertEquals(Math.exp(-95) / z, d[1].toDoubleArray()[1], 1e-55);
    }

    @Test
    void crossEntropyStaysFiniteForHugeLogits() {
        Tensor logits = Tensors.of(new float[][] {{1000, -1000, 0}, {-1000, 1000, 0}});
        assertClose(new double[] {0, 2000}, Ops.sparseSoftmaxCrossEntropyWithLogits(logits, Tensors.of(new int[] {0,
            0})), DType.FLOAT32, new int[] {2}, 1e-6);
        Tensor labels = Tensors.of(new float[][] {{1, 0, 0}, {0.5f, 0.5f, 0}});
        assertClose(new double[] {0, 1000}, Ops.softmaxCrossEntropyWithLogits(logits, labels), DType.FLOAT32,
                new int[] {2}, 1e-6);
        // hand-worked: logits [0, ln 3] -> softmax [1/4, 3/4]; loss of class 1 = ln(4/3)
        assertClose(new double[] {Math.log(4 / 3.0)}, Ops.sparseSoftmaxCrossEntropyWithLogits(Tensors.of(
                new double[][] {{0, Math.log(3)}}), Tensors.of(new long[] {1})), DType.FLOAT64, new int[] {1}, 1e-15);
        assertEquals(Shape.of(0), Ops.sparseSoftmaxCrossEntropyWithLogits(Tensors.of(new float[0], 0, 4),
                Tensors.of(new int[0], 0)).shape());
    }

    @Test
    void lossesRejectBadLabelsAndShapes() {
        Tensor logits = Tensors.of(new float[6], 2, 3);
        OpException bad = assertThrows(OpException.class,
                () -> Ops.sparseSoftmaxCrossEntropyWithLogits(logits, Tensors.of(new int[] {0, 3})));
        assertEquals("SparseSoftmaxCrossEntropyWithLogits: label 3 in row 1 is out of range [0, 3) for logits (2, 3)",
                bad.getMessage());
        OpException neg = assertThrows(OpException.class,
                () -> Ops.sparseSoftmaxCrossEntropyWithLogits(logits, Tensors.of(new long[] {-1, 0})));
        assertTrue(neg.getMessage().contains("label -1 in row 0"), neg.getMessage());
        OpException dt = assertThrows(OpException.class,
                () -> Ops.sparseSoftmaxCrossEntropyWithLogits(logits, Tensors.of(new float[] {0, 1})));
        assertTrue(dt.getMessage().contains("input 'labels' has dtype float32"), dt.getMessage());
        OpException sh = assertThrows(OpException.class,
                () -> Ops.softmaxCrossEntropyWithLogits(logits, Tensors.of(new float[4], 2, 2)));
        assertEquals("SoftmaxCrossEntropyWithLogits: labels (2, 2) must have the shape of logits (2, 3) "
                + "([batch, classes])", sh.getMessage());
        OpException mse = assertThrows(OpException.class,
                () -> Ops.meanSquaredError(logits, Tensors.of(new float[3], 3)));
        assertEquals("MeanSquaredError: labels (3,) must have the shape of predictions (2, 3)", mse.getMessage());
    }

    @Test
    void meanSquaredErrorAveragesTheLastAxis() {
        assertClose(new double[] {2.5, 0}, Ops.meanSquaredError(Tensors.of(new float[][] {{1, 2}, {3, 4}}),
                Tensors.of(new float[][] {{0, 4}, {3, 4}})), DType.FLOAT32, new int[] {2}, 0);
        Random r = new Random(15);
        for (DType dtype : FLOATS) {
            double[] p = rnd(r, 2 * 3 * 17, dtype), y = rnd(r, p.length, dtype);
            double[] e = new double[6];
            for (int i = 0; i < p.length; i++) e[i / 17] += (p[i] - y[i]) * (p[i] - y[i]) / 17;
            assertClose(e, Ops.meanSquaredError(t(p, dtype, 2, 3, 17), t(y, dtype, 2, 3, 17)), dtype,
                    new int[] {2, 3}, tol(dtype));
        }
        assertClose(new double[] {4}, Ops.meanSquaredError(Tensors.of(new double[] {1, 3}), Tensors.of(
                new double[] {3, 1})), DType.FLOAT64, new int[0], 0);
    }
}
