package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.saving.SavedModel;

/** {@code Model.save} / {@code Model.load} round trip and the stable weight names they use. */
class ModelSaveLoadTest {
    @TempDir
    Path tmp;

    @Test
    void aSavedModelPredictsWhatTheModelPredictsAtAnyBatchSize() throws Exception {
        Sequential m = new Sequential(new Dense(4, "relu"), new Dense(2));
        m.seed(3);
        assertThrows(IllegalStateException.class, () -> m.save(tmp.resolve("unbuilt")));
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor expected = m.call(x);
        // four weights, each under its layer's name and its own ("dense_3/kernel"), no process-unique suffix after it
        assertEquals(4, m.variablesByName().size());
        for (String k : m.variablesByName().keySet()) assertTrue(k.matches("[a-z_0-9]+/(kernel|bias)"), k);
        m.save(tmp.resolve("model"));
        try (SavedModel loaded = Model.load(tmp.resolve("model"))) {
            assertEquals(List.of("input_0"), loaded.inputs().stream().map(s -> s.name()).toList());
            assertArrayEquals(expected.toFloatArray(), loaded.predict(x)[0].toFloatArray(), 1e-6f);
            Tensor one = Tensors.of(new float[] {1, 2, 3}, 1, 3);   // another batch size, same graph
            assertArrayEquals(m.call(one).toFloatArray(), loaded.predict(one)[0].toFloatArray(), 1e-6f);
        }
    }
}
