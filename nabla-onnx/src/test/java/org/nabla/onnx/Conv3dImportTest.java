package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** ONNX's 3-D Conv through the importer (Ops.conv3d) against a float64 loop over the operator's definition. */
class Conv3dImportTest {
    /** y[n, o, z, y, x] = bias[o] + sum over the group's channels and the taps inside the padded input. */
    static double[] reference(double[] x, int[] xs, double[] w, int[] ws, int group, int[] s, int[] d, int[] pads,
                              int[] out, double[] bias) {
        int n = xs[0], c = xs[1], oc = ws[0], cg = ws[1], ocg = oc / group;
        double[] y = new double[n * oc * out[0] * out[1] * out[2]];
        int i = 0;
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < oc; o++) {
                for (int z = 0; z < out[0]; z++) {
                    for (int r = 0; r < out[1]; r++) {
                        for (int q = 0; q < out[2]; q++, i++) {
                            double sum = bias == null ? 0 : bias[o];
                            for (int ci = 0; ci < cg; ci++) {
                                int ch = (o / ocg) * cg + ci;
                                for (int kz = 0; kz < ws[2]; kz++) {
                                    for (int ky = 0; ky < ws[3]; ky++) {
                                        for (int kx = 0; kx < ws[4]; kx++) {
                                            int iz = z * s[0] + kz * d[0] - pads[0];
                                            int iy = r * s[1] + ky * d[1] - pads[1];
                                            int ix = q * s[2] + kx * d[2] - pads[2];
                                            if (iz < 0 || iz >= xs[2] || iy < 0 || iy >= xs[3] || ix < 0
                                                    || ix >= xs[4]) {
                                                continue;
                                            }
                                            sum += x[(((b * c + ch) * xs[2] + iz) * xs[3] + iy) * xs[4] + ix]
                                                    * w[(((o * cg + ci) * ws[2] + kz) * ws[3] + ky) * ws[4] + kx];
                                        }
                                    }
                                }
                            }
                            y[i] = sum;
                        }
                    }
                }
            }
        }
        return y;
    }

    private static double[] seq(int size, double scale, double phase) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) v[i] = Math.sin(i * 0.7 + phase) * scale;
        return v;
    }

    @Test
    void explicitPadsStridesDilationsGroupsBias() {
        int[] xs = {2, 4, 5, 4, 6}, ws = {6, 2, 2, 3, 2};
        double[] x = seq(2 * 4 * 5 * 4 * 6, 1, 0.3), w = seq(6 * 2 * 2 * 3 * 2, 0.5, 1.1), bias = seq(6, 1, 2);
        Tensor y = OnnxNodeCase.of("Conv", 17).input(Tensors.of(x, xs), Shape.of(-1, 4, 5, 4, 6))
                .constant(Tensors.of(w, ws)).constant(Tensors.of(bias, 6)).attr("group", 2)
                .ints("strides", 2, 1, 2).ints("dilations", 1, 2, 1).ints("pads", 1, 2, 0, 0, 1, 1).run1();
        int[] out = {3, 3, 3};
        assertEquals(Shape.of(2, 6, 3, 3, 3), y.shape());
        assertArrayEquals(reference(x, xs, w, ws, 2, new int[] {2, 1, 2}, new int[] {1, 2, 1}, new int[] {1, 2, 0},
                out, bias), y.toDoubleArray(), 1e-12);
    }

    @Test
    void autoPadSameLowerWithoutBias() {
        int[] xs = {1, 3, 4, 5, 3}, ws = {2, 3, 2, 3, 2};
        double[] x = seq(3 * 4 * 5 * 3, 1, 0.1), w = seq(2 * 3 * 2 * 3 * 2, 0.5, 0.9);
        Tensor y = OnnxNodeCase.of("Conv", 17).input(Tensors.of(x, xs)).constant(Tensors.of(w, ws))
                .attr("auto_pad", "SAME_LOWER").ints("strides", 1, 2, 1).run1();
        assertEquals(Shape.of(1, 2, 4, 3, 3), y.shape());
        // SAME_LOWER puts the odd padding first: depth 1 + 0, height 1 + 1 (out 3 of 5 by 2 with 3 taps), width 1 + 0
        assertArrayEquals(reference(x, xs, w, ws, 1, new int[] {1, 2, 1}, new int[] {1, 1, 1}, new int[] {1, 1, 1},
                new int[] {4, 3, 3}, null), y.toDoubleArray(), 1e-12);
    }
}
