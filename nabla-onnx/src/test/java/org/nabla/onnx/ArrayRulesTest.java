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

/** DepthToSpace, SpaceToDepth, Trilu and EyeLike (in ArrayRules) against index loops over their definitions. */
class ArrayRulesTest {
    private static double[] iota(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return v;
    }

    /** DepthToSpace: y[n, c, h*b + i, w*b + j] = x[n, channel, h, w], channel by the mode's bit order. */
    static double[] depthToSpaceReference(double[] x, int n, int c, int h, int w, int b, boolean crd) {
        int oc = c / (b * b);
        double[] y = new double[x.length];
        for (int bn = 0; bn < n; bn++) for (int ch = 0; ch < oc; ch++) for (int yy = 0; yy < h * b; yy++) {
            for (int xx = 0; xx < w * b; xx++) {
                int i = yy % b, j = xx % b;
                int src = crd ? ch * b * b + i * b + j : (i * b + j) * oc + ch;
                y[((bn * oc + ch) * h * b + yy) * w * b + xx] = x[((bn * c + src) * h + yy / b) * w + xx / b];
            }
        }
        return y;
    }

    @Test
    void depthToSpaceInBothModesAndSpaceToDepthInvertsDcr() {
        int n = 2, c = 8, h = 2, w = 3, b = 2;
        double[] x = iota(n * c * h * w);
        for (String mode : new String[] {"DCR", "CRD"}) {
            Tensor y = OnnxNodeCase.of("DepthToSpace", 13).input(Tensors.of(x, n, c, h, w), Shape.of(-1, c, h, w))
                    .attr("blocksize", b).attr("mode", mode).run1();
            assertEquals(Shape.of(n, 2, 4, 6), y.shape());
            assertArrayEquals(depthToSpaceReference(x, n, c, h, w, b, mode.equals("CRD")), y.toDoubleArray(), mode);
        }
        double[] space = depthToSpaceReference(x, n, c, h, w, b, false);
        Tensor back = OnnxNodeCase.of("SpaceToDepth", 13).input(Tensors.of(space, n, 2, 4, 6), Shape.of(-1, 2, 4, 6))
                .attr("blocksize", b).run1();
        assertEquals(Shape.of(n, c, h, w), back.shape());
        assertArrayEquals(x, back.toDoubleArray());
    }

    @Test
    void depthToSpaceHandWorked() {
        // one example, 4 channels of 1x1, blocksize 2: DCR lays channels 0..3 out row by row
        Tensor y = OnnxNodeCase.of("DepthToSpace", 13).input(Tensors.of(new float[] {1, 2, 3, 4}, 1, 4, 1, 1))
                .attr("blocksize", 2).run1();
        assertArrayEquals(new float[] {1, 2, 3, 4}, y.toFloatArray());
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        var e = assertThrows(OnnxException.class, () -> OnnxNodeCase.of("SpaceToDepth", 13)
                .input(Tensors.of(new float[6], 1, 1, 2, 3)).attr("blocksize", 2).run());
        assertTrue(e.getMessage().contains("height 2 and width 3 must be multiples of blocksize 2"), e.getMessage());
    }

    @Test
    void triluUpperAndLowerWithDiagonalOffsets() {
        int rows = 3, cols = 4;
        double[] x = new double[2 * rows * cols];
        for (int i = 0; i < x.length; i++) x[i] = i + 1;
        for (boolean upper : new boolean[] {true, false}) {
            for (long k : new long[] {-4, -1, 0, 2, 5}) {
                double[] want = new double[x.length];
                for (int m = 0; m < 2; m++) for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) {
                    boolean keep = upper ? j - i >= k : j - i <= k;
                    want[(m * rows + i) * cols + j] = keep ? x[(m * rows + i) * cols + j] : 0;
                }
                Tensor y = OnnxNodeCase.of("Trilu", 14).input(Tensors.of(x, 2, rows, cols))
                        .constant(Tensors.scalar(k)).attr("upper", upper ? 1 : 0).run1();
                assertArrayEquals(want, y.toDoubleArray(), "upper " + upper + " k " + k);
            }
        }
        Tensor ints = OnnxNodeCase.of("Trilu", 14).input(Tensors.of(new int[] {1, 2, 3, 4}, 2, 2)).run1();
        assertEquals(DType.INT32, ints.dtype());
        assertArrayEquals(new int[] {1, 2, 0, 4}, ints.toIntArray());
        var e = assertThrows(OnnxException.class, () -> OnnxNodeCase.of("Trilu", 14).input(Tensors.of(new int[] {1}, 1))
                .run());
        assertTrue(e.getMessage().contains("input must have rank >= 2"), e.getMessage());
    }

    @Test
    void eyeLikeWithOffsetsAndDtypes() {
        Tensor like = Tensors.of(new float[12], 3, 4);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0},
                OnnxNodeCase.of("EyeLike", 9).input(like).run1().toFloatArray());
        Tensor up = OnnxNodeCase.of("EyeLike", 9).input(like).attr("k", 2).attr("dtype", 7).run1();
        assertEquals(DType.INT64, up.dtype());
        assertArrayEquals(new long[] {0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0}, up.toLongArray());
        Tensor down = OnnxNodeCase.of("EyeLike", 9).input(Tensors.of(new int[6], 3, 2)).attr("k", -1).run1();
        assertEquals(DType.INT32, down.dtype());
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 1}, down.toIntArray());
    }

    @Test
    void emptyMatricesAndViews() {
        Tensor empty = OnnxNodeCase.of("Trilu", 14).input(Tensors.of(new float[0], 2, 0, 3)).run1();
        assertEquals(Shape.of(2, 0, 3), empty.shape());
        // a transposed (strided) view fed as the input
        Tensor view = org.nabla.Ops.transpose(Tensors.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3));
        assertTrue(!view.isDense(), "the input should be a strided view");
        Tensor y = OnnxNodeCase.of("Trilu", 14).input(view).attr("upper", 0).run1();
        assertArrayEquals(new float[] {1, 0, 0, 2, 5, 0, 3, 6, 9}, y.toFloatArray());
    }

    /** Expand: NumPy broadcasting of the input with the target shape (Infer.broadcast), larger input dims kept. */
    @Test
    void expandBroadcastsWithTheTargetShape() {
        Tensor y = OnnxNodeCase.of("Expand", 13).input(Tensors.of(new float[] {1, 2, 3}, 3, 1))
                .constant(Tensors.of(new long[] {2, 1, 2})).run1();
        assertEquals(Shape.of(2, 3, 2), y.shape());
        assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}, y.toFloatArray());
        var e = assertThrows(OnnxException.class, () -> OnnxNodeCase.of("Expand", 13)
                .input(Tensors.of(new float[] {1, 2, 3}, 3)).constant(Tensors.of(new long[] {2})).run1());
        assertTrue(e.getMessage().contains("Expand: shapes (3,) and (2,) cannot be broadcast"), e.getMessage());
    }
}
