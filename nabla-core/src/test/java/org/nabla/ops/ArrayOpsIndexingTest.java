package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.TensorAssert.assertExact;
import static org.nabla.ops.ArrayOpsTest.assertThrowsMessage;
import static org.nabla.ops.ArrayOpsTest.iota;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Slice, StridedSlice, Gather, GatherNd and OneHot. */
class ArrayOpsIndexingTest {
    // ---------------------------------------------------------------- slice

    @Test
    void sliceIsAViewWithMinusOneToTheEnd() {
        Tensor m = iota(DType.FLOAT32, 3, 4);
        Tensor s = m.slice(new int[] {1, 1}, new int[] {2, -1});
        assertClose(new double[] {5, 6, 7, 9, 10, 11}, s, DType.FLOAT32, new int[] {2, 3}, 0);
        assertSame(m.data(), s.data());
        Tensor t = m.transpose().slice(new int[] {1, 0}, new int[] {2, 2}); // rows 1-2 of the (4, 3) transpose
        assertClose(new double[] {1, 5, 2, 6}, t, DType.FLOAT32, new int[] {2, 2}, 0);
        assertEquals(Shape.of(0, 4), m.slice(new int[] {3, 0}, new int[] {-1, -1}).shape());
        assertExact(new long[] {3}, Tensors.scalar(3).slice(new int[0], new int[0]), DType.INT32);
        assertThrowsMessage("Slice: begin 2 with size 3 is out of range for axis 0 of size 3",
                () -> m.slice(new int[] {2, 0}, new int[] {3, 1}));
        assertThrowsMessage("Slice: begin [0] and size [1] must each have one entry per axis of the input (3, 4)",
                () -> m.slice(new int[] {0}, new int[] {1}));
    }

    // ---------------------------------------------------------------- strided slice

    /** Python's slice rules, written independently of the kernel: the selected indices of one axis. */
    private static List<Integer> pythonSlice(Integer begin, Integer end, int step, int n) {
        int lower = step > 0 ? 0 : -1, upper = step > 0 ? n : n - 1;
        int start = begin == null ? (step < 0 ? upper : lower)
                : begin < 0 ? Math.max(begin + n, lower) : Math.min(begin, upper);
        int stop = end == null ? (step < 0 ? lower : upper)
                : end < 0 ? Math.max(end + n, lower) : Math.min(end, upper);
        List<Integer> out = new ArrayList<>();
        for (int i = start; step > 0 ? i < stop : i > stop; i += step) out.add(i);
        return out;
    }

    @Test
    void stridedSliceMatchesPythonSlicingOnRandomCases() {
        Random rnd = new Random(9);
        int a = 5, b = 6;
        double[] x = new double[a * b];
        for (int i = 0; i < x.length; i++) x[i] = i;
        Tensor base = Tensors.of(x, a, b);
        for (int trial = 0; trial < 300; trial++) {
            int[] begin = new int[2], end = new int[2], strides = new int[2];
            int beginMask = 0, endMask = 0;
            List<List<Integer>> sel = new ArrayList<>();
            for (int d = 0; d < 2; d++) {
                int n = d == 0 ? a : b;
                begin[d] = rnd.nextInt(2 * n + 5) - n - 2;
                end[d] = rnd.nextInt(2 * n + 5) - n - 2;
                do strides[d] = rnd.nextInt(7) - 3; while (strides[d] == 0);
                boolean bm = rnd.nextInt(4) == 0, em = rnd.nextInt(4) == 0;
                if (bm) beginMask |= 1 << d;
                if (em) endMask |= 1 << d;
                sel.add(pythonSlice(bm ? null : begin[d], em ? null : end[d], strides[d], n));
            }
            boolean transposed = trial % 2 == 1; // the same values read through a strided view
            Tensor input = transposed ? Tensors.of(x, a, b).transpose().transpose() : base;
            Tensor out = Ops.stridedSlice(input, begin, end, strides, beginMask, endMask, 0, 0, 0);
            double[] ref = new double[sel.get(0).size() * sel.get(1).size()];
            int k = 0;
            for (int i : sel.get(0)) for (int j : sel.get(1)) ref[k++] = x[i * b + j];
            assertClose(ref, out, DType.FLOAT64, new int[] {sel.get(0).size(), sel.get(1).size()}, 0);
        }
    }

    @Test
    void stridedSliceMasks() {
        Tensor t = iota(DType.INT32, 2, 3, 4);
        // t[1, :, ::-2] with shrink on axis 0
        assertExact(new long[] {15, 13, 19, 17, 23, 21}, Ops.stridedSlice(t, new int[] {1, 0, 0}, new int[] {2, 0, 0},
                new int[] {1, 1, -2}, 6, 6, 0, 0, 1), DType.INT32, 3, 2);
        // t[..., 1] : ellipsis then a shrunk last axis
        assertExact(new long[] {1, 5, 9, 13, 17, 21}, Ops.stridedSlice(t, new int[] {0, 1}, new int[] {0, 2},
                new int[] {1, 1}, 0, 0, 1, 0, 2), DType.INT32, 2, 3);
        // t[:, None, 0, -1] : new axis, shrink, negative index
        assertExact(new long[] {3, 15}, Ops.stridedSlice(t, new int[] {0, 0, 0, -1}, new int[] {0, 0, 1, 0},
                new int[] {1, 1, 1, 1}, 1, 1, 0, 2, 12), DType.INT32, 2, 1);
        // simple facade: t[0:1, 1:3]
        assertExact(new long[] {4, 5, 6, 7, 8, 9, 10, 11}, t.stridedSlice(new int[] {0, 1}, new int[] {1, 3},
                new int[] {1, 1}), DType.INT32, 1, 2, 4);
        // reversing a whole axis through masks: t[::-1]
        assertExact(new long[] {12, 0}, Ops.stridedSlice(t, new int[] {0, 0, 0}, new int[] {0, 1, 1},
                new int[] {-1, 1, 1}, 1, 1, 0, 0, 6), DType.INT32, 2);
        assertEquals(Shape.of(0, 3, 4), Ops.stridedSlice(t, new int[] {1}, new int[] {1}, new int[] {1}).shape());
        // t[..., None] and t[None, ..., 2]
        Tensor expanded = Ops.stridedSlice(t, new int[2], new int[2], new int[] {1, 1}, 0, 0, 1, 2, 0);
        assertEquals(Shape.of(2, 3, 4, 1), expanded.shape());
        assertExact(Tensors.of(new int[24]).add(t.reshape(24)).toLongArray(), expanded.reshape(24), DType.INT32, 24);
        assertExact(new long[] {2, 6, 10, 14, 18, 22}, Ops.stridedSlice(t, new int[] {0, 0, 2}, new int[] {0, 0, 3},
                new int[] {1, 1, 1}, 0, 0, 2, 1, 4), DType.INT32, 1, 2, 3);
        assertThrowsMessage("StridedSlice: index 5 is out of range for axis 1 of size 3",
                () -> Ops.stridedSlice(t, new int[] {0, 5}, new int[] {0, 6}, new int[] {1, 1}, 0, 0, 0, 0, 2));
        assertThrowsMessage("StridedSlice: stride 0 is 0", () -> t.stridedSlice(new int[] {0}, new int[] {1},
                new int[] {0}));
        assertThrowsMessage("StridedSlice: the slice indexes 4 axes but the input (2, 3, 4) has rank 3",
                () -> t.stridedSlice(new int[4], new int[4], new int[] {1, 1, 1, 1}));
        assertThrowsMessage("must have the same length", () -> t.stridedSlice(new int[1], new int[2], new int[1]));
    }

    // ---------------------------------------------------------------- gather

    @Test
    void gatherAlongAxesWithBatchDims() {
        Tensor p = iota(DType.FLOAT32, 3, 4);
        assertClose(new double[] {8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, Ops.gather(p, new int[] {2, 0, 2}),
                DType.FLOAT32, new int[] {3, 4}, 0);
        assertClose(new double[] {3, 1, 7, 5, 11, 9}, p.gather(Tensors.of(new long[] {3, 1}, 2), 1), DType.FLOAT32, new int[] {3, 2}, 0);
        assertClose(new double[] {1, 5, 9}, p.gather(Tensors.scalar(1), -1), DType.FLOAT32, new int[] {3}, 0);
        assertClose(new double[] {0, 1, 4, 5}, p.gather(Tensors.of(new int[] {0, 1, 0, 1}, 2, 2), 1).slice(new int[] {0, 0, 0},
                new int[] {2, 1, 2}), DType.FLOAT32, new int[] {2, 1, 2}, 0);
        // batchDims 1: row b picks its own columns
        assertClose(new double[] {1, 0, 6, 7, 11, 8}, Ops.gather(p, new int[][] {{1, 0}, {2, 3}, {3, 0}}, 1, 1),
                DType.FLOAT32, new int[] {3, 2}, 0);
        Tensor tr = iota(DType.INT64, 2, 3).transpose(); // (3, 2): [[0 3] [1 4] [2 5]]
        assertExact(new long[] {2, 5, 0, 3}, tr.gather(new int[] {2, 0}, 0), DType.INT64, 2, 2);
        assertEquals(Shape.of(0, 4), Ops.gather(p, new int[0]).shape());
        Tensor bools = Ops.gather(Tensors.of(new boolean[] {true, false}), new int[] {1, 1, 0});
        assertArrayEquals(new boolean[] {false, false, true}, bools.toBooleanArray());
    }

    @Test
    void gatherMatchesReferenceOnRandomData() {
        Random rnd = new Random(12);
        int a = 4, n = 7, c = 3;
        double[] x = new double[a * n * c];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        int[] idx = new int[10];
        for (int i = 0; i < idx.length; i++) idx[i] = rnd.nextInt(n);
        double[] ref = new double[a * idx.length * c];
        int k = 0;
        for (int i = 0; i < a; i++) for (int j : idx) for (int l = 0; l < c; l++) ref[k++] = x[(i * n + j) * c + l];
        assertClose(ref, Tensors.of(x, a, n, c).gather(idx, 1), DType.FLOAT64, new int[] {a, 10, c}, 0);
    }

    @Test
    void gatherErrorsNameTheIndexItsPositionAndTheRange() {
        Tensor p = iota(DType.FLOAT32, 3, 4);
        assertThrowsMessage("Gather: index 5 at position [1, 0] of indices (2, 2) is out of range [0, 3) for axis 0 of "
                + "params (3, 4)", () -> Ops.gather(p, new int[][] {{0, 1}, {5, 2}}));
        assertThrowsMessage("Gather: index -1 at position [0] of indices (1,) is out of range [0, 4) for axis 1",
                () -> p.gather(new int[] {-1}, 1));
        assertThrowsMessage("Gather: input 'indices' has dtype float32", () -> Ops.gather(p, new float[] {1}));
        assertThrowsMessage("Gather: axis 2 is out of range for params of rank 2", () -> p.gather(new int[] {0}, 2));
        assertThrowsMessage("Gather: batch dimension 0 differs: params (3, 4) vs indices (2, 1)",
                () -> Ops.gather(p, new int[][] {{0}, {1}}, 1, 1));
    }

    // ---------------------------------------------------------------- gatherNd

    @Test
    void gatherNdPicksElementsAndSlices() {
        Tensor p = iota(DType.INT32, 2, 3, 4);
        assertExact(new long[] {23, 4}, Ops.gatherNd(p, new int[][] {{1, 2, 3}, {0, 1, 0}}), DType.INT32, 2);
        assertExact(new long[] {20, 21, 22, 23, 0, 1, 2, 3}, Ops.gatherNd(p, new int[][] {{1, 2}, {0, 0}}), DType.INT32,
                2, 4);
        assertExact(new long[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, Ops.gatherNd(p, new long[] {1}),
                DType.INT32, 3, 4);
        assertEquals(Shape.of(0, 4), Ops.gatherNd(p, Tensors.of(new int[0], 0, 2)).shape());
        assertThrowsMessage("GatherNd: index 3 at position [0, 1] of indices (1, 2) is out of range [0, 3) for axis 1 "
                + "of params (2, 3, 4)", () -> Ops.gatherNd(p, new int[][] {{0, 3}}));
        assertThrowsMessage("GatherNd: the last dimension of indices (1, 4) (4) must be <= the rank of params",
                () -> Ops.gatherNd(p, new int[][] {{0, 0, 0, 0}}));
    }

    // ---------------------------------------------------------------- oneHot

    @Test
    void oneHotOnAnyAxisAndDtype() {
        assertClose(new double[] {0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, Ops.oneHot(new int[] {1, 2, 5}, 4),
                DType.FLOAT32, new int[] {3, 4}, 0);
        assertExact(new long[] {-1, -1, 7, -1, -1, 7}, Ops.oneHot(new long[] {1, 2}, 3, 7, -1, 0, DType.INT32),
                DType.INT32, 3, 2);
        Tensor b = Ops.oneHot(new int[][] {{0}, {1}}, 2, 1, 0, -1, DType.BOOL);
        assertEquals(Shape.of(2, 1, 2), b.shape());
        assertArrayEquals(new boolean[] {true, false, false, true}, b.toBooleanArray());
        assertClose(new double[] {0, 1}, Ops.oneHot(Tensors.scalar(1), 2), DType.FLOAT32, new int[] {2}, 0);
        assertThrowsMessage("OneHot: axis 3 is out of range for indices of rank 1 (expected -1 <= axis <= 1)",
                () -> Ops.oneHot(new int[] {1}, 2, 1, 0, 3, DType.FLOAT32));
        assertThrowsMessage("OneHot: input 'indices' has dtype float32", () -> Ops.oneHot(new float[] {1}, 2));
    }
}
