package org.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ragged.RaggedTensor;
import org.nabla.strings.Strings;

/** Datasets of string tensors: slicing, mapping with string ops, batching and ragged batching of token rows. */
class StringDatasetTest {
    @Test
    void slicesMapAndBatchStrings() {
        Tensor lines = Tensors.of(new String[] {"The cat", "a DOG", "Fish", "emu"});
        List<Tensor> batches = Dataset.fromTensorSlices(lines).map(Strings::lower).batch(3).toList();
        assertEquals(2, batches.size());
        assertEquals(DType.STRING, batches.get(0).dtype());
        assertEquals(Shape.of(3), batches.get(0).shape());
        assertArrayEquals(new String[] {"the cat", "a dog", "fish"}, batches.get(0).toStringArray());
        assertArrayEquals(new String[] {"emu"}, batches.get(1).toStringArray());
    }

    @Test
    void tokenRowsBatchAsRaggedTensors() {
        Tensor lines = Tensors.of(new String[] {"a b c", "d", "e f"});
        List<RaggedTensor> batches = Dataset.fromTensorSlices(lines)
                .map(line -> Strings.split(Ops.reshape(line, 1)).values()) // split takes a vector of lines
                .raggedBatch(2, false).toList();
        assertEquals(List.of(List.of("a", "b", "c"), List.of("d")), batches.get(0).toStringList());
        assertEquals(List.of(List.of("e", "f")), batches.get(1).toStringList());
    }
}
