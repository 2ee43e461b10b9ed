package org.nabla.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.ops.OpException;

/** Hand-worked values of the sparse ops, integer dtypes, graph mode with symbolic parts, and the error messages. */
class SparseTensorTest {
    private static SparseTensor matrix() {   // [[0, 0, 2], [1, 0, 0]], entries out of order
        return SparseTensor.of(new long[][] {{0, 2}, {1, 0}}, Tensors.of(new float[] {2, 1}, 2), 2, 3);
    }

    @Test
    void toDenseAndBackInRowMajorOrder() {
        Tensor d = matrix().toDense();
        assertEquals(Shape.of(2, 3), d.shape());
        assertArrayEquals(new float[] {0, 0, 2, 1, 0, 0}, d.toFloatArray());
        assertArrayEquals(new float[] {7, 7, 2, 1, 7, 7}, Sparse.toDense(matrix(), 7).toFloatArray());
        SparseTensor back = Sparse.fromDense(d);
        assertArrayEquals(new long[] {0, 2, 1, 0}, back.indices().toLongArray());
        assertArrayEquals(new float[] {2, 1}, back.values().toFloatArray());
        assertEquals(Shape.of(2, 3), back.shape());
        // -0.0 is zero, NaN is not (as x != 0 decides)
        SparseTensor odd = Sparse.fromDense(Tensors.of(new double[] {-0.0, Double.NaN, 0, 3}, 4));
        assertArrayEquals(new long[] {1, 3}, odd.indices().toLongArray());
        assertTrue(Double.isNaN(odd.values().toDoubleArray()[0]));
    }

    @Test
    void integerValuesAddAndSum() {
        SparseTensor a = SparseTensor.of(new long[][] {{0, 1}, {1, 1}, {1, 2}},
                Tensor.wrap(DType.INT32, Shape.of(3), new int[] {5, -2, 4}), 2, 3);
        Tensor b = Tensor.wrap(DType.INT32, Shape.of(2, 3), new int[] {1, 1, 1, 1, 1, 1});
        assertArrayEquals(new int[] {1, 6, 1, 1, -1, 5}, Sparse.add(a, b).toIntArray());
        assertArrayEquals(new int[] {0, 3, 4}, Sparse.reduceSum(a, 0).toIntArray());
        assertArrayEquals(new int[] {5, 2}, Sparse.reduceSum(a, 1).toIntArray());
        assertEquals(7, Sparse.reduceSum(a).intValue());
        assertEquals(Shape.of(2, 1), Sparse.reduceSum(a, true, -1).shape());
    }

    @Test
    void matmulSliceConcatByHand() {
        // [[0, 0, 2], [1, 0, 0]] x [[1, 2], [3, 4], [5, 6]] = [[10, 12], [1, 2]]
        Tensor b = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertArrayEquals(new float[] {10, 12, 1, 2}, Sparse.matmul(matrix(), b).toFloatArray());
        // a^T (3x2) x [[1, 2], [3, 4]] = [[3, 4], [0, 0], [2, 4]]
        Tensor c = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new float[] {3, 4, 0, 0, 2, 4}, Sparse.matmul(matrix(), c, true, false).toFloatArray());

        SparseTensor s = Sparse.slice(matrix(), new long[] {0, 1}, new long[] {5, 5});   // clipped to 2x2
        assertEquals(Shape.of(2, 2), s.shape());
        assertArrayEquals(new float[] {0, 2, 0, 0}, s.toDense().toFloatArray());

        SparseTensor j = Sparse.concat(1, matrix(), matrix());
        assertEquals(Shape.of(2, 6), j.shape());
        assertArrayEquals(new long[] {0, 2, 0, 5, 1, 0, 1, 3}, j.indices().toLongArray());   // row-major
        assertArrayEquals(new float[] {2, 2, 1, 1}, j.values().toFloatArray());
    }

    @Test
    void worksInATracedGraphWithSymbolicParts() {
        TracedFunction f = TracedFunction.of(in -> {
            SparseTensor sp = new SparseTensor(in[0], in[1], in[2]);
            assertTrue(sp.isSymbolic());
            assertEquals(2, sp.rank());
            return new Tensor[] {Sparse.matmul(sp, in[3]), Sparse.reduceSum(Sparse.reorder(sp), 0)};
        });
        SparseTensor a = matrix();
        Tensor[] r = f.call(a.indices(), a.values(), a.denseShape(), Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        assertArrayEquals(new float[] {10, 12, 1, 2}, r[0].toFloatArray());
        assertArrayEquals(new float[] {1, 0, 2}, r[1].toFloatArray());
    }

    private static String message(Runnable r) {
        return assertThrows(RuntimeException.class, r::run).getMessage();
    }

    @Test
    void badInputIsRefusedWithTheOffendingValues() {
        Tensor two = Tensors.of(new float[] {1, 2}, 2);
        assertTrue(message(() -> SparseTensor.of(new long[][] {{0, 3}}, two, 2, 3)).contains("[0, 3] is outside the "
                + "shape (2, 3)"));
        assertTrue(message(() -> SparseTensor.of(new long[][] {{0}, {1}}, two, 2, 3)).contains("has 1 coordinates"));
        assertTrue(message(() -> new SparseTensor(Tensor.wrap(DType.INT32, Shape.of(1, 2), new int[2]),
                Tensors.of(new float[] {1}, 1), Tensor.wrap(DType.INT64, Shape.of(2), new long[] {2, 2})))
                .contains("indices must be int64 [nnz, rank], got "));
        Tensor idx = Tensor.wrap(DType.INT64, Shape.of(2, 2), new long[] {0, 1, 0, 1});
        Tensor shape = Tensor.wrap(DType.INT64, Shape.of(2), new long[] {2, 2});
        String repeated = message(() -> new SparseTensor(idx, two, shape).toDense());
        assertTrue(repeated.contains("SparseToDense") && repeated.contains("index 1 [0, 1] is repeated"), repeated);
        Tensor outside = Tensor.wrap(DType.INT64, Shape.of(1, 2), new long[] {0, 9});
        String o = message(() -> Sparse.reduceSum(new SparseTensor(outside, Tensors.of(new float[] {1}, 1), shape)));
        assertTrue(o.contains("SparseReduceSum") && o.contains("[0, 9] is outside the dense shape (2, 2)"), o);
        String add = message(() -> Sparse.add(matrix(), Tensors.of(new float[4], 2, 2)));
        assertTrue(add.contains("b has shape (2, 2) but a's dense shape is (2, 3)"), add);
        String mm = message(() -> Sparse.matmul(matrix(), Tensors.of(new float[4], 2, 2)));
        assertTrue(mm.contains("op(a) is 2x3 but op(b) is 2x2"), mm);
        String cat = message(() -> Sparse.concat(0, matrix(), SparseTensor.of(new long[0][], Tensors.of(new float[0], 0),
                1, 4)));
        assertTrue(cat.contains("does not match input 0's (2, 3) outside axis 0"), cat);
        assertThrows(OpException.class, () -> Sparse.matmul(SparseTensor.of(new long[][] {{0, 0}},
                Tensor.wrap(DType.INT32, Shape.of(1), new int[] {1}), 1, 1), Tensor.wrap(DType.INT32, Shape.of(1, 1),
                new int[] {1})));
        assertThrows(IllegalArgumentException.class, () -> Sparse.concat(0));
    }
}
