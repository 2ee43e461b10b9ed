package org.nabla.nn.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.ops.TensorSpec;
import org.nabla.strings.Strings;

/**
 * A saved model that takes and returns strings, with a string constant in its graph and a string variable (a
 * vocabulary) in its checkpoint: the first step of text preprocessing saved with the model.
 */
class SavedModelStringsTest {
    @Test
    void stringInputsConstantsVariablesAndOutputsSurviveSaving(@TempDir Path dir) throws IOException {
        Variable vocab = Variable.of("vocab", Tensors.of(new String[] {"cat", "dog"}), false);
        SavedModel.save(dir, in -> {
            Tensor words = Strings.lower(in[0]);
            Tensor known = Ops.equal(Ops.expandDims(words, -1), vocab.read());        // [n, 2]
            Tensor tagged = Ops.where(Ops.any(known, -1), words, Ops.constant(new String[] {"<unk>"}));
            return new Tensor[] {tagged, Strings.toHashBucketFast(words, 100)};
        }, List.of(TensorSpec.of(DType.STRING, Shape.of(-1))), List.of("words"), List.of("tagged", "buckets"),
                Map.of("vocab", vocab));
        try (SavedModel m = SavedModel.load(dir)) {
            Tensor[] out = m.predict(Tensors.of(new String[] {"Cat", "emu", "DOG"}));
            assertArrayEquals(new String[] {"cat", "<unk>", "dog"}, out[0].toStringArray());
            assertEquals(DType.INT64, out[1].dtype());
            assertArrayEquals(Strings.toHashBucketFast(Tensors.of(new String[] {"cat", "emu", "dog"}), 100)
                    .toLongArray(), out[1].toLongArray());
        }
    }
}
