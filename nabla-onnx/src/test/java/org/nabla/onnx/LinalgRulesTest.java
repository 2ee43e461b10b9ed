package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Det against hand-expanded determinants: a matrix that needs a row swap, a singular one, a batch. */
class LinalgRulesTest {
    @Test
    void determinantsByCofactorExpansion() {
        // [[0, 2, 1], [1, 1, 1], [2, 0, 3]]: 0 * (3 - 0) - 2 * (3 - 2) + 1 * (0 - 2) = -4; its first pivot is 0.
        Tensor swap = OnnxNodeCase.of("Det", 22).input(Tensors.of(new double[] {0, 2, 1, 1, 1, 1, 2, 0, 3}, 3, 3))
                .run1();
        assertEquals(Shape.SCALAR, swap.shape());
        assertEquals(-4, swap.doubleValue(), 1e-12);
        // A singular matrix, and 4 * 3 - 3 * 6 = -6, in one batch (2, 2, 2).
        Tensor batch = OnnxNodeCase.of("Det", 22)
                .input(Tensors.of(new float[] {1, 2, 2, 4, 4, 3, 6, 3}, 2, 2, 2)).run1();
        assertArrayEquals(new double[] {0, -6}, batch.toDoubleArray(), 1e-6);
    }
}
