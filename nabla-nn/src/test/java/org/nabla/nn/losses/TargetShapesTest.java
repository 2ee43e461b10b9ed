package org.nabla.nn.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.metrics.Metrics;

/**
 * Targets one rank short of the predictions (labels [N] against [N, 1] outputs) line up as Keras lines them up
 * instead of broadcasting to [N, N]; other mismatches fail naming both shapes. Expected values worked by hand.
 */
class TargetShapesTest {
    private static final Tensor PROBS = Tensors.of(new float[] {0.9f, 0.2f, 0.6f}, 3, 1);
    private static final Tensor LABELS = Tensors.of(new float[] {1, 0, 1}, 3);

    @Test
    void binaryCrossentropyOfRankOneLabelsAgainstAColumnOfProbabilities() {
        // -(log 0.9 + log 0.8 + log 0.6) / 3; broadcasting [3] against [3, 1] gave the mean over a 3x3 table instead
        double expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 3;
        assertEquals(expected, Losses.binaryCrossentropy(false).call(LABELS, PROBS).doubleValue(), 1e-6);
        assertEquals(expected, Losses.binaryCrossentropy(false).call(Tensors.of(new float[] {1, 0, 1}, 3, 1),
                PROBS).doubleValue(), 1e-6);
        // the same with logits: log(p / (1 - p)) are the logits of the same probabilities
        Tensor logits = Tensors.of(new float[] {(float) Math.log(9), (float) Math.log(0.25), (float) Math.log(1.5)}, 3, 1);
        assertEquals(expected, Losses.binaryCrossentropy(true).call(LABELS, logits).doubleValue(), 1e-6);
    }

    @Test
    void errorLossesAndBinaryAccuracyLineUpTheSameWay() {
        // (0.1^2 + 0.2^2 + 0.4^2) / 3 and (0.1 + 0.2 + 0.4) / 3
        assertEquals(0.21 / 3, Losses.meanSquaredError().call(LABELS, PROBS).doubleValue(), 1e-6);
        assertEquals(0.7 / 3, Losses.meanAbsoluteError().call(LABELS, PROBS).doubleValue(), 1e-6);
        // predictions [3, 1] against labels [3]: and the other way round
        assertEquals(0.21 / 3, Losses.meanSquaredError().call(Tensors.of(new float[] {1, 0, 1}, 3, 1),
                Tensors.of(new float[] {0.9f, 0.2f, 0.6f}, 3)).doubleValue(), 1e-6);
        // 0.9 > 0.5 == 1, 0.2 > 0.5 == 0, 0.6 > 0.5 == 1: all three right
        assertEquals(1.0, Metrics.binaryAccuracy(0.5).batchResult(LABELS, PROBS), 1e-6);
        Tensor wrongOnce = Tensors.of(new float[] {0, 0, 1}, 3);
        assertEquals(2.0 / 3, Metrics.binaryAccuracy(0.5).batchResult(wrongOnce, PROBS), 1e-6);
    }

    @Test
    void otherMismatchesFailNamingBothShapes() {
        Tensor a = Tensors.of(new float[6], 3, 2), b = Tensors.of(new float[9], 3, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> Losses.meanSquaredError().call(a, b));
        assertTrue(e.getMessage().contains("mean_squared_error") && e.getMessage().contains("(3, 2)")
                && e.getMessage().contains("(3, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.categoricalCrossentropy(true).call(Tensors.of(new float[] {0, 1, 2}, 3), b));
        assertTrue(e.getMessage().contains("categorical_crossentropy") && e.getMessage().contains("(3,)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.sparseCategoricalCrossentropy(true).call(Tensors.of(new int[] {0, 1, 2, 0, 1, 2}, 3, 2), b));
        assertTrue(e.getMessage().contains("(3, 2)") && e.getMessage().contains("[N] or [N, 1]"), e.getMessage());
    }
}
