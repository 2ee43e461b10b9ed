package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

class StridedTest {
    /** Every permutation of a 3-D tensor, made dense, matches an index-by-index reference. */
    @Test
    void denseCopiesOfAllPermutationsMatchTheReference() {
        int[] d = {5, 37, 70};
        int n = d[0] * d[1] * d[2];
        int[] values = new int[n];
        for (int i = 0; i < n; i++) values[i] = i * 7 + 3;
        Tensor x = Tensors.of(values, d);
        int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] p : perms) {
            Tensor t = Ops.transpose(x, p).dense();
            int[] od = {d[p[0]], d[p[1]], d[p[2]]};
            int[] expected = new int[n];
            int o = 0;
            for (int a = 0; a < od[0]; a++) {
                for (int b = 0; b < od[1]; b++) {
                    for (int c = 0; c < od[2]; c++) {
                        int[] src = new int[3];
                        src[p[0]] = a;
                        src[p[1]] = b;
                        src[p[2]] = c;
                        expected[o++] = values[(src[0] * d[1] + src[1]) * d[2] + src[2]];
                    }
                }
            }
            assertArrayEquals(expected, t.toIntArray(), () -> "perm " + java.util.Arrays.toString(p));
        }
    }

    @Test
    void transposedFloatMatrixCopiesExactly() {
        float[] v = new float[300 * 129];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Tensor t = Tensors.of(v, 300, 129).transpose().dense();
        assertEquals(DType.FLOAT32, t.dtype());
        float[] got = t.toFloatArray();
        for (int r = 0; r < 129; r++) for (int c = 0; c < 300; c++) assertEquals(c * 129 + r, got[r * 300 + c]);
    }

    @Test
    void doublesConvertToInt64() {
        assertArrayEquals(new long[] {1, -2}, Tensors.convert(new double[] {1, -2}, DType.INT64).toLongArray());
    }
}
