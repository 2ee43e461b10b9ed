package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.TensorAssert.assertExact;
import static org.nabla.ops.ArrayOpsTest.assertThrowsMessage;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Sort, Argsort and TopK. */
class ArrayOpsSortingTest {
    private static final double NAN = Double.NaN;

    @Test
    void sortsWithNaNLastAndStableArgsort() {
        Tensor v = Tensors.of(new float[] {3, Float.NaN, -1, 3, 0, -0f, 2});
        assertClose(new double[] {-1, 0, 0, 2, 3, 3, NAN}, v.sort(), DType.FLOAT32, new int[] {7}, 0);
        assertClose(new double[] {NAN, 3, 3, 2, 0, 0, -1}, Ops.sort(v, 0, true), DType.FLOAT32, new int[] {7}, 0);
        assertExact(new long[] {2, 4, 5, 6, 0, 3, 1}, v.argsort(), DType.INT32, 7);
        assertExact(new long[] {1, 0, 3, 6, 4, 5, 2}, Ops.argsort(v, -1, true), DType.INT32, 7);
        Tensor d = Tensors.of(new double[] {2, NAN, 1, 2});
        assertExact(new long[] {2, 0, 3, 1}, d.argsort(), DType.INT32, 4);
        assertExact(new long[] {1, 0, 3, 2}, Ops.argsort(d, 0, true), DType.INT32, 4);
        Tensor u = Tensors.of(new byte[] {(byte) 200, 5, (byte) 255, 5});
        assertExact(new long[] {5, 5, 200, 255}, u.sort(), DType.UINT8, 4);
        assertExact(new long[] {1, 3, 0, 2}, u.argsort(), DType.INT32, 4);
        Tensor l = Tensors.of(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0, 0});
        assertExact(new long[] {1, 2, 3, 0}, l.argsort(), DType.INT32, 4);
        assertExact(new long[] {0, 2, 3, 1}, Ops.argsort(l, 0, true), DType.INT32, 4);
        assertExact(new long[] {Long.MAX_VALUE, 0, 0, Long.MIN_VALUE}, Ops.sort(l, 0, true), DType.INT64, 4);
    }

    @Test
    void sortsAlongAnyAxisOfStridedInputs() {
        Tensor m = Tensors.of(new int[][] {{3, 1, 2}, {0, 5, 4}});
        assertExact(new long[] {0, 1, 2, 3, 5, 4}, Ops.sort(m, 0, false), DType.INT32, 2, 3);
        assertExact(new long[] {1, 0, 0, 0, 1, 1}, Ops.argsort(m, 0, false), DType.INT32, 2, 3);
        Tensor t = m.transpose(); // [[3 0] [1 5] [2 4]]
        assertExact(new long[] {0, 3, 1, 5, 2, 4}, t.sort(), DType.INT32, 3, 2);
        assertExact(new long[] {1, 0, 2, 4, 3, 5}, Ops.sort(t, 0, false), DType.INT32, 3, 2);
        assertEquals(Shape.of(0, 3), Tensors.of(new float[0], 0, 3).sort().shape());
        assertEquals(Shape.of(2, 0), Tensors.of(new float[0], 2, 0).argsort().shape());
    }

    @Test
    void argsortMatchesAStableReferenceOnRandomData() {
        Random rnd = new Random(21);
        int rows = 6;
        for (int n : new int[] {50, 300}) { // comparison sort and radix sort rows
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.UINT8}) {
            double[] x = new double[rows * n];
            for (int i = 0; i < x.length; i++) x[i] = rnd.nextInt(9) - 4 + (dt == DType.UINT8 ? 4 : 0); // many ties
            if (dt == DType.FLOAT32) x[11] = -0f;
            if (n == 300 && dt != DType.UINT8) x[40] = dt == DType.INT64 ? -(1L << 52) : dt == DType.INT32 ? -7 : -3e9;
            if (dt.isFloating()) x[7] = NAN;
            Tensor t = ReductionOpsTest.tensor(x, dt).reshape(rows, n);
            for (boolean desc : new boolean[] {false, true}) {
                long[] ref = new long[rows * n];
                double[] sorted = new double[rows * n];
                for (int r = 0; r < rows; r++) {
                    int base = r * n;
                    // NaN largest, -0.0 equal to 0.0 (adding 0.0 turns -0.0 into 0.0)
                    Comparator<Integer> byValue = (i, j) -> Double.compare(x[base + i] + 0.0, x[base + j] + 0.0);
                    Integer[] order = IntStream.range(0, n).boxed().sorted(desc ? byValue.reversed()
                            .thenComparing(Comparator.naturalOrder()) : byValue).toArray(Integer[]::new);
                    for (int k = 0; k < n; k++) {
                        ref[base + k] = order[k];
                        sorted[base + k] = x[base + order[k]];
                    }
                }
                assertExact(ref, Ops.argsort(t, 1, desc), DType.INT32, rows, n);
                assertClose(sorted, Ops.sort(t, -1, desc), dt, new int[] {rows, n}, 0);
            }
        }
        }
    }

    @Test
    void topKKeepsLowerIndicesFirstOnTies() {
        Tensor v = Tensors.of(new float[][] {{1, 3, 3, 2}, {Float.NaN, 0, 5, 5}});
        Tensor[] top = Ops.topK(v, 2);
        assertClose(new double[] {3, 3, NAN, 5}, top[0], DType.FLOAT32, new int[] {2, 2}, 0);
        assertExact(new long[] {1, 2, 0, 2}, top[1], DType.INT32, 2, 2);
        Tensor[] none = Ops.topK(v, 0);
        assertEquals(Shape.of(2, 0), none[0].shape());
        Tensor[] ints = Ops.topK(Tensors.of(new long[] {4, 9, 1, 9}), 3);
        assertExact(new long[] {9, 9, 4}, ints[0], DType.INT64, 3);
        assertExact(new long[] {1, 3, 0}, ints[1], DType.INT32, 3);
        Tensor[] strided = Ops.topK(Tensors.of(new int[][] {{1, 2}, {3, 0}}).transpose(), 1); // [[1 3] [2 0]]
        assertExact(new long[] {3, 2}, strided[0], DType.INT32, 2, 1);
        assertExact(new long[] {1, 0}, strided[1], DType.INT32, 2, 1);
        assertThrowsMessage("TopK: k = 5 must be in [0, 4] (last dimension of (2, 4))", () -> Ops.topK(v, 5));
        assertThrowsMessage("TopK: input must have rank >= 1", () -> Ops.topK(Tensors.scalar(1f), 1));
        assertThrowsMessage("Sort: input must have rank >= 1", () -> Tensors.scalar(1f).sort());
        assertThrowsMessage("Argsort: axis 2 is out of range", () -> Ops.argsort(v, 2, false));
        assertThrowsMessage("Sort: input 'x' must be numeric", () -> Tensors.of(new boolean[] {true}).sort());
        assertArrayEquals(new int[] {2, 2}, top[1].shape().dims());
    }

    @Test
    void topKSelectionMatchesFullSortOnLongRows() {
        Random rnd = new Random(8);
        int rows = 5, n = 300, k = 7;
        for (DType dt : new DType[] {DType.FLOAT32, DType.INT32, DType.UINT8, DType.FLOAT64}) {
            double[] x = new double[rows * n];
            for (int i = 0; i < x.length; i++) x[i] = rnd.nextInt(40);
            if (dt == DType.FLOAT32) x[17] = NAN;
            Tensor t = ReductionOpsTest.tensor(x, dt).reshape(rows, n);
            Tensor order = Ops.argsort(t, -1, true).slice(new int[] {0, 0}, new int[] {rows, k});
            Tensor[] top = Ops.topK(t, k);
            assertArrayEquals(order.toLongArray(), top[1].toLongArray(), dt.toString());
            assertClose(Ops.sort(t, -1, true).slice(new int[] {0, 0}, new int[] {rows, k}).toDoubleArray(),
                    top[0].toDoubleArray(), 0);
        }
    }
}
