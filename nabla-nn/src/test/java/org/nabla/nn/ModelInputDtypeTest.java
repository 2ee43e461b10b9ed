package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.optimizers.SGD;

/** Data of a floating dtype no layer computes in is refused at the model's door, naming the input and its dtype. */
class ModelInputDtypeTest {
    @Test
    void float64DataForAFloat32ModelNamesTheInputAndTheRemedy() {
        Sequential m = new Sequential(new Dense(2));
        m.compile(new SGD(0.1), "mse");
        Tensor x = Tensors.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor y = Tensors.of(new float[] {1, 0, 0, 1}, 2, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, 2, 1));
        assertTrue(e.getMessage().contains("input 0 is float64") && e.getMessage().contains("compute in float32")
                && e.getMessage().contains("Ops.cast"), e.getMessage());
        // the same data cast, or a float64 model, trains
        m.fit(Tensors.of(new float[] {1, 2, 3, 4}, 2, 2), y, 2, 1);
        Sequential m64 = new Sequential(new Dense(2));
        m64.layers().getFirst().dtype(DType.FLOAT64);
        m64.compile(new SGD(0.1), "mse");
        m64.fit(x, Tensors.of(new double[] {1, 0, 0, 1}, 2, 2), 2, 1);
    }
}
