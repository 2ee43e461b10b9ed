package org.nabla.nn.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** A padding mask merged into the loss reduction as Keras 3's apply_mask does, by hand-worked values. */
class MaskedReductionTest {
    private static final Tensor VALUES = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    private static final Tensor MASK = Tensor.wrap(DType.BOOL, Shape.of(2, 3), new byte[] {1, 1, 0, 1, 0, 0});
    private static final Tensor WEIGHTS = Tensors.of(new float[] {2, 0.5f}, 2);   // per example

    @Test
    void theDefaultReductionAveragesTheRealStepsOnly() {
        assertEquals((1 + 2 + 4) / 3.0, scalar(Reduction.SUM_OVER_BATCH_SIZE.reduce(VALUES, null, MASK)), 1e-6);
        // weights per example apply to each of its steps; still divided by the number of real steps
        assertEquals((2 * 1 + 2 * 2 + 0.5 * 4) / 3.0,
                scalar(Reduction.SUM_OVER_BATCH_SIZE.reduce(VALUES, WEIGHTS, MASK)), 1e-6);
    }

    @Test
    void theOtherReductionsWeighMaskedStepsZero() {
        assertEquals(1 + 2 + 4, scalar(Reduction.SUM.reduce(VALUES, null, MASK)), 1e-6);
        assertEquals((2 * 1 + 2 * 2 + 0.5 * 4) / (2 + 2 + 0.5),
                scalar(Reduction.MEAN_WITH_SAMPLE_WEIGHT.reduce(VALUES, WEIGHTS, MASK)), 1e-6);
        assertEquals(0f, Reduction.NONE.reduce(VALUES, null, MASK).toFloatArray()[2]);
    }

    @Test
    void aBatchWithNoRealStepGivesZeroNotNaN() {
        Tensor none = Tensor.wrap(DType.BOOL, Shape.of(2, 3), new byte[6]);
        assertEquals(0, scalar(Reduction.SUM_OVER_BATCH_SIZE.reduce(VALUES, null, none)));
        assertEquals(0, scalar(Reduction.MEAN_WITH_SAMPLE_WEIGHT.reduce(VALUES, WEIGHTS, none)));
    }

    @Test
    void noMaskIsTheUnmaskedReduction() {
        assertEquals(3.5, scalar(Reduction.SUM_OVER_BATCH_SIZE.reduce(VALUES, null, null)), 1e-6);
    }

    private static double scalar(Tensor t) { return t.toFloatArray()[0]; }
}
