package org.nabla.ragged;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.autodiff.GradientTape;

/** Hand-worked values, empty rows, ties, integer dtypes, row operations and the error messages. */
class RaggedTensorTest {
    private static RaggedTensor sample() { return RaggedTensor.of(new float[][] {{1, 2, 3}, {}, {4, 5}}); }

    @Test
    void constructorsAgree() {
        RaggedTensor r = sample();
        assertArrayEquals(new long[] {0, 3, 3, 5}, r.rowSplits().toLongArray());
        assertArrayEquals(new long[] {3, 0, 2}, r.rowLengths().toLongArray());
        assertArrayEquals(new long[] {0, 0, 0, 2, 2}, r.valueRowIds().toLongArray());
        RaggedTensor same = RaggedTensor.fromValueRowIds(r.values(), new long[] {0, 0, 0, 2, 2}, 3);
        assertArrayEquals(r.rowSplits().toLongArray(), same.rowSplits().toLongArray());
        assertEquals(List.of(List.of(1.0, 2.0, 3.0), List.of(), List.of(4.0, 5.0)), r.toList());
        assertArrayEquals(new float[] {4, 5}, r.row(2).toFloatArray());
        assertEquals(3, r.nrows());
    }

    @Test
    void reductionsAndPaddingByHand() {
        RaggedTensor r = sample();
        assertArrayEquals(new float[] {6, 0, 9}, r.reduceSum().toFloatArray());
        assertArrayEquals(new float[] {3, Float.NEGATIVE_INFINITY, 5}, r.reduceMax().toFloatArray());
        float[] mean = r.reduceMean().toFloatArray();
        assertEquals(2f, mean[0]);
        assertTrue(Float.isNaN(mean[1]));   // 0 / 0, as tf.reduce_mean of an empty row
        Tensor padded = r.toTensor();
        assertEquals(Shape.of(3, 3), padded.shape());
        assertArrayEquals(new float[] {1, 2, 3, 0, 0, 0, 4, 5, 0}, padded.toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, -1, -1, -1, 4, 5, -1}, r.toTensor(-1).toFloatArray());
        // inner dimensions stay uniform: values [n, 2]
        RaggedTensor pairs = RaggedTensor.fromRowLengths(Tensors.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2), 1, 2);
        assertArrayEquals(new double[] {1, 2, 8, 10}, pairs.reduceSum().toDoubleArray());
        assertEquals(Shape.of(2, 2, 2), pairs.toTensor().shape());
    }

    @Test
    void integerRows() {
        RaggedTensor ids = RaggedTensor.of(new int[][] {{7, -3}, {5}, {}});
        assertArrayEquals(new int[] {4, 5, 0}, ids.reduceSum().toIntArray());
        assertArrayEquals(new int[] {7, 5, Integer.MIN_VALUE}, ids.reduceMax().toIntArray());
        assertArrayEquals(new int[] {7, -3, 5, 0, 0, 0}, ids.toTensor().toIntArray());
        Tensor bytes = Tensor.wrap(DType.UINT8, Shape.of(3), new byte[] {(byte) 200, 100, 1});
        assertArrayEquals(new byte[] {(byte) 200, 1}, RaggedTensor.fromRowLengths(bytes, 2, 1).reduceMax()
                .toByteArray());   // unsigned: 200 > 100
    }

    @Test
    void maxGradientIsSharedAmongTies() {
        Tensor v = Tensors.of(new double[] {2, 5, 5, 1, 3}, 5);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(v);
            Tensor m = RaggedTensor.fromRowLengths(v, 3, 2).reduceMax();
            assertArrayEquals(new double[] {0, 0.5, 0.5, 0, 1}, tape.gradient(Ops.sum(m), v).toDoubleArray());
        }
    }

    @Test
    void rowOperations() {
        RaggedTensor r = sample();
        assertEquals(List.of(List.of(4.0, 5.0), List.of(1.0, 2.0, 3.0), List.of(4.0, 5.0)), r.gather(2, 0, 2).toList());
        RaggedTensor both = RaggedTensor.concat(r, RaggedTensor.of(new float[][] {{9}}));
        assertArrayEquals(new long[] {0, 3, 3, 5, 6}, both.rowSplits().toLongArray());
        assertEquals(List.of(List.of(2.0, 4.0, 6.0), List.of(), List.of(8.0, 10.0)),
                r.map(x -> Ops.mul(x, 2f)).toList());
        // gradients flow through gather and concat to the values
        Tensor v = Tensors.of(new double[] {1, 2, 3}, 3);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(v);
            RaggedTensor x = RaggedTensor.fromRowLengths(v, 2, 1);
            Tensor s = RaggedTensor.concat(x.gather(1, 0, 1), x).reduceSum();
            assertArrayEquals(new double[] {2, 2, 3}, tape.gradient(Ops.sum(s), v).toDoubleArray());
        }
    }

    @Test
    void reductionsRunInATracedGraphWithSymbolicSplits() {
        TracedFunction f = TracedFunction.of(in -> {
            RaggedTensor r = RaggedTensor.fromRowSplits(in[0], in[1]);
            return new Tensor[] {r.reduceSum(), r.toTensor()};
        });
        RaggedTensor r = sample();
        Tensor[] out = f.call(r.values(), r.rowSplits());
        assertArrayEquals(new float[] {6, 0, 9}, out[0].toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 0, 0, 0, 4, 5, 0}, out[1].toFloatArray());
        RaggedTensor other = RaggedTensor.of(new float[][] {{1}, {2, 2, 2, 2}});   // same graph, other lengths
        assertArrayEquals(new float[] {1, 8}, f.call(other.values(), other.rowSplits())[0].toFloatArray());
    }

    private static String message(Runnable r) {
        return assertThrows(RuntimeException.class, r::run).getMessage();
    }

    @Test
    void badInputIsRefusedWithTheOffendingValues() {
        Tensor v = Tensors.of(new float[] {1, 2, 3}, 3);
        Tensor splits = Tensor.wrap(DType.INT64, Shape.of(3), new long[] {0, 2, 1});
        assertTrue(message(() -> RaggedTensor.fromRowSplits(v, splits)).contains("never decrease and end at the "
                + "number of values 3, got [0, 2, 1]"));
        assertTrue(message(() -> RaggedTensor.fromRowLengths(v, 1, 1)).contains("got [0, 1, 2]"));
        assertTrue(message(() -> RaggedTensor.fromValueRowIds(v, new long[] {1, 0, 0}, 2)).contains("must be sorted"));
        assertTrue(message(() -> sample().gather(3)).contains("row 3 of 3"));
        Tensor mask = Tensor.wrap(DType.BOOL, Shape.of(2, 2), new byte[4]);
        assertTrue(message(() -> RaggedTensor.booleanMask(Tensors.of(new float[6], 2, 3), mask))
                .contains("matching data's first two dimensions"));
        assertTrue(message(() -> sample().map(x -> Ops.concat(0, x, x))).contains("changed the number of values"));
        TracedFunction f = TracedFunction.of(in -> new Tensor[] {RaggedTensor.fromRowSplits(in[0], in[1])
                .rowLengths()});
        assertTrue(message(() -> f.call(v, Tensor.wrap(DType.INT64, Shape.of(2), new long[] {0, 3})))
                .contains("needs concrete row splits"));
        // splits that do not fit the values, caught by the kernel when they are only known at run time
        TracedFunction sum = TracedFunction.of(in -> new Tensor[] {RaggedTensor.fromRowSplits(in[0], in[1])
                .reduceSum()});
        String late = message(() -> sum.call(v, Tensor.wrap(DType.INT64, Shape.of(2), new long[] {0, 5})));
        assertTrue(late.contains("row_splits must start at 0 and end at the number of values 3"), late);
    }
}
