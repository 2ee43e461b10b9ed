package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** ONNX ConvTranspose through the importer against a float64 loop over the operator's definition. */
class ConvTransposeTest {
    /**
     * The definition: every input element x[n, ic, iy, ix] adds x * W[ic, oc', ky, kx] to output position
     * (iy * s + ky * d - begin) of channel group(ic) * C_out/group + oc', where begin is the begin padding.
     */
    static double[] reference(double[] x, int[] xs, double[] w, int[] ws, int group, int[] s, int[] d, int[] begin,
                              int[] out, double[] bias) {
        int n = xs[0], cin = xs[1], h = xs[2], wd = xs[3];
        int ocg = ws[1], kh = ws[2], kw = ws[3], cout = ocg * group, cing = cin / group;
        double[] y = new double[n * cout * out[0] * out[1]];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < cout; oc++) {
                for (int p = 0; p < out[0] * out[1]; p++) {
                    y[(b * cout + oc) * out[0] * out[1] + p] = bias == null ? 0 : bias[oc];
                }
            }
            for (int ic = 0; ic < cin; ic++) {
                int g = ic / cing;
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < wd; ix++) {
                        double v = x[((b * cin + ic) * h + iy) * wd + ix];
                        for (int o = 0; o < ocg; o++) {
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int oy = iy * s[0] + ky * d[0] - begin[0], ox = ix * s[1] + kx * d[1] - begin[1];
                                    if (oy < 0 || oy >= out[0] || ox < 0 || ox >= out[1]) continue;
                                    int oc = g * ocg + o;
                                    y[((b * cout + oc) * out[0] + oy) * out[1] + ox] +=
                                            v * w[((ic * ocg + o) * kh + ky) * kw + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    private static double[] seq(int size, double scale) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) v[i] = Math.sin(i * 0.7 + 0.3) * scale;
        return v;
    }

    @Test
    void onnxExampleWithStridesAndPads() {
        // The operator's documented example: x = 0..8 (1x1x3x3), W all ones (1x2x3x3), strides 3,2, pads 1,2,1,2.
        double[] x = new double[9];
        for (int i = 0; i < 9; i++) x[i] = i;
        double[] w = new double[18];
        java.util.Arrays.fill(w, 1);
        Tensor y = OnnxNodeCase.of("ConvTranspose", 17).input(Tensors.of(x, 1, 1, 3, 3)).constant(Tensors.of(w, 1, 2, 3, 3))
                .ints("strides", 3, 2).ints("pads", 1, 2, 1, 2).run1();
        assertEquals(Shape.of(1, 2, 7, 3), y.shape());
        double[] channel = {1, 1, 3, 1, 1, 3, 7, 4, 9, 7, 4, 9, 7, 4, 9, 13, 7, 15, 13, 7, 15};
        double[] want = new double[42];
        System.arraycopy(channel, 0, want, 0, 21);
        System.arraycopy(channel, 0, want, 21, 21);
        assertArrayEquals(want, y.toDoubleArray(), 1e-12);
        assertArrayEquals(reference(x, new int[] {1, 1, 3, 3}, w, new int[] {1, 2, 3, 3}, 1, new int[] {3, 2},
                new int[] {1, 1}, new int[] {1, 2}, new int[] {7, 3}, null), want, 1e-12);
    }

    @Test
    void groupsDilationsOutputPaddingBiasAndASymbolicBatch() {
        int[] xs = {2, 4, 3, 2}, ws = {4, 3, 2, 3};
        double[] x = seq(48, 1), w = seq(72, 0.5), bias = {0.5, -1, 2, 0.25, 1.5, -0.75};
        // full: 2 * (3 - 1) + (2 - 1) * 2 + 1 = 7 rows, 3 * (2 - 1) + (3 - 1) * 1 + 1 = 6 columns; pads 1,0,0,2;
        // output_padding 1,1 -> 7 + 1 - 1 - 0 = 7 rows, 6 + 1 - 0 - 2 = 5 columns
        double[] want = reference(x, xs, w, ws, 2, new int[] {2, 3}, new int[] {2, 1}, new int[] {1, 0},
                new int[] {7, 5}, bias);
        Tensor y = OnnxNodeCase.of("ConvTranspose", 17).input(Tensors.of(x, xs), Shape.of(-1, 4, 3, 2))
                .constant(Tensors.of(w, ws)).constant(Tensors.of(bias, 6))
                .attr("group", 2).ints("strides", 2, 3).ints("dilations", 2, 1).ints("pads", 1, 0, 0, 2)
                .ints("output_padding", 1, 1).run1();
        assertEquals(Shape.of(2, 6, 7, 5), y.shape());
        assertArrayEquals(want, y.toDoubleArray(), 1e-12);
    }

    @Test
    void float32() {
        int[] xs = {1, 2, 2, 3}, ws = {2, 2, 3, 3};
        double[] x = seq(12, 2), w = seq(36, 1);
        double[] want = reference(x, xs, w, ws, 1, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {4, 5}, null);
        float[] xf = new float[12], wf = new float[36];
        for (int i = 0; i < 12; i++) xf[i] = (float) x[i];
        for (int i = 0; i < 36; i++) wf[i] = (float) w[i];
        Tensor y = OnnxNodeCase.of("ConvTranspose", 11).input(Tensors.of(xf, xs)).constant(Tensors.of(wf, ws)).run1();
        assertEquals(Shape.of(1, 2, 4, 5), y.shape());
        assertArrayEquals(want, y.toDoubleArray(), 1e-5);
    }

    @Test
    void outputShapeBeyondTheFullRangeIsZeroFilled() {
        // ONNX's output_shape example: 3x3 input, strides 3,2, output_shape 10,8. The full range is 9x7, total
        // padding -1: pads begin 0, end -1, so the last row and column hold only the bias.
        double[] x = seq(9, 1), w = seq(18, 1), bias = {1, -2};
        double[] want = reference(x, new int[] {1, 1, 3, 3}, w, new int[] {1, 2, 3, 3}, 1, new int[] {3, 2},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {10, 8}, bias);
        Tensor y = OnnxNodeCase.of("ConvTranspose", 17).input(Tensors.of(x, 1, 1, 3, 3)).constant(Tensors.of(w, 1, 2, 3,
                3)).constant(Tensors.of(bias, 2)).ints("strides", 3, 2).ints("output_shape", 10, 8).run1();
        assertEquals(Shape.of(1, 2, 10, 8), y.shape());
        assertArrayEquals(want, y.toDoubleArray(), 1e-12);
        assertEquals(1.0, y.toDoubleArray()[9 * 8 + 3]);
    }

    @Test
    void samePaddingPutsTheOddElementAtTheEndForUpperAndTheBeginningForLower() {
        // in 3, stride 2 -> output 6; full 2 * 2 + 3 = 7; total padding 1
        double[] x = seq(9, 1), w = seq(9, 1);
        for (String mode : new String[] {"SAME_UPPER", "SAME_LOWER"}) {
            int begin = mode.equals("SAME_UPPER") ? 0 : 1;
            double[] want = reference(x, new int[] {1, 1, 3, 3}, w, new int[] {1, 1, 3, 3}, 1, new int[] {2, 2},
                    new int[] {1, 1}, new int[] {begin, begin}, new int[] {6, 6}, null);
            Tensor y = OnnxNodeCase.of("ConvTranspose", 17).input(Tensors.of(x, 1, 1, 3, 3))
                    .constant(Tensors.of(w, 1, 1, 3, 3)).ints("strides", 2, 2).attr("auto_pad", mode).run1();
            assertEquals(Shape.of(1, 1, 6, 6), y.shape());
            assertArrayEquals(want, y.toDoubleArray(), 1e-12, mode);
        }
    }

    @Test
    void oneDimensional() {
        // x (2, 2, 4), W (2, 3, 3), stride 2, pads 1,0 -> 2 * 3 + 3 - 1 = 8 positions
        double[] x = seq(16, 1), w = seq(18, 1);
        double[] want = reference(x, new int[] {2, 2, 1, 4}, w, new int[] {2, 3, 1, 3}, 1, new int[] {1, 2},
                new int[] {1, 1}, new int[] {0, 1}, new int[] {1, 8}, null);
        Tensor y = OnnxNodeCase.of("ConvTranspose", 17).input(Tensors.of(x, 2, 2, 4)).constant(Tensors.of(w, 2, 3, 3))
                .ints("strides", 2).ints("pads", 1, 0).run1();
        assertEquals(Shape.of(2, 3, 8), y.shape());
        assertArrayEquals(want, y.toDoubleArray(), 1e-12);
    }

    @Test
    void threeSpatialDimensionsRunThroughTheScatterPath() {
        // full size per axis: stride (2 - 1) + (2 - 1) dilation + 1 = 3; ColumnScatterTest checks the values
        Tensor y = OnnxNodeCase.of("ConvTranspose", 17).input(Tensors.of(new float[8], 1, 1, 2, 2, 2))
                .constant(Tensors.of(new float[8], 1, 1, 2, 2, 2)).run1();
        assertEquals(Shape.of(1, 1, 3, 3, 3), y.shape());
    }

    @Test
    void weightChannelMismatchIsNamed() {
        var e = assertThrows(OnnxException.class, () -> OnnxNodeCase.of("ConvTranspose", 17)
                .input(Tensors.of(new float[8], 1, 2, 2, 2)).constant(Tensors.of(new float[12], 3, 1, 2, 2)).run());
        assertTrue(e.getMessage().contains("weight (3, 1, 2, 2) must have the input's 2 channels"), e.getMessage());
    }

    @Test
    void allInputsKnownIsFoldedAtImport() {
        double[] x = seq(8, 1), w = seq(8, 1);
        double[] want = reference(x, new int[] {1, 2, 2, 2}, w, new int[] {2, 1, 2, 2}, 1, new int[] {2, 2},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {4, 4}, null);
        OnnxNodeCase c = OnnxNodeCase.of("ConvTranspose", 17).constant(Tensors.of(x, 1, 2, 2, 2))
                .constant(Tensors.of(w, 2, 1, 2, 2)).ints("strides", 2, 2);
        try (OnnxModel m = c.load()) {
            assertTrue(!m.graph().toString().contains("Conv2DBackpropInput"), m.graph().toString());
        }
        assertArrayEquals(want, c.run1().toDoubleArray(), 1e-12);
    }
}
