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

/**
 * Ragged tensors of ragged rank 2 and 3 (TensorFlow's nested row splits), with values worked out by hand from
 * TensorFlow's documented semantics: {@code from_nested_row_splits}, {@code to_tensor} padding every ragged dimension
 * to its longest row, reductions over the innermost ragged axis, gather and concat of outer rows.
 */
class NestedRaggedTest {
    /** [[[1, 2], [3]], [], [[4, 5, 6]]]: 3 rows of 2, 0 and 1 inner rows. */
    private static RaggedTensor sample() {
        return RaggedTensor.of(new float[][][] {{{1, 2}, {3}}, {}, {{4, 5, 6}}});
    }

    private static Tensor splits(long... s) { return Tensor.wrap(DType.INT64, Shape.of(s.length), s); }

    @Test
    void constructorsAgree() {
        RaggedTensor r = sample();
        assertEquals(2, r.raggedRank());
        assertEquals(3, r.nrows());
        assertArrayEquals(new long[] {0, 2, 2, 3}, r.rowSplits().toLongArray());
        assertArrayEquals(new long[] {0, 2, 3, 6}, r.raggedValues().rowSplits().toLongArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.flatValues().toFloatArray());
        RaggedTensor same = RaggedTensor.fromNestedRowSplits(Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 6),
                splits(0, 2, 2, 3), splits(0, 2, 3, 6));
        assertEquals(r.toNestedList(), same.toNestedList());
        assertEquals(List.of(List.of(List.of(1.0, 2.0), List.of(3.0)), List.of(), List.of(List.of(4.0, 5.0, 6.0))),
                r.toNestedList());
        assertEquals(2, r.nestedRowSplits().size());
        assertArrayEquals(new long[] {2, 0, 1}, r.rowLengths().toLongArray());
        assertEquals(List.of(List.of(4.0, 5.0, 6.0)), r.raggedRow(2).toList());
        assertEquals("RaggedTensor(float32, [[[1.0, 2.0], [3.0]], [], [[4.0, 5.0, 6.0]]])", r.toString());
        RaggedTensor words = RaggedTensor.of(new String[][][] {{{"a", "b"}}, {{"c"}, {}}});
        assertEquals(List.of(List.of(List.of("a", "b")), List.of(List.of("c"), List.of())), words.toNestedList());
    }

    @Test
    void toTensorPadsEveryRaggedDimension() {
        Tensor dense = sample().toTensor();
        assertEquals(Shape.of(3, 2, 3), dense.shape());
        assertArrayEquals(new float[] {1, 2, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 6, 0, 0, 0}, dense.toFloatArray());
        assertArrayEquals(new float[] {1, 2, -1, 3, -1, -1, -1, -1, -1, -1, -1, -1, 4, 5, 6, -1, -1, -1},
                sample().toTensor(-1).toFloatArray());
        Tensor text = RaggedTensor.of(new String[][][] {{{"a", "b"}}, {{"c"}, {}}}).toTensor("");
        assertEquals(Shape.of(2, 2, 2), text.shape());
        assertArrayEquals(new String[] {"a", "b", "", "", "c", "", "", ""}, text.toStringArray());
    }

    @Test
    void innerReductions() {
        RaggedTensor r = sample();
        assertEquals(List.of(List.of(3.0, 3.0), List.of(), List.of(15.0)), r.reduceInnerSum().toList());
        assertEquals(List.of(List.of(2.0, 3.0), List.of(), List.of(6.0)), r.reduceInnerMax().toList());
        assertEquals(List.of(List.of(1.5, 3.0), List.of(), List.of(5.0)), r.reduceInnerMean().toList());
        // then the outer rows: the sum of everything in each row
        assertArrayEquals(new float[] {6, 0, 15}, r.reduceInnerSum().reduceSum().toFloatArray());
        // ragged rank 3: the innermost axis goes, two ragged dimensions stay
        RaggedTensor deep = RaggedTensor.fromRowLengths(r, 1, 2);
        assertEquals(3, deep.raggedRank());
        assertEquals(List.of(List.of(List.of(3.0, 3.0)), List.of(List.of(), List.of(15.0))),
                deep.reduceInnerSum().toNestedList());
        assertEquals(Shape.of(2, 2, 2, 3), deep.toTensor().shape());
    }

    @Test
    void mapGatherConcatKeepTheNesting() {
        RaggedTensor r = sample();
        assertEquals(List.of(List.of(List.of(2.0, 4.0), List.of(6.0)), List.of(), List.of(List.of(8.0, 10.0, 12.0))),
                r.map(x -> Ops.mul(x, 2f)).toNestedList());
        assertEquals(List.of(List.of(List.of(4.0, 5.0, 6.0)), List.of(List.of(1.0, 2.0), List.of(3.0))),
                r.gather(2, 0).toNestedList());
        RaggedTensor both = RaggedTensor.concat(r, RaggedTensor.of(new float[][][] {{{7}}}));
        assertArrayEquals(new long[] {0, 2, 2, 3, 4}, both.rowSplits().toLongArray());
        assertArrayEquals(new long[] {0, 2, 3, 6, 7}, both.raggedValues().rowSplits().toLongArray());
    }

    @Test
    void binaryOperationsNeedTheSameRows() {
        RaggedTensor r = sample();
        RaggedTensor sum = r.combine(r.map(x -> Ops.mul(x, 10f)), Ops::add);
        assertEquals(List.of(List.of(List.of(11.0, 22.0), List.of(33.0)), List.of(), List.of(List.of(44.0, 55.0, 66.0))),
                sum.toNestedList());
        RaggedTensor other = RaggedTensor.of(new float[][][] {{{1}, {2, 3}}, {}, {{4, 5, 6}}});
        String m = message(() -> r.combine(other, Ops::add));
        assertTrue(m.contains("splits [0, 2, 2, 3] / [0, 2, 3, 6] and [0, 2, 2, 3] / [0, 1, 3, 6]"), m);
    }

    @Test
    void gradientsReachTheFlatValues() {
        Tensor v = Tensors.of(new double[] {1, 2, 3, 4, 5, 6}, 6);
        Tensor w = Tensors.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, 3, 2, 3);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(v);
            RaggedTensor r = RaggedTensor.fromNestedRowSplits(v, splits(0, 2, 2, 3), splits(0, 2, 3, 6));
            // each value's weight is the weight at its padded position: (0,0,0)=1 (0,0,1)=2 (0,1,0)=4 (2,0,*)=13..15
            Tensor loss = Ops.sum(Ops.mul(r.toTensor(), w));
            assertArrayEquals(new double[] {1, 2, 4, 13, 14, 15}, tape.gradient(loss, v).toDoubleArray());
        }
        try (GradientTape tape = new GradientTape()) {
            tape.watch(v);
            RaggedTensor r = RaggedTensor.fromNestedRowSplits(v, splits(0, 2, 2, 3), splits(0, 2, 3, 6));
            Tensor loss = Ops.sum(Ops.square(r.gather(2, 0, 2).reduceInnerSum().reduceSum()));
            // rows: 15, 6, 15 -> d/dv of 15^2 + 6^2 + 15^2: row 2's values 2 * 15 * 2, row 0's 2 * 6
            assertArrayEquals(new double[] {12, 12, 12, 60, 60, 60}, tape.gradient(loss, v).toDoubleArray());
        }
    }

    @Test
    void paddingRunsInATracedGraphWithSymbolicSplits() {
        TracedFunction f = TracedFunction.of(in -> new Tensor[] {
                RaggedTensor.fromNestedRowSplits(in[0], in[1], in[2]).toTensor(),
                RaggedTensor.fromNestedRowSplits(in[0], in[1], in[2]).reduceInnerSum().reduceSum()});
        RaggedTensor r = sample();
        Tensor[] out = f.call(r.flatValues(), r.nestedRowSplits().get(0), r.nestedRowSplits().get(1));
        assertArrayEquals(sample().toTensor().toFloatArray(), out[0].toFloatArray());
        assertArrayEquals(new float[] {6, 0, 15}, out[1].toFloatArray());
        RaggedTensor other = RaggedTensor.of(new float[][][] {{{1}, {2, 2, 2, 2}, {}}});   // same graph, other lengths
        Tensor[] more = f.call(other.flatValues(), other.nestedRowSplits().get(0), other.nestedRowSplits().get(1));
        assertEquals(Shape.of(1, 3, 4), more[0].shape());
        assertArrayEquals(new float[] {9}, more[1].toFloatArray());
    }

    private static String message(Runnable r) {
        return assertThrows(RuntimeException.class, r::run).getMessage();
    }

    @Test
    void misuseIsRefusedWithTheRaggedRank() {
        assertTrue(message(() -> sample().values()).contains("ragged rank 2, so its values are ragged"));
        assertTrue(message(() -> sample().reduceSum()).contains("ragged rank 2"));
        assertTrue(message(() -> RaggedTensor.of(new float[][] {{1}}).reduceInnerSum()).contains("ragged rank 1"));
        assertTrue(message(() -> RaggedTensor.of(new float[][] {{1}}).raggedValues()).contains("ragged rank 1"));
        assertTrue(message(() -> RaggedTensor.concat(sample(), RaggedTensor.of(new float[][] {{1}})))
                .contains("ragged ranks differ: 2 and 1"));
        String m = message(() -> RaggedTensor.fromRowSplits(RaggedTensor.of(new float[][] {{1}, {2}}), splits(0, 3)));
        assertTrue(m.contains("end at the number of rows of the ragged values 2, got [0, 3]"), m);
    }
}
