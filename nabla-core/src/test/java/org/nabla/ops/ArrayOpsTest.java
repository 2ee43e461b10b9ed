package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.TensorAssert.assertExact;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Joining, splitting, layout views, tiling and padding. Indexing and sorting have their own test classes. */
class ArrayOpsTest {
    static Tensor iota(DType dtype, int... shape) {
        int n = Shape.of(shape).intSize();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return dtype == DType.INT64 ? Tensors.of(longs(v), shape) : Tensors.convert(v, dtype).reshape(shape);
    }

    static long[] longs(double[] v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) l[i] = (long) v[i];
        return l;
    }

    static void assertThrowsMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    // ---------------------------------------------------------------- concat / stack / split

    @Test
    void concatJoinsAlongAnyAxisForEveryDtype() {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.UINT8}) {
            Tensor a = iota(d, 2, 2);          // [[0 1] [2 3]]
            Tensor b = iota(d, 2, 1);          // [[0] [1]]
            assertExact(new long[] {0, 1, 0, 2, 3, 1}, Ops.concat(1, a, b), d, 2, 3);
            assertExact(new long[] {0, 1, 2, 3, 0, 1, 2, 3}, Ops.concat(List.of(a, a), -2), d, 4, 2);
        }
        Tensor bools = Ops.concat(0, Tensors.of(new boolean[] {true}), Tensors.of(new boolean[] {false, true}));
        assertArrayEquals(new boolean[] {true, false, true}, bools.toBooleanArray());
        Tensor t = iota(DType.FLOAT32, 2, 3).transpose(); // non-contiguous (3, 2)
        assertClose(new double[] {0, 3, 1, 4, 2, 5, 0, 3, 1, 4, 2, 5}, Ops.concat(0, t, t), DType.FLOAT32,
                new int[] {6, 2}, 0);
        assertEquals(Shape.of(2, 3), Ops.concat(1, iota(DType.FLOAT32, 2, 0), iota(DType.FLOAT32, 2, 3)).shape());
        assertClose(new double[] {1, 2}, Ops.concat(0, Tensors.of(new float[] {1, 2})), DType.FLOAT32, new int[] {2}, 0);
    }

    @Test
    void concatErrorsNameTheInput() {
        Tensor a = iota(DType.FLOAT32, 2, 2);
        assertThrowsMessage("Concat: input 2 has shape (2, 2, 1) (rank 3) but input 0 has (2, 2) (rank 2)",
                () -> Ops.concat(0, a, a, iota(DType.FLOAT32, 2, 2, 1)));
        assertThrowsMessage("Concat: input 1 has dtype int32 but input 0 has float32",
                () -> Ops.concat(0, a, iota(DType.INT32, 2, 2)));
        assertThrowsMessage("Concat: input 1 has shape (2, 3) but input 0 has (2, 2) (dimensions other than axis 0",
                () -> Ops.concat(0, a, iota(DType.FLOAT32, 2, 3)));
        assertThrowsMessage("Concat: axis 2 is out of range for inputs of rank 2", () -> Ops.concat(2, a, a));
        assertThrowsMessage("Concat: axis 0 is out of range for inputs of rank 0",
                () -> Ops.concat(0, Tensors.scalar(1f), Tensors.scalar(2f)));
    }

    @Test
    void stackInsertsANewAxis() {
        Tensor a = Tensors.of(new int[] {1, 2, 3}), b = Tensors.of(new int[] {4, 5, 6});
        assertExact(new long[] {1, 2, 3, 4, 5, 6}, Ops.stack(0, a, b), DType.INT32, 2, 3);
        assertExact(new long[] {1, 4, 2, 5, 3, 6}, Ops.stack(1, a, b), DType.INT32, 3, 2);
        assertExact(new long[] {1, 4, 2, 5, 3, 6}, Ops.stack(-1, a, b), DType.INT32, 3, 2);
        assertExact(new long[] {1, 2, 3, 4, 5, 6}, Ops.stack(-2, a, b), DType.INT32, 2, 3);
        assertExact(new long[] {7, 8}, Ops.stack(0, Tensors.scalar(7), Tensors.scalar(8)), DType.INT32, 2);
        assertThrowsMessage("Stack: axis 2 is out of range for inputs of rank 1 (expected -2 <= axis <= 1)",
                () -> Ops.stack(2, a, b));
        assertThrowsMessage("Stack: input 1 has shape (2,) but input 0 has (3,) (all values must have the same shape)",
                () -> Ops.stack(0, a, Tensors.of(new int[] {1, 2})));
    }

    @Test
    void splitIntoEqualPartsOrSizes() {
        Tensor m = iota(DType.FLOAT64, 2, 6);
        Tensor[] parts = Ops.split(m, 3, 1);
        assertEquals(3, parts.length);
        assertClose(new double[] {2, 3, 8, 9}, parts[1], DType.FLOAT64, new int[] {2, 2}, 0);
        Tensor[] sized = Ops.split(m, new int[] {1, -1, 2}, -1);
        assertClose(new double[] {0, 6}, sized[0], DType.FLOAT64, new int[] {2, 1}, 0);
        assertClose(new double[] {1, 2, 3, 7, 8, 9}, sized[1], DType.FLOAT64, new int[] {2, 3}, 0);
        assertClose(new double[] {4, 5, 10, 11}, sized[2], DType.FLOAT64, new int[] {2, 2}, 0);
        assertSame(m.data(), sized[1].data(), "split parts are views");
        Tensor[] rows = Ops.split(m.transpose(), 2, 0); // split of a strided view
        assertClose(new double[] {0, 6, 1, 7, 2, 8}, rows[0], DType.FLOAT64, new int[] {3, 2}, 0);
        assertEquals(Shape.of(2, 0), Ops.split(m, new int[] {6, 0}, 1)[1].shape());
        assertThrowsMessage("Split: dimension 6 of axis 1 (shape (2, 6)) is not divisible by numSplit=4",
                () -> Ops.split(m, 4, 1));
        assertThrowsMessage("Split: sizes [1, 2] do not add up to dimension 6", () -> Ops.split(m, new int[] {1, 2}, 1));
        assertThrowsMessage("may hold one -1", () -> Ops.split(m, new int[] {-1, -1}, 1));
    }

    // ---------------------------------------------------------------- views: squeeze, expandDims, broadcastTo, identity

    @Test
    void squeezeAndExpandDimsAreViews() {
        Tensor t = iota(DType.INT32, 1, 3, 1);
        assertEquals(Shape.of(3), t.squeeze().shape());
        assertEquals(Shape.of(3, 1), t.squeeze(0).shape());
        assertEquals(Shape.of(1, 3), t.squeeze(-1).shape());
        assertSame(t.data(), t.squeeze().data());
        assertEquals(Shape.SCALAR, Tensors.of(new float[] {5}).squeeze().shape());
        assertThrowsMessage("Squeeze: cannot squeeze axis 1 of shape (1, 3, 1): its size is 3, not 1", () -> t.squeeze(1));
        assertThrowsMessage("Squeeze: axis 3 is out of range", () -> t.squeeze(3));
        Tensor v = Tensors.of(new int[] {1, 2, 3});
        assertExact(new long[] {1, 2, 3}, v.expandDims(0), DType.INT32, 1, 3);
        assertExact(new long[] {1, 2, 3}, v.expandDims(-1), DType.INT32, 3, 1);
        assertExact(new long[] {4}, Tensors.scalar(4).expandDims(0), DType.INT32, 1);
        Tensor tr = iota(DType.INT32, 2, 3).transpose();
        assertExact(new long[] {0, 3, 1, 4, 2, 5}, tr.expandDims(1), DType.INT32, 3, 1, 2);
        assertExact(new long[] {0, 3, 1, 4, 2, 5}, tr.expandDims(1).squeeze(1), DType.INT32, 3, 2);
        assertThrowsMessage("ExpandDims: axis 3 is out of range for an input of rank 1 (expected -2 <= axis <= 1)",
                () -> v.expandDims(3));
        assertSame(v, Ops.identity(v));
    }

    @Test
    void reshapeOfStridedViewsAvoidsCopiesWhereTheLayoutAllows() {
        Tensor m = iota(DType.INT32, 4, 6);
        Tensor cols = m.slice(new int[] {0, 0}, new int[] {4, 4}); // strides (6, 1)
        Tensor split = cols.reshape(4, 2, 2);
        assertSame(m.data(), split.data(), "splitting a contiguous axis is a view");
        assertExact(new long[] {0, 1, 2, 3, 6, 7, 8, 9, 12, 13, 14, 15, 18, 19, 20, 21}, split, DType.INT32, 4, 2, 2);
        assertExact(new long[] {0, 1, 2, 3, 6, 7, 8, 9, 12, 13, 14, 15, 18, 19, 20, 21}, cols.reshape(16), DType.INT32,
                16);
        Tensor t = m.transpose(); // (6, 4)
        Tensor expanded = t.reshape(6, 1, 4, 1);
        assertSame(m.data(), expanded.data());
        assertExact(t.dense().toLongArray(), expanded, DType.INT32, 6, 1, 4, 1);
        assertExact(t.dense().toLongArray(), t.reshape(2, 3, 2, 2), DType.INT32, 2, 3, 2, 2);
        assertExact(t.dense().toLongArray(), t.reshape(-1), DType.INT32, 24);
        assertEquals(Shape.of(0, 2), iota(DType.INT32, 2, 0).transpose().reshape(0, 2).shape());
        assertExact(new long[] {7}, Tensors.of(new int[] {7}).reshape().reshape(1, 1), DType.INT32, 1, 1);
    }

    @Test
    void broadcastToIsAZeroStrideView() {
        Tensor col = Tensors.of(new float[][] {{1}, {2}});
        Tensor b = col.broadcastTo(3, 2, 4);
        assertFalse(b.isDense());
        assertSame(col.data(), b.data());
        double[] expected = new double[24];
        for (int i = 0; i < 24; i++) expected[i] = (i / 4) % 2 + 1;
        assertClose(expected, b, DType.FLOAT32, new int[] {3, 2, 4}, 0);
        assertClose(new double[] {7, 7, 7}, Tensors.scalar(7f).broadcastTo(3), DType.FLOAT32, new int[] {3}, 0);
        assertClose(new double[] {2, 4, 6, 2, 4, 6}, Tensors.of(new float[] {1, 2, 3}).broadcastTo(2, 3)
                .add(Tensors.of(new float[] {1, 2, 3})), DType.FLOAT32, new int[] {2, 3}, 0);
        assertThrowsMessage("BroadcastTo: cannot broadcast (2, 1) to (3, 4): dimension 0 is 2 vs 3",
                () -> col.broadcastTo(3, 4));
        assertThrowsMessage("the target has fewer dimensions", () -> col.broadcastTo(2));
    }

    // ---------------------------------------------------------------- tile

    @Test
    void tileMatchesReference() {
        Tensor m = Tensors.of(new int[][] {{1, 2}, {3, 4}});
        assertExact(new long[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4},
                m.tile(2, 3), DType.INT32, 4, 6);
        assertExact(new long[] {1, 3, 1, 3, 2, 4, 2, 4}, m.transpose().tile(1, 2), DType.INT32, 2, 4);
        assertEquals(Shape.of(0, 2), m.tile(0, 1).shape());
        assertExact(new long[] {5}, Tensors.scalar(5).tile(), DType.INT32);
        Random rnd = new Random(2);
        int a = 3, b = 4, c = 5;
        double[] x = new double[a * b * c];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        int[] mult = {2, 1, 3};
        double[] ref = new double[x.length * 6];
        int k = 0;
        for (int i = 0; i < a * 2; i++) {
            for (int j = 0; j < b; j++) for (int l = 0; l < c * 3; l++) ref[k++] = x[((i % a) * b + j) * c + l % c];
        }
        assertClose(ref, Tensors.of(x, a, b, c).tile(mult), DType.FLOAT64, new int[] {6, 4, 15}, 0);
        assertThrowsMessage("Tile: multiples [2] has 1 entries but the input (2, 2) has rank 2", () -> m.tile(2));
        assertThrowsMessage("Tile: multiples must be >= 0", () -> m.tile(1, -1));
    }

    // ---------------------------------------------------------------- pad

    @Test
    void padModesMatchTensorFlow() {
        Tensor m = Tensors.of(new int[][] {{1, 2, 3}, {4, 5, 6}});
        int[][] p = {{1, 1}, {2, 2}};
        assertExact(new long[] {
            0, 0, 0, 0, 0, 0, 0,
            0, 0, 1, 2, 3, 0, 0,
            0, 0, 4, 5, 6, 0, 0,
            0, 0, 0, 0, 0, 0, 0}, m.pad(p), DType.INT32, 4, 7);
        assertExact(new long[] {
            6, 5, 4, 5, 6, 5, 4,
            3, 2, 1, 2, 3, 2, 1,
            6, 5, 4, 5, 6, 5, 4,
            3, 2, 1, 2, 3, 2, 1}, Ops.pad(m, p, "reflect", 0), DType.INT32, 4, 7);
        assertExact(new long[] {
            2, 1, 1, 2, 3, 3, 2,
            2, 1, 1, 2, 3, 3, 2,
            5, 4, 4, 5, 6, 6, 5,
            5, 4, 4, 5, 6, 6, 5}, Ops.pad(m, p, "SYMMETRIC", 0), DType.INT32, 4, 7);
        assertClose(new double[] {9, 1.5, 9}, Ops.pad(Tensors.of(new double[] {1.5}), new int[][] {{1, 1}}, "CONSTANT",
                9), DType.FLOAT64, new int[] {3}, 0);
        assertExact(new long[] {1, 4, 0, 2, 5, 0, 3, 6, 0}, m.transpose().pad(new int[][] {{0, 0}, {0, 1}}),
                DType.INT32, 3, 3);
        assertClose(new double[] {-1, -1}, Ops.pad(Tensors.of(new float[0]), new int[][] {{1, 1}}, "CONSTANT", -1),
                DType.FLOAT32, new int[] {2}, 0);
        assertExact(new long[] {4}, Tensors.scalar(4).pad(new int[0][]), DType.INT32);
    }

    @Test
    void badPaddingsAreRejected() {
        Tensor m = Tensors.of(new int[][] {{1, 2, 3}, {4, 5, 6}});
        assertThrowsMessage("Pad: paddings must have 2 entries (before, after) per axis of the input (2, 3), i.e. 4, "
                + "got 2", () -> m.pad(new int[][] {{1, 1}}));
        assertThrowsMessage("Pad: paddings for axis 1 are [-1, 0]; they must be >= 0", () -> m.pad(new int[][] {{0, 0},
            {-1, 0}}));
        assertThrowsMessage("Pad: REFLECT paddings for axis 0 are [2, 0] but must be <= 1 for a dimension of size 2",
                () -> Ops.pad(m, new int[][] {{2, 0}, {0, 0}}, "REFLECT", 0));
        assertThrowsMessage("Pad: SYMMETRIC paddings for axis 1 are [0, 4] but must be <= 3",
                () -> Ops.pad(m, new int[][] {{0, 0}, {0, 4}}, "SYMMETRIC", 0));
        assertThrowsMessage("Pad: mode must be CONSTANT, REFLECT or SYMMETRIC, got 'WRAP'",
                () -> Ops.pad(m, new int[][] {{0, 0}, {0, 0}}, "wrap", 0));
        assertThrowsMessage("Pad: paddings[1] must be {before, after}", () -> m.pad(new int[][] {{0, 0}, {1}}));
    }

    @Test
    void reflectPadMatchesReferenceOnRandomData() {
        Random rnd = new Random(4);
        int a = 4, b = 5;
        double[] x = new double[a * b];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        int[][] p = {{3, 2}, {1, 4}};
        int oa = a + 5, ob = b + 5;
        double[] ref = new double[oa * ob];
        for (int i = 0; i < oa; i++) {
            for (int j = 0; j < ob; j++) {
                ref[i * ob + j] = x[reflect(i - 3, a) * b + reflect(j - 1, b)];
            }
        }
        assertClose(ref, Ops.pad(Tensors.of(x, a, b), p, "REFLECT", 0), DType.FLOAT64, new int[] {oa, ob}, 0);
    }

    private static int reflect(int i, int n) {
        while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
        return i;
    }

    @Test
    void arrayOpDifferentiabilityFlags() {
        assertFalse(ArrayOps.ARGSORT.isDifferentiable());
        assertFalse(ArrayOps.ONE_HOT.isDifferentiable());
        assertTrue(ArrayOps.TOP_K.isDifferentiable());
        assertTrue(ArrayOps.GATHER.isDifferentiable());
    }
}
