package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** TopK, ScatterND and ScatterElements against loops over their ONNX definitions. */
class IndexRulesTest {
    /**
     * TopK of a row-major (outer, dim, inner) view along the middle axis: values and indices, equal values in index
     * order.
     */
    static double[][] topKReference(double[] x, int outer, int dim, int inner, int k, boolean largest) {
        double[] values = new double[outer * k * inner], indices = new double[outer * k * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                final int oo = o, ii = in;
                Integer[] order = new Integer[dim];
                for (int i = 0; i < dim; i++) order[i] = i;
                Comparator<Integer> byValue = Comparator.comparingDouble(i -> x[(oo * dim + i) * inner + ii]);
                Arrays.sort(order, (largest ? byValue.reversed() : byValue).thenComparing(i -> i));
                for (int j = 0; j < k; j++) {
                    values[(o * k + j) * inner + in] = x[(o * dim + order[j]) * inner + in];
                    indices[(o * k + j) * inner + in] = order[j];
                }
            }
        }
        return new double[][] {values, indices};
    }

    private static final double[] X = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4};

    private static void checkTopK(int[] shape, int axis, int k, boolean largest, long opset) {
        int a = axis < 0 ? axis + shape.length : axis;
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.length; i++) inner *= shape[i];
        double[][] want = topKReference(X, outer, shape[a], inner, k, largest);
        OnnxNodeCase c = OnnxNodeCase.of("TopK", opset).input(Tensors.of(X, shape)).attr("axis", axis)
                .attr("largest", largest ? 1 : 0).outputs(2);
        c = opset < 10 ? c.attr("k", k) : c.constant(Tensors.of(new long[] {k}, 1));
        Tensor[] out = c.run();
        int[] outShape = shape.clone();
        outShape[a] = k;
        String what = Arrays.toString(shape) + " axis " + axis + " k " + k + " largest " + largest;
        assertEquals(Shape.of(outShape), out[0].shape(), what);
        assertEquals(DType.INT64, out[1].dtype(), what);
        assertArrayEquals(want[0], out[0].toDoubleArray(), what);
        assertArrayEquals(want[1], out[1].toDoubleArray(), what);
    }

    @Test
    void topKAlongEveryAxisLargestAndSmallestWithTiesInIndexOrder() {
        int[] shape = {2, 3, 4};
        for (int axis = -3; axis < 3; axis++) {
            for (boolean largest : new boolean[] {true, false}) {
                int dim = shape[axis < 0 ? axis + 3 : axis];
                for (int k : new int[] {0, 1, dim}) checkTopK(shape, axis, k, largest, 11);
            }
        }
        checkTopK(new int[] {24}, 0, 5, true, 11);
        checkTopK(new int[] {24}, 0, 5, false, 11);
        checkTopK(new int[] {4, 6}, 1, 3, true, 1); // k as an attribute before opset 10
    }

    @Test
    void topKOfIntegersAndOfASymbolicBatch() {
        Tensor x = Tensors.of(new long[] {5, -2, 7, 7, 0, -9}, 2, 3);
        Tensor[] out = OnnxNodeCase.of("TopK", 11).input(x, Shape.of(-1, 3)).constant(Tensors.of(new long[] {2}, 1))
                .outputs(2).run();
        assertArrayEquals(new long[] {7, 5, 7, 0}, out[0].toLongArray());
        assertArrayEquals(new long[] {2, 0, 0, 1}, out[1].toLongArray());
        Tensor[] low = OnnxNodeCase.of("TopK", 11).input(x, Shape.of(-1, 3)).constant(Tensors.of(new long[] {1}, 1))
                .attr("largest", 0).outputs(2).run();
        assertArrayEquals(new long[] {-2, -9}, low[0].toLongArray());
        assertArrayEquals(new long[] {1, 2}, low[1].toLongArray());
    }

    @Test
    void topKRejectsAKLargerThanTheAxis() {
        var e = assertThrows(OnnxException.class, () -> OnnxNodeCase.of("TopK", 11)
                .input(Tensors.of(new float[6], 2, 3)).constant(Tensors.of(new long[] {4}, 1)).outputs(2).run());
        assertTrue(e.getMessage().contains("k 4 is not in [0, 3]"), e.getMessage());
    }

    @Test
    void topKNeedsKAtImportTime() {
        var e = assertThrows(UnsupportedOnnxException.class, () -> OnnxNodeCase.of("TopK", 11)
                .input(Tensors.of(new float[6], 2, 3)).input(Tensors.of(new long[] {2}, 1)).outputs(2).run());
        assertTrue(e.getMessage().contains("must be known when the model is imported"), e.getMessage());
    }

    /** ScatterND's definition: output = data; output[indices[idx]] = updates[idx] (or += for reduction add). */
    static double[] scatterNdReference(double[] data, int[] dataShape, long[] indices, int q, double[] updates,
                                       boolean add) {
        double[] out = data.clone();
        int slice = 1;
        for (int i = q; i < dataShape.length; i++) slice *= dataShape[i];
        int tuples = indices.length / q;
        for (int t = 0; t < tuples; t++) {
            int offset = 0;
            for (int j = 0; j < q; j++) {
                long v = indices[t * q + j];
                offset = offset * dataShape[j] + (int) (v < 0 ? v + dataShape[j] : v);
            }
            for (int e = 0; e < slice; e++) {
                double u = updates[t * slice + e];
                out[offset * slice + e] = add ? out[offset * slice + e] + u : u;
            }
        }
        return out;
    }

    @Test
    void scatterNdReplacesAndAddsSlicesAndElements() {
        double[] data = new double[24];
        for (int i = 0; i < 24; i++) data[i] = i;
        int[] ds = {2, 3, 4};
        // q = 2: rows of length 4; one negative index
        long[] rows = {0, 1, 1, -1, 1, 0};
        double[] rowUpdates = new double[12];
        for (int i = 0; i < 12; i++) rowUpdates[i] = 100 + i;
        // q = 3: single elements
        long[] elems = {0, 0, 0, 1, 2, 3};
        double[] elemUpdates = {-1, -2};
        for (String reduction : new String[] {"none", "add"}) {
            boolean add = reduction.equals("add");
            Tensor r = OnnxNodeCase.of("ScatterND", 16).input(Tensors.of(data, ds)).constant(Tensors.of(rows, 3, 2))
                    .input(Tensors.of(rowUpdates, 3, 4)).attr("reduction", reduction).run1();
            assertArrayEquals(scatterNdReference(data, ds, rows, 2, rowUpdates, add), r.toDoubleArray(), reduction);
            Tensor e = OnnxNodeCase.of("ScatterND", 16).input(Tensors.of(data, ds)).input(Tensors.of(elems, 2, 3))
                    .input(Tensors.of(elemUpdates, 2)).attr("reduction", reduction).run1();
            assertArrayEquals(scatterNdReference(data, ds, elems, 3, elemUpdates, add), e.toDoubleArray(), reduction);
        }
        // reduction add sums repeated indices
        Tensor twice = OnnxNodeCase.of("ScatterND", 16).input(Tensors.of(new float[] {1, 2, 3}, 3))
                .input(Tensors.of(new long[] {1, 1}, 2, 1)).input(Tensors.of(new float[] {10, 20}, 2))
                .attr("reduction", "add").run1();
        assertArrayEquals(new float[] {1, 32, 3}, twice.toFloatArray());
    }

    @Test
    void scatterNdOfIntegersAndBooleansAndNaNData() {
        Tensor ints = OnnxNodeCase.of("ScatterND", 13).input(Tensors.of(new long[] {1, 2, 3, 4}, 4))
                .constant(Tensors.of(new long[] {3, 0}, 2, 1)).input(Tensors.of(new long[] {40_000_000_000L, -1}, 2))
                .run1();
        assertEquals(DType.INT64, ints.dtype());
        assertArrayEquals(new long[] {-1, 2, 3, 40_000_000_000L}, ints.toLongArray());
        Tensor added = OnnxNodeCase.of("ScatterND", 16).input(Tensors.of(new int[] {1, 2, 3, 4}, 4))
                .constant(Tensors.of(new long[] {3, 3}, 2, 1)).input(Tensors.of(new int[] {5, 6}, 2))
                .attr("reduction", "add").run1();
        assertArrayEquals(new int[] {1, 2, 3, 15}, added.toIntArray());
        Tensor bools = OnnxNodeCase.of("ScatterND", 13)
                .input(Tensor.wrap(DType.BOOL, Shape.of(3), new byte[] {0, 1, 0}))
                .constant(Tensors.of(new long[] {1, 2}, 2, 1))
                .input(Tensor.wrap(DType.BOOL, Shape.of(2), new byte[] {0, 1})).run1();
        assertArrayEquals(new boolean[] {false, false, true}, bools.toBooleanArray());
        Tensor nan = OnnxNodeCase.of("ScatterND", 13).input(Tensors.of(new float[] {Float.NaN, 1}, 2))
                .constant(Tensors.of(new long[] {0}, 1, 1)).input(Tensors.of(new float[] {7}, 1)).run1();
        assertArrayEquals(new float[] {7, 1}, nan.toFloatArray());
    }

    @Test
    void scatterReductionsMulMaxMinCombineRepeatedIndicesInOrder() {
        // data [1, 2, 3]; updates 4, 5, 0.5 at indices 1, 1, 2: mul gives [1, 2*4*5, 3*0.5], max [1, 5, 3],
        // min [1, 2, 0.5].
        double[][] want = {{1, 40, 1.5}, {1, 5, 3}, {1, 2, 0.5}};
        String[] reductions = {"mul", "max", "min"};
        for (int r = 0; r < 3; r++) {
            Tensor nd = OnnxNodeCase.of("ScatterND", 18).input(Tensors.of(new float[] {1, 2, 3}, 3))
                    .constant(Tensors.of(new long[] {1, 1, 2}, 3, 1)).input(Tensors.of(new float[] {4, 5, 0.5f}, 3))
                    .attr("reduction", reductions[r]).run1();
            assertArrayEquals(want[r], nd.toDoubleArray(), 1e-6, reductions[r]);
            Tensor elements = OnnxNodeCase.of("ScatterElements", 18).input(Tensors.of(new float[] {1, 2, 3}, 3))
                    .constant(Tensors.of(new long[] {1, -2, 2}, 3)).input(Tensors.of(new float[] {4, 5, 0.5f}, 3))
                    .attr("reduction", reductions[r]).run1();
            assertArrayEquals(want[r], elements.toDoubleArray(), 1e-6, reductions[r]);
        }
        var e = assertThrows(OnnxException.class, () -> OnnxNodeCase.of("ScatterND", 16)
                .input(Tensors.of(new float[3], 3)).constant(Tensors.of(new long[] {1}, 1, 1))
                .input(Tensors.of(new float[1], 1)).attr("reduction", "pow").run());
        assertTrue(e.getMessage().contains("reduction 'pow'"), e.getMessage());
    }

    /** ScatterElements' definition for rank 2: output[indices[i][j]][j] = updates[i][j] (axis 0), [i][indices] (1). */
    static double[] scatterElementsReference(double[] data, int rows, int cols, long[] idx, int ir, int ic,
                                             double[] updates, int axis, boolean add) {
        double[] out = data.clone();
        for (int i = 0; i < ir; i++) {
            for (int j = 0; j < ic; j++) {
                long v = idx[i * ic + j];
                int r = axis == 0 ? (int) (v < 0 ? v + rows : v) : i;
                int c = axis == 1 ? (int) (v < 0 ? v + cols : v) : j;
                out[r * cols + c] = add ? out[r * cols + c] + updates[i * ic + j] : updates[i * ic + j];
            }
        }
        return out;
    }

    @Test
    void scatterElementsAlongEitherAxis() {
        double[] data = new double[12];
        for (int i = 0; i < 12; i++) data[i] = i * 0.5;
        long[] idx0 = {2, 0, 0, -1}; // (2, 2) along axis 0 of a (3, 4): distinct per column
        long[] idx1 = {3, 0, 1, -1, 2, 0}; // (3, 2) along axis 1
        double[] u4 = {10, 20, 30, 40}, u6 = {1, 2, 3, 4, 5, 6};
        for (String reduction : new String[] {"none", "add"}) {
            boolean add = reduction.equals("add");
            Tensor a0 = OnnxNodeCase.of("ScatterElements", 16).input(Tensors.of(data, 3, 4))
                    .input(Tensors.of(idx0, 2, 2)).input(Tensors.of(u4, 2, 2)).attr("reduction", reduction).run1();
            assertArrayEquals(scatterElementsReference(data, 3, 4, idx0, 2, 2, u4, 0, add), a0.toDoubleArray());
            Tensor a1 = OnnxNodeCase.of("ScatterElements", 16).input(Tensors.of(data, 3, 4))
                    .constant(Tensors.of(idx1, 3, 2)).input(Tensors.of(u6, 3, 2)).attr("axis", -1)
                    .attr("reduction", reduction).run1();
            assertArrayEquals(scatterElementsReference(data, 3, 4, idx1, 3, 2, u6, 1, add), a1.toDoubleArray());
        }
        // the opset 9-10 name
        Tensor old = OnnxNodeCase.of("Scatter", 9).input(Tensors.of(new float[] {1, 2, 3, 4, 5}, 1, 5))
                .input(Tensors.of(new long[] {1, 3}, 1, 2)).input(Tensors.of(new float[] {1.1f, 2.1f}, 1, 2))
                .attr("axis", 1).run1();
        assertArrayEquals(new float[] {1, 1.1f, 3, 2.1f, 5}, old.toFloatArray());
    }

    @Test
    void scatterOfEmptyUpdatesKeepsData() {
        Tensor y = OnnxNodeCase.of("ScatterElements", 13).input(Tensors.of(new float[] {1, 2}, 2))
                .input(Tensors.of(new long[0], 0)).input(Tensors.of(new float[0], 0)).run1();
        assertArrayEquals(new float[] {1, 2}, y.toFloatArray());
    }

    @Test
    void stridedViewsAsInputs() {
        // x viewed transposed: rows (3, 1, 2), (1, 5, 4)
        Tensor view = org.nabla.Ops.transpose(Tensors.of(new float[] {3, 1, 1, 5, 2, 4}, 3, 2));
        Tensor[] top = OnnxNodeCase.of("TopK", 11).input(view).constant(Tensors.of(new long[] {2}, 1)).outputs(2).run();
        assertArrayEquals(new float[] {3, 2, 5, 4}, top[0].toFloatArray());
        assertArrayEquals(new long[] {0, 2, 1, 2}, top[1].toLongArray());
        Tensor s = OnnxNodeCase.of("ScatterElements", 13).input(view).input(Tensors.of(new long[] {2, 0}, 2, 1))
                .input(Tensors.of(new float[] {-1, -2}, 2, 1)).attr("axis", 1).run1();
        assertArrayEquals(new float[] {3, 1, -1, -2, 5, 4}, s.toFloatArray());
    }

    @Test
    void topKOfAnEmptyAxis() {
        Tensor[] out = OnnxNodeCase.of("TopK", 11).input(Tensors.of(new float[0], 2, 0))
                .constant(Tensors.of(new long[] {0}, 1)).outputs(2).run();
        assertEquals(Shape.of(2, 0), out[0].shape());
        assertEquals(Shape.of(2, 0), out[1].shape());
    }

    @Test
    void topKOfKnownInputsIsFolded() {
        Tensor[] out = OnnxNodeCase.of("TopK", 11).constant(Tensors.of(new float[] {2, 9, 4}, 3))
                .constant(Tensors.of(new long[] {2}, 1)).attr("largest", 0).outputs(2).run();
        assertArrayEquals(new float[] {2, 4}, out[0].toFloatArray());
        assertArrayEquals(new long[] {0, 2}, out[1].toLongArray());
    }
}
