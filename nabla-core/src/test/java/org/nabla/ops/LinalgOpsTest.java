package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.TensorAssert.assertExact;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** MatMul against a float64 triple loop: sizes, transposes, views, batch broadcasting, dtypes, inf/NaN, errors. */
class LinalgOpsTest {
    private final Random rnd = new Random(42);

    @Test
    void multipliesHandWorkedMatrices() {
        Tensor a = Tensors.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor b = Tensors.of(new float[][] {{7, 8}, {9, 10}, {11, 12}});
        assertClose(new double[] {58, 64, 139, 154}, a.matmul(b), DType.FLOAT32, new int[] {2, 2}, 0);
        assertClose(new double[] {39, 49, 59, 54, 68, 82, 69, 87, 105}, Ops.matmul(a, b, true, true),
                DType.FLOAT32, new int[] {3, 3}, 0);
    }

    @Test
    void matchesFloat64ReferenceOnRandomSizesAndTransposes() {
        int[][] sizes = {{1, 1, 1}, {1, 7, 1}, {7, 7, 7}, {33, 1, 33}, {1, 129, 7}, {129, 33, 7}, {257, 129, 33},
            {33, 257, 129}, {64, 100, 300}, {257, 257, 257}};
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                DType dtype = t % 2 == 0 && s[0] < 200 ? DType.FLOAT64 : DType.FLOAT32;
                check(dtype, ta ? new int[] {s[1], s[0]} : new int[] {s[0], s[1]},
                        tb ? new int[] {s[2], s[1]} : new int[] {s[1], s[2]}, ta, tb);
            }
        }
    }

    @Test
    void broadcastsBatchDimensions() {
        check(DType.FLOAT32, new int[] {2, 1, 3, 4}, new int[] {5, 4, 6}, false, false);
        check(DType.FLOAT64, new int[] {3, 2, 5}, new int[] {5, 4}, false, false);
        check(DType.FLOAT32, new int[] {3, 4}, new int[] {2, 2, 3, 7}, true, false);
        check(DType.FLOAT32, new int[] {1, 40, 70}, new int[] {3, 90, 70}, false, true);
        Tensor out = Ops.matmul(Tensors.of(new float[24], 2, 1, 3, 4), Tensors.of(new float[120], 5, 4, 6));
        assertEquals(Shape.of(2, 5, 3, 6), out.shape());
    }

    @Test
    void integerMatricesAreExact() {
        Tensor a = Tensors.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensors.of(new int[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertExact(new long[] {58, 64, 139, 154}, a.matmul(b), DType.INT32, 2, 2);
        Tensor al = Tensors.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor bl = Tensors.of(new long[] {7, 8, 9, 10, 11, 12}, 2, 3);
        assertExact(new long[] {50, 68, 122, 167}, Ops.matmul(al, bl, false, true), DType.INT64, 2, 2);
        check(DType.INT32, new int[] {2, 5, 3}, new int[] {3, 4}, false, false);
        check(DType.INT64, new int[] {5, 3}, new int[] {2, 4, 5}, true, true);
    }

    @Test
    void transposedViewsGiveTheSameResultAsDenseCopies() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
            Tensor a = random(dtype, 2, 40, 30);
            Tensor b = random(dtype, 30, 50);
            Tensor at = a.transpose(0, 2, 1); // a strided view [2, 30, 40]
            Tensor bt = b.transpose(); // [50, 30]
            double[] expected = reference(a, b, false, false);
            assertClose(expected, Ops.matmul(at, bt, true, true), dtype, new int[] {2, 40, 50}, 1e-5);
            assertClose(expected, Ops.matmul(at.dense(), bt, true, true), dtype, new int[] {2, 40, 50}, 1e-5);
            double[] viaViews = reference(at.dense(), b, true, false);
            assertClose(viaViews, Ops.matmul(at, b, true, false), dtype, new int[] {2, 40, 50}, 1e-5);
            // A view that is neither row- nor column-major in its last two axes is copied first.
            Tensor perm = random(dtype, 30, 2, 40).transpose(1, 2, 0); // [2, 40, 30]
            assertClose(reference(perm.dense(), b, false, false), perm.matmul(b), dtype, new int[] {2, 40, 50}, 1e-5);
        }
    }

    @Test
    void emptyShapesAndZeroInnerDimension() {
        Tensor z = Tensors.of(new float[0], 3, 0).matmul(Tensors.of(new float[0], 0, 4));
        assertClose(new double[12], z, DType.FLOAT32, new int[] {3, 4}, 0);
        assertEquals(Shape.of(0, 3, 5), Ops.matmul(Tensors.of(new double[0], 0, 3, 4),
                Tensors.of(new double[20], 4, 5)).shape());
        assertEquals(Shape.of(2, 0, 5), Ops.matmul(Tensors.of(new float[0], 2, 0, 4),
                Tensors.of(new float[20], 4, 5)).shape());
        assertExact(new long[4], Ops.matmul(Tensors.of(new long[0], 2, 0), Tensors.of(new long[0], 0, 2)),
                DType.INT64, 2, 2);
    }

    @Test
    void infAndNanPropagate() {
        for (int n : new int[] {2, 70}) { // a small product and one that takes the packed path
            float[] a = new float[n * n];
            float[] b = new float[n * n];
            b[n + 1] = Float.POSITIVE_INFINITY; // row 1, column 1; a is zero: 0 * inf = NaN in column 1
            a[0] = Float.NaN; // a[0][0]: NaN * 0 = NaN across row 0
            double[] out = Tensors.of(a, n, n).matmul(Tensors.of(b, n, n)).toDoubleArray();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    boolean nan = i == 0 || j == 1;
                    assertEquals(nan, Double.isNaN(out[i * n + j]), "n=" + n + " at [" + i + "," + j + "]");
                    if (!nan) assertEquals(0.0, out[i * n + j]);
                }
            }
            Tensor inf = Tensors.of(new float[] {Float.POSITIVE_INFINITY, 1}, 1, 2);
            assertClose(new double[] {Double.POSITIVE_INFINITY}, inf.matmul(Tensors.of(new float[] {2, 3}, 2, 1)),
                    DType.FLOAT32, new int[] {1, 1}, 0);
        }
    }

    @Test
    void rejectsBadShapesAndDtypesWithClearMessages() {
        Tensor m23 = Tensors.of(new float[6], 2, 3);
        Tensor v3 = Tensors.of(new float[3], 3);
        OpException rank = assertThrows(OpException.class, () -> m23.matmul(v3));
        assertTrue(rank.getMessage().startsWith("MatMul: input 'b' has shape (3,) (rank 1) but both inputs need "
                + "rank >= 2"), rank.getMessage());
        OpException inner = assertThrows(OpException.class, () -> m23.matmul(Tensors.of(new float[8], 4, 2)));
        assertEquals("MatMul: inner dimensions do not match: a (2, 3) (transposeA=false) has 3 columns but b (4, 2)"
                + " (transposeB=false) has 4 rows", inner.getMessage());
        OpException innerT = assertThrows(OpException.class, () -> Ops.matmul(m23, m23, true, true));
        assertTrue(innerT.getMessage().endsWith("a (2, 3) (transposeA=true) has 2 columns but b (2, 3)"
                + " (transposeB=true) has 3 rows"), innerT.getMessage());
        OpException batch = assertThrows(OpException.class,
                () -> Ops.matmul(Tensors.of(new float[24], 2, 3, 4), Tensors.of(new float[60], 3, 4, 5)));
        assertTrue(batch.getMessage().startsWith("MatMul: batch dimensions of a (2, 3, 4) and b (3, 4, 5) cannot be"
                + " broadcast"), batch.getMessage());
        OpException dtype = assertThrows(OpException.class, () -> m23.matmul(Tensors.of(new double[6], 3, 2)));
        assertTrue(dtype.getMessage().contains("MatMul") && dtype.getMessage().contains("float64"),
                dtype.getMessage());
        Tensor bools = Tensors.of(new boolean[][] {{true}});
        OpException bool = assertThrows(OpException.class, () -> bools.matmul(bools));
        assertTrue(bool.getMessage().contains("MatMul: input 'a' has dtype bool"), bool.getMessage());
    }

    @Test
    void inferenceAcceptsUnknownDimensions() {
        TensorSpec a = TensorSpec.of(DType.FLOAT32, Shape.of(-1, 3, -1));
        TensorSpec b = TensorSpec.of(DType.FLOAT32, Shape.of(5, 4));
        TensorSpec[] out = LinalgOps.MATMUL.infer(new TensorSpec[] {a, b},
                LinalgOps.MATMUL.resolveAttrs(Attrs.EMPTY));
        assertArrayEquals(new int[] {-1, 3, 4}, out[0].shape().dims());
    }

    // ---------------------------------------------------------------- helpers

    private void check(DType dtype, int[] sa, int[] sb, boolean ta, boolean tb) {
        Tensor a = random(dtype, sa);
        Tensor b = random(dtype, sb);
        Tensor out = Ops.matmul(a, b, ta, tb);
        double[] expected = reference(a, b, ta, tb);
        int k = sa[sa.length - (ta ? 2 : 1)];
        double tol = dtype == DType.FLOAT32 ? 2e-6 * k : dtype == DType.FLOAT64 ? 1e-13 * k : 0;
        assertClose(expected, out, dtype, out.shape().dims(), tol);
    }

    private Tensor random(DType dtype, int... shape) {
        int n = Shape.of(shape).intSize();
        return switch (dtype) {
            case FLOAT32 -> {
                float[] x = new float[n];
                for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() * 2 - 1;
                yield Tensors.of(x, shape);
            }
            case FLOAT64 -> {
                double[] x = new double[n];
                for (int i = 0; i < n; i++) x[i] = rnd.nextDouble() * 2 - 1;
                yield Tensors.of(x, shape);
            }
            case INT32 -> {
                int[] x = new int[n];
                for (int i = 0; i < n; i++) x[i] = rnd.nextInt(19) - 9;
                yield Tensors.of(x, shape);
            }
            default -> {
                long[] x = new long[n];
                for (int i = 0; i < n; i++) x[i] = rnd.nextInt(19) - 9;
                yield Tensors.of(x, shape);
            }
        };
    }

    /** np.matmul in float64 with plain loops: batch axes broadcast, last two axes multiplied. */
    private static double[] reference(Tensor ta0, Tensor tb0, boolean ta, boolean tb) {
        int[] sa = ta0.shape().dims(), sb = tb0.shape().dims();
        double[] a = ta0.toDoubleArray(), b = tb0.toDoubleArray();
        int ra = sa.length, rb = sb.length;
        int m = ta ? sa[ra - 1] : sa[ra - 2], k = ta ? sa[ra - 2] : sa[ra - 1];
        int n = tb ? sb[rb - 2] : sb[rb - 1];
        int br = Math.max(ra, rb) - 2;
        int[] bd = new int[br];
        for (int i = 0; i < br; i++) {
            int da = i - (br - (ra - 2)) >= 0 ? sa[i - (br - (ra - 2))] : 1;
            int db = i - (br - (rb - 2)) >= 0 ? sb[i - (br - (rb - 2))] : 1;
            bd[i] = Math.max(da, db);
        }
        int batch = 1;
        for (int d : bd) batch *= d;
        double[] out = new double[batch * m * n];
        int[] idx = new int[br];
        for (int bi = 0; bi < batch; bi++) {
            int rem = bi;
            for (int i = br - 1; i >= 0; i--) {
                idx[i] = rem % bd[i];
                rem /= bd[i];
            }
            int aBase = batchOffset(idx, sa) * sa[ra - 2] * sa[ra - 1];
            int bBase = batchOffset(idx, sb) * sb[rb - 2] * sb[rb - 1];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double x = a[aBase + (ta ? p * m + i : i * k + p)];
                        double y = b[bBase + (tb ? j * k + p : p * n + j)];
                        s += x * y;
                    }
                    out[(bi * m + i) * n + j] = s;
                }
            }
        }
        return out;
    }

    /** Flat index of the (broadcast) batch entry {@code idx} in a tensor of shape {@code s}. */
    private static int batchOffset(int[] idx, int[] s) {
        int r = s.length - 2;
        int shift = idx.length - r;
        int off = 0;
        for (int i = 0; i < r; i++) off = off * s[i] + (s[i] == 1 ? 0 : idx[i + shift]);
        return off;
    }
}
