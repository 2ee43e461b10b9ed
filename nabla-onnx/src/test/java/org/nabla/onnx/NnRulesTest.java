package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Normalization rules and Hardmax, against float64 loops over the ONNX definitions. */
class NnRulesTest {
    private static double[] seq(int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) v[i] = Math.sin(i * 1.3 + 0.2) * (1 + i % 3);
        return v;
    }

    /** InstanceNormalization's definition: each (example, channel) normalized over its spatial positions. */
    private static double[] instanceNormReference(double[] x, int n, int c, int hw, double[] scale, double[] bias,
                                                  double eps) {
        double[] want = new double[x.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (b * c + ch) * hw;
                double mean = 0, var = 0;
                for (int i = 0; i < hw; i++) mean += x[base + i] / hw;
                for (int i = 0; i < hw; i++) var += (x[base + i] - mean) * (x[base + i] - mean) / hw;
                for (int i = 0; i < hw; i++) {
                    want[base + i] = scale[ch] * (x[base + i] - mean) / Math.sqrt(var + eps) + bias[ch];
                }
            }
        }
        return want;
    }

    @Test
    void instanceNormalization() {
        int n = 2, c = 3, hw = 4;
        double[] x = seq(n * c * hw), scale = {1, -0.5, 2}, bias = {0, 1, -1};
        Tensor y = OnnxNodeCase.of("InstanceNormalization", 17).input(Tensors.of(x, n, c, 2, 2), Shape.of(-1, 3, 2, 2))
                .constant(Tensors.of(scale, 3)).constant(Tensors.of(bias, 3)).attr("epsilon", 0.01f).run1();
        assertEquals(Shape.of(2, 3, 2, 2), y.shape());
        assertArrayEquals(instanceNormReference(x, n, c, hw, scale, bias, 0.01f), y.toDoubleArray(), 1e-12);
        // 1-D instances (N, C, L) with the default epsilon
        Tensor y1 = OnnxNodeCase.of("InstanceNormalization", 17).input(Tensors.of(x, n, c, hw))
                .constant(Tensors.of(scale, 3)).constant(Tensors.of(bias, 3)).run1();
        assertEquals(Shape.of(2, 3, 4), y1.shape());
        assertArrayEquals(instanceNormReference(x, n, c, hw, scale, bias, 1e-5f), y1.toDoubleArray(), 1e-12);
    }

    @Test
    void lpNormalization() {
        double[] x = {3, -4, 0, 1, 2, -2};
        Tensor l2 = OnnxNodeCase.of("LpNormalization", 17).input(Tensors.of(x, 2, 3)).run1(); // axis -1, p 2
        double n0 = 5, n1 = 3;
        assertArrayEquals(new double[] {3 / n0, -4 / n0, 0, 1 / n1, 2 / n1, -2 / n1}, l2.toDoubleArray(), 1e-12);
        Tensor l1 = OnnxNodeCase.of("LpNormalization", 17).input(Tensors.of(x, 2, 3)).attr("axis", 0).attr("p", 1)
                .run1();
        assertArrayEquals(new double[] {3.0 / 4, -4.0 / 6, 0, 1.0 / 4, 2.0 / 6, -2.0 / 2}, l1.toDoubleArray(), 1e-12);
        var e = assertThrows(OnnxException.class, () -> OnnxNodeCase.of("LpNormalization", 17)
                .input(Tensors.of(x, 2, 3)).attr("p", 3).run());
        assertTrue(e.getMessage().contains("p must be 1 or 2, got 3"), e.getMessage());
    }

    @Test
    void meanVarianceNormalization() {
        int n = 2, c = 2, hw = 3;
        double[] x = seq(n * c * hw);
        double[] want = new double[x.length];
        for (int ch = 0; ch < c; ch++) { // default axes 0, 2, 3: statistics per channel over batch and space
            double mean = 0, sq = 0;
            for (int b = 0; b < n; b++) for (int i = 0; i < hw; i++) mean += x[(b * c + ch) * hw + i] / (n * hw);
            for (int b = 0; b < n; b++) for (int i = 0; i < hw; i++) {
                double d = x[(b * c + ch) * hw + i] - mean;
                sq += d * d / (n * hw);
            }
            for (int b = 0; b < n; b++) for (int i = 0; i < hw; i++) {
                want[(b * c + ch) * hw + i] = (x[(b * c + ch) * hw + i] - mean) / (Math.sqrt(sq) + 1e-9);
            }
        }
        Tensor y = OnnxNodeCase.of("MeanVarianceNormalization", 13).input(Tensors.of(x, n, c, 1, hw)).run1();
        assertArrayEquals(want, y.toDoubleArray(), 1e-12);
        // axes [-1]: each row normalized on its own
        Tensor r = OnnxNodeCase.of("MeanVarianceNormalization", 13).input(Tensors.of(new double[] {1, 3, 5, 2, 2, 2}, 2,
                3)).ints("axes", -1).run1();
        double s = Math.sqrt(8.0 / 3);
        assertArrayEquals(new double[] {-2 / (s + 1e-9), 0, 2 / (s + 1e-9), 0, 0, 0}, r.toDoubleArray(), 1e-12);
    }

    @Test
    void hardmaxTakesTheFirstMaximum() {
        Tensor x = Tensors.of(new float[] {1, 3, 3, 0, -1, -2, -1, -5, 2, 2, 2, 2}, 3, 4);
        Tensor y = OnnxNodeCase.of("Hardmax", 13).input(x).run1();
        assertEquals(DType.FLOAT32, y.dtype());
        assertArrayEquals(new float[] {0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}, y.toFloatArray());
        Tensor cols = OnnxNodeCase.of("Hardmax", 13).input(x).attr("axis", 0).run1();
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1}, cols.toFloatArray());
    }

    @Test
    void hardmaxBeforeOpset13FlattensFromTheAxis() {
        // (2, 2, 2) with axis 1: each example's 4 values form one row
        Tensor x = Tensors.of(new double[] {1, 2, 4, 3, 0, 9, 9, 1}, 2, 2, 2);
        Tensor y = OnnxNodeCase.of("Hardmax", 11).input(x).run1();
        assertEquals(Shape.of(2, 2, 2), y.shape());
        assertArrayEquals(new double[] {0, 0, 1, 0, 0, 1, 0, 0}, y.toDoubleArray());
    }

    /** GroupNormalization's definition: each example's channel groups normalized over their channels and space. */
    private static double[] groupNormReference(double[] x, int n, int c, int hw, int groups, double[] scale,
                                               double[] bias, boolean perGroup, double eps) {
        double[] y = new double[x.length];
        int cg = c / groups, len = cg * hw;
        for (int b = 0; b < n; b++) {
            for (int g = 0; g < groups; g++) {
                int base = (b * c + g * cg) * hw;
                double mean = 0, var = 0;
                for (int i = 0; i < len; i++) mean += x[base + i] / len;
                for (int i = 0; i < len; i++) var += (x[base + i] - mean) * (x[base + i] - mean) / len;
                for (int i = 0; i < len; i++) {
                    int k = perGroup ? g : g * cg + i / hw;
                    y[base + i] = (x[base + i] - mean) / Math.sqrt(var + eps) * scale[k] + bias[k];
                }
            }
        }
        return y;
    }

    @Test
    void groupNormalizationPerGroupInOpset18AndPerChannelInOpset21() {
        int n = 2, c = 4, hw = 3;
        double[] x = seq(n * c * hw);
        double[] gScale = {2, -1}, gBias = {0.5, 0};
        Tensor y18 = OnnxNodeCase.of("GroupNormalization", 18).input(Tensors.of(x, n, c, hw), Shape.of(-1, c, hw))
                .constant(Tensors.of(gScale, 2)).constant(Tensors.of(gBias, 2)).attr("num_groups", 2).run1();
        assertEquals(Shape.of(n, c, hw), y18.shape());
        assertArrayEquals(groupNormReference(x, n, c, hw, 2, gScale, gBias, true, 1e-5f), y18.toDoubleArray(), 1e-12);
        double[] cScale = {1, 2, 3, -1}, cBias = {0, 0.5, -0.5, 1};
        Tensor y21 = OnnxNodeCase.of("GroupNormalization", 21).input(Tensors.of(x, n, c, 1, hw))
                .constant(Tensors.of(cScale, 4)).constant(Tensors.of(cBias, 4)).attr("num_groups", 4)
                .attr("epsilon", 0.1f).run1();
        assertArrayEquals(groupNormReference(x, n, c, hw, 4, cScale, cBias, false, 0.1f), y21.toDoubleArray(), 1e-12);
        var e = assertThrows(OnnxException.class, () -> OnnxNodeCase.of("GroupNormalization", 21)
                .input(Tensors.of(x, n, c, hw)).constant(Tensors.of(cScale, 4)).constant(Tensors.of(cBias, 4))
                .attr("num_groups", 3).run());
        assertTrue(e.getMessage().contains("num_groups 3 must be >= 1 and divide the 4 channels"), e.getMessage());
    }

    @Test
    void localResponseNormalization() {
        int n = 2, c = 5, hw = 2;
        double[] x = seq(n * c * hw);
        for (int size : new int[] {1, 2, 3}) {
            double alpha = 0.5, beta = 0.75, bias = 2;
            double[] want = new double[x.length];
            for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < hw; i++) {
                double sq = 0;
                int lo = Math.max(0, ch - (size - 1) / 2), hi = Math.min(c - 1, ch + (size - 1 + 1) / 2);
                for (int k = lo; k <= hi; k++) sq += x[(b * c + k) * hw + i] * x[(b * c + k) * hw + i];
                int at = (b * c + ch) * hw + i;
                want[at] = x[at] / Math.pow(bias + alpha / size * sq, beta);
            }
            Tensor y = OnnxNodeCase.of("LRN", 13).input(Tensors.of(x, n, c, 1, hw)).attr("size", size)
                    .attr("alpha", 0.5f).attr("bias", 2f).run1();
            assertArrayEquals(want, y.toDoubleArray(), 1e-12, "size " + size);
        }
    }

    @Test
    void rmsNormalization() {
        double[] x = seq(12), scale = {1, 2, -1};
        double[] want = new double[12];
        for (int r = 0; r < 4; r++) {
            double ms = 0;
            for (int j = 0; j < 3; j++) ms += x[r * 3 + j] * x[r * 3 + j] / 3;
            for (int j = 0; j < 3; j++) want[r * 3 + j] = x[r * 3 + j] / Math.sqrt(ms + 1e-5f) * scale[j];
        }
        Tensor y = OnnxNodeCase.of("RMSNormalization", 23).input(Tensors.of(x, 2, 2, 3), Shape.of(-1, 2, 3))
                .constant(Tensors.of(scale, 3)).run1();
        assertArrayEquals(want, y.toDoubleArray(), 1e-12);
        // axis 1 of (2, 2, 3): the mean over each example's 6 values, scale of shape (2, 3)
        double[] scale6 = {1, 2, 3, 4, 5, 6};
        double[] want6 = new double[12];
        for (int b = 0; b < 2; b++) {
            double ms = 0;
            for (int j = 0; j < 6; j++) ms += x[b * 6 + j] * x[b * 6 + j] / 6;
            for (int j = 0; j < 6; j++) want6[b * 6 + j] = x[b * 6 + j] / Math.sqrt(ms + 0.5f) * scale6[j];
        }
        Tensor y6 = OnnxNodeCase.of("RMSNormalization", 23).input(Tensors.of(x, 2, 2, 3))
                .constant(Tensors.of(scale6, 2, 3)).attr("axis", 1).attr("epsilon", 0.5f).run1();
        assertArrayEquals(want6, y6.toDoubleArray(), 1e-12);
    }
}
