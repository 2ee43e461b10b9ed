package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** GatherElements and GatherElementsGrad against plain loops over multi-indices. */
class ArrayOpsGatherElementsTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(11);

    private static int[] unravel(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int i = dims.length - 1; i >= 0; i--) {
            idx[i] = flat % dims[i];
            flat /= dims[i];
        }
        return idx;
    }

    private static int ravel(int[] idx, int[] dims) {
        int flat = 0;
        for (int i = 0; i < dims.length; i++) flat = flat * dims[i] + idx[i];
        return flat;
    }

    /** out[p] = data[p with axis replaced by indices[p]], negative indices counted from the end. */
    private static long[] reference(long[] data, int[] dataDims, long[] indices, int[] idxDims, int axis) {
        long[] out = new long[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int[] p = unravel(k, idxDims);
            long v = indices[k];
            p[axis] = (int) (v < 0 ? v + dataDims[axis] : v);
            out[k] = data[ravel(p, dataDims)];
        }
        return out;
    }

    private static int size(int[] dims) {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    @Test
    void handWorkedOnnxExample() {
        Tensor data = Tensors.of(new float[][] {{1, 2}, {3, 4}});
        Tensor y = Ops.gatherElements(data, new long[][] {{0, 0}, {1, 0}}, 1);
        assertArrayEquals(new float[] {1, 1, 4, 3}, y.toFloatArray());
        Tensor m = Tensors.of(new int[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        Tensor z = Ops.gatherElements(m, new int[][] {{-1, -2, 0}, {-3, 1, -1}}, 0);
        assertEquals(Shape.of(2, 3), z.shape());
        assertArrayEquals(new int[] {7, 5, 3, 1, 5, 9}, z.toIntArray());
    }

    @Test
    void everyAxisRankAndIndexDtypeAgainstTheReference() {
        int[][] dataShapes = {{5}, {3, 4}, {2, 3, 4}, {3, 1, 2, 2}};
        for (int[] dd : dataShapes) {
            long[] data = new long[size(dd)];
            for (int i = 0; i < data.length; i++) data[i] = RANDOM.nextLong(-1000, 1000);
            Tensor dataT = Tensor.wrap(DType.INT64, Shape.of(dd), data);
            for (int axis = -dd.length; axis < dd.length; axis++) {
                int ax = axis < 0 ? axis + dd.length : axis;
                int[] id = dd.clone();
                for (int i = 0; i < id.length; i++) if (i != ax) id[i] = 1 + RANDOM.nextInt(dd[i]); // may be smaller
                id[ax] = 1 + RANDOM.nextInt(4); // may be longer than data along axis
                long[] idx = new long[size(id)];
                for (int i = 0; i < idx.length; i++) idx[i] = RANDOM.nextInt(-dd[ax], dd[ax]);
                long[] want = reference(data, dd, idx, id, ax);
                Tensor i64 = Tensor.wrap(DType.INT64, Shape.of(id), idx);
                Tensor i32 = Ops.cast(i64, DType.INT32);
                for (Tensor indices : new Tensor[] {i64, i32}) {
                    Tensor y = Ops.gatherElements(dataT, indices, axis);
                    assertEquals(Shape.of(id), y.shape());
                    assertArrayEquals(want, y.toLongArray(), () -> "axis " + ax + " of " + Shape.of(dd));
                }
            }
        }
    }

    @Test
    void everyDataDtype() {
        long[] idx = {2, 0, 1, 1};
        Tensor indices = Tensor.wrap(DType.INT32, Shape.of(1, 4), new int[] {2, 0, 1, 1});
        long[] base = {1, 0, 3, 1, 0, 2, 7, 1, 1, 0, 1, 0};
        long[] want = reference(base, new int[] {3, 4}, idx, new int[] {1, 4}, 0);
        for (DType dtype : DType.values()) {
            if (dtype == DType.STRING) continue; // no numeric cast; StringTensorTest gathers strings
            if (dtype == DType.FLOAT4E2M1 || dtype == DType.INT2 || dtype == DType.UINT2) continue; // 7 does not fit
            Tensor data = Ops.cast(Tensor.wrap(DType.INT64, Shape.of(3, 4), base), dtype);
            Tensor y = Ops.gatherElements(data, indices, 0);
            assertEquals(dtype, y.dtype());
            long[] expect = want.clone();
            if (dtype == DType.BOOL) for (int i = 0; i < expect.length; i++) expect[i] = expect[i] != 0 ? 1 : 0;
            assertArrayEquals(expect, Ops.cast(y, DType.INT64).toLongArray(), dtype.toString());
        }
    }

    @Test
    void emptyIndicesAndNonContiguousData() {
        Tensor data = Tensors.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor empty = Ops.gatherElements(data, Tensor.wrap(DType.INT64, Shape.of(0, 3), new long[0]), 0);
        assertEquals(Shape.of(0, 3), empty.shape());
        Tensor view = Ops.transpose(data, 1, 0); // [[1, 4], [2, 5], [3, 6]], not contiguous
        Tensor y = Ops.gatherElements(view, new int[][] {{1, 0}, {0, 1}, {1, 1}}, 1);
        assertArrayEquals(new double[] {4, 1, 2, 5, 6, 6}, y.toDoubleArray());
    }

    @Test
    void gradientAddsRepeatedIndices() {
        Tensor like = Tensors.of(new double[][] {{0, 0, 0}, {0, 0, 0}});
        Tensor g = Tensors.of(new double[][] {{1, 2, 3, 4}, {5, 6, 7, 8}});
        Tensor dx = Ops.run(GradOps.GATHER_ELEMENTS_GRAD, Attrs.of("axis", 1), g,
                Tensors.of(new int[][] {{0, 0, -1, 2}, {1, 1, 1, 0}}), like);
        assertArrayEquals(new double[] {3, 0, 7, 8, 18, 0}, dx.toDoubleArray());
    }

    @Test
    void shapeInferenceKeepsUnknownDims() {
        TensorSpec[] out = ArrayOps.GATHER_ELEMENTS.infer(new TensorSpec[] {
                TensorSpec.of(DType.FLOAT32, Shape.of(-1, 4)), TensorSpec.of(DType.INT64, Shape.of(3, -1))},
                ArrayOps.GATHER_ELEMENTS.resolveAttrs(Attrs.of("axis", 0)));
        assertEquals(TensorSpec.of(DType.FLOAT32, Shape.of(3, -1)), out[0]);
    }

    private static void assertError(String expected, Runnable call) {
        OpException e = assertThrows(OpException.class, call::run);
        assertTrue(e.getMessage().startsWith("GatherElements: ") && e.getMessage().contains(expected),
                e.getMessage());
    }

    @Test
    void errorsNameTheIndexAndTheRange() {
        Tensor data = Tensors.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertError("index 3 at position [1, 0] of indices (2, 1) is out of range [-3, 3) for axis 1 of data (2, 3)",
                () -> Ops.gatherElements(data, new int[][] {{0}, {3}}, 1));
        assertError("index -3 at position [0, 2] of indices (1, 3) is out of range [-2, 2) for axis 0",
                () -> Ops.gatherElements(data, new long[][] {{0, 1, -3}}, -2));
        assertError("indices (2,) must have the rank of data (2, 3) (2)",
                () -> Ops.gatherElements(data, new int[] {0, 1}, 0));
        assertError("indices (3, 1) is larger than data (2, 3) along axis 0",
                () -> Ops.gatherElements(data, new int[][] {{0}, {1}, {1}}, 1));
        assertError("axis 2 is out of range for data of rank 2",
                () -> Ops.gatherElements(data, new int[][] {{0}}, 2));
        assertError("data must have rank >= 1, got a scalar",
                () -> Ops.gatherElements(Tensors.scalar(1.0), Tensor.wrap(DType.INT32, Shape.SCALAR, new int[1]), 0));
        assertError("input 'indices' has dtype float32",
                () -> Ops.gatherElements(data, new float[][] {{0}}, 0));
    }
}
