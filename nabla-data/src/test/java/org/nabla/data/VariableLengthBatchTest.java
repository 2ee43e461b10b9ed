package org.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ragged.RaggedTensor;

/** Dataset.paddedBatch and raggedBatch on sequences of different lengths (token ids, say). */
class VariableLengthBatchTest {
    private static Tensor ids(int... v) { return Tensor.wrap(DType.INT32, Shape.of(v.length), v); }

    private static Dataset<Tensor> sequences() {
        return Dataset.fromIterable(List.of(ids(1, 2, 3), ids(4), ids(5, 6), ids(7, 8, 9, 10), ids()));
    }

    @Test
    void paddedBatchPadsEachBatchToItsLongestElement() {
        List<Tensor> batches = sequences().paddedBatch(2).toList();
        assertEquals(3, batches.size());
        assertEquals(Shape.of(2, 3), batches.get(0).shape());
        assertArrayEquals(new int[] {1, 2, 3, 4, 0, 0}, batches.get(0).toIntArray());
        assertArrayEquals(new int[] {5, 6, -1, -1, 7, 8, 9, 10},
                sequences().skip(2).paddedBatch(2, false, -1).toList().get(0).toIntArray());
        assertEquals(Shape.of(1, 0), batches.get(2).shape());   // an empty sequence alone: nothing to pad
        // tuples pad each component on its own; matrices pad both dimensions
        Tensor[] a = {Tensors.of(new float[] {1, 2, 3, 4}, 2, 2), ids(1)};
        Tensor[] b = {Tensors.of(new float[] {5, 6, 7}, 1, 3), ids(2, 3)};
        Tensor[] t = Dataset.fromIterable(List.of(a, b)).paddedBatch(2).toList().get(0);
        assertEquals(Shape.of(2, 2, 3), t[0].shape());
        assertArrayEquals(new float[] {1, 2, 0, 3, 4, 0, 5, 6, 7, 0, 0, 0}, t[0].toFloatArray());
        assertArrayEquals(new int[] {1, 0, 2, 3}, t[1].toIntArray());
    }

    @Test
    void raggedBatchKeepsEachLength() {
        List<RaggedTensor> batches = sequences().raggedBatch(3, false).toList();
        assertEquals(2, batches.size());
        assertArrayEquals(new long[] {0, 3, 4, 6}, batches.get(0).rowSplits().toLongArray());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, batches.get(0).values().toIntArray());
        assertArrayEquals(new long[] {4, 0}, batches.get(1).rowLengths().toLongArray());
        assertArrayEquals(new int[] {10, Integer.MIN_VALUE}, batches.get(1).reduceMax().toIntArray());
        assertEquals(1, sequences().raggedBatch(3, true).toList().size());
    }

    @Test
    void raggedElementsBatchIntoANestedRaggedTensor() {
        // documents of sentences of token ids: each element is ragged, a batch has ragged rank 2
        Dataset<RaggedTensor> docs = Dataset.fromIterable(List.of(RaggedTensor.of(new int[][] {{1, 2}, {3}}),
                RaggedTensor.of(new int[][] {{4, 5, 6}}), RaggedTensor.of(new int[][] {})));
        RaggedTensor batch = docs.raggedBatch(3, false).toList().get(0);
        assertEquals(2, batch.raggedRank());
        assertArrayEquals(new long[] {0, 2, 3, 3}, batch.rowSplits().toLongArray());
        assertArrayEquals(new long[] {0, 2, 3, 6}, batch.raggedValues().rowSplits().toLongArray());
        assertEquals(Shape.of(3, 2, 3), batch.toTensor().shape());
        Dataset<Object> mixed = Dataset.fromIterable(List.of(RaggedTensor.of(new int[][] {{1}}),
                RaggedTensor.of(new float[][] {{1}})));
        String m = assertThrows(IllegalArgumentException.class, () -> mixed.raggedBatch(2, false).toList())
                .getMessage();
        assertTrue(m.contains("element 1 is a float32 ragged tensor of ragged rank 1 but element 0 is int32"), m);
    }

    @Test
    void mismatchedElementsAreNamed() {
        Dataset<Tensor> mixed = Dataset.fromIterable(List.of(ids(1, 2), Tensors.of(new float[] {1}, 1)));
        String padded = assertThrows(IllegalArgumentException.class, () -> mixed.paddedBatch(2).toList()).getMessage();
        assertTrue(padded.contains("element 1") && padded.contains("same dtype and rank"), padded);
        Dataset<Tensor> inner = Dataset.fromIterable(List.of(Tensors.of(new float[4], 2, 2), Tensors.of(new float[3], 1, 3)));
        String ragged = assertThrows(IllegalArgumentException.class, () -> inner.raggedBatch(2, false).toList())
                .getMessage();
        assertTrue(ragged.contains("equal inner dimensions"), ragged);
    }
}
