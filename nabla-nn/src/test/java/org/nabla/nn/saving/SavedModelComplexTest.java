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

/**
 * A saved model with complex values everywhere: a float32 signal in, a complex64 filter variable in the checkpoint, a
 * complex constant in the graph, and the filtered spectrum and signal out (rfft, product, irfft).
 */
class SavedModelComplexTest {
    @Test
    void complexConstantsVariablesAndOutputsSurviveSaving(@TempDir Path dir) throws IOException {
        Variable filter = Variable.of("filter", Tensors.complex(new float[] {1, 0.5f, 0, 0, 0},
                new float[] {0, -0.5f, 0, 0, 0}), false);
        Tensor gain = Tensors.complex(new float[] {2}, new float[] {0});
        java.util.function.Function<Tensor[], Tensor[]> fn = in -> {
            Tensor spectrum = Ops.mul(Ops.mul(Ops.rfft(in[0]), filter.read()), gain);
            return new Tensor[] {spectrum, Ops.irfft(spectrum, 8)};
        };
        SavedModel.save(dir, fn, List.of(TensorSpec.of(DType.FLOAT32, Shape.of(2, 8))), List.of("signal"),
                List.of("spectrum", "filtered"), Map.of("filter", filter));
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, -1, 0, 1, 0, -1}, 2, 8);
        Tensor[] expected = fn.apply(new Tensor[] {x});
        try (SavedModel m = SavedModel.load(dir)) {
            Tensor[] out = m.predict(x);
            assertEquals(DType.COMPLEX64, out[0].dtype());
            assertArrayEquals(expected[0].toComplexArray(), out[0].toComplexArray(), 1e-5);
            assertEquals(DType.FLOAT32, out[1].dtype());
            assertArrayEquals(expected[1].toFloatArray(), out[1].toFloatArray(), 1e-5f);
        }
    }
}
