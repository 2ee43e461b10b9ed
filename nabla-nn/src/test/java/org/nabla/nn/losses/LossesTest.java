package org.nabla.nn.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.metrics.Metrics;

/** Each loss against hand-computed values. */
class LossesTest {
    private static double v(Loss l, Object t, Object p) { return l.call(Tensors.of(t), Tensors.of(p)).doubleValue(); }

    @Test
    void meanSquaredAndAbsoluteError() {
        double[][] t = {{0, 1}, {1, 1}}, p = {{1, 1}, {1, 0.5}};
        assertEquals((1 + 0.25) / 4, v(Losses.meanSquaredError(), t, p), 1e-12);
        assertEquals((1 + 0.5) / 4, v(Losses.meanAbsoluteError(), t, p), 1e-12);
        assertEquals("mean_squared_error", Losses.get("mse").name());
    }

    @Test
    void binaryCrossentropy() {
        double expected = -(Math.log(0.8) + Math.log(0.7)) / 2;
        assertEquals(expected, v(Losses.binaryCrossentropy(false), new double[] {1, 0}, new double[] {0.8, 0.3}),
                1e-12);
        double[] x = {1.5, -0.5, 40, -40};
        double[] z = {1, 0, 0, 1};
        double ref = 0;
        for (int i = 0; i < 4; i++) ref += z[i] * Math.log1p(Math.exp(-x[i])) + (1 - z[i]) * Math.log1p(Math.exp(x[i]));
        assertEquals(ref / 4, v(Losses.binaryCrossentropy(true), z, x), 1e-12);
        // probabilities at 0 and 1 are clipped, not infinite
        double clipped = v(Losses.binaryCrossentropy(false), new float[] {1}, new float[] {0});
        assertEquals(-Math.log(1e-7), clipped, 1e-3);
    }

    @Test
    void categoricalCrossentropy() {
        double[] l = {1, 2, 3};
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertEquals(lse - 3, v(Losses.categoricalCrossentropy(true), new double[][] {{0, 0, 1}}, new double[][] {l}),
                1e-12);
        assertEquals(-Math.log(0.3), v(Losses.categoricalCrossentropy(false), new double[][] {{0, 1, 0}},
                new double[][] {{0.2, 0.3, 0.5}}), 1e-12);
        // unnormalized probabilities are renormalized, like Keras
        assertEquals(-Math.log(0.3), v(Losses.categoricalCrossentropy(false), new double[][] {{0, 1, 0}},
                new double[][] {{0.4, 0.6, 1.0}}), 1e-6);
    }

    @Test
    void sparseCategoricalCrossentropy() {
        double[][] logits = {{1, 2, 3}, {1000, 0, 0}};
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        double expected = ((lse - 1) + 1000) / 2;   // second row: label 1 against a logit 1000 below the max
        Loss l = Losses.sparseCategoricalCrossentropy(true);
        assertEquals(expected, v(l, new int[] {0, 1}, logits), 1e-9);
        assertEquals(expected, v(l, new long[] {0, 1}, logits), 1e-9);
        assertEquals(expected, v(l, new double[] {0, 1}, logits), 1e-9);
        assertEquals(expected, v(l, new int[][] {{0}, {1}}, logits), 1e-9);
        assertEquals(-Math.log(0.5), v(Losses.sparseCategoricalCrossentropy(false), new int[] {2},
                new float[][] {{0.2f, 0.3f, 0.5f}}), 1e-6);
    }

    @Test
    void accuracyMetrics() {
        Tensor p = Tensors.of(new float[][] {{0.1f, 0.9f}, {0.8f, 0.2f}, {0.3f, 0.7f}});
        assertEquals(2 / 3.0, Metrics.sparseCategoricalAccuracy().batchResult(Tensors.of(new int[] {1, 1, 1}), p), 1e-6);
        assertEquals(1 / 3.0, Metrics.categoricalAccuracy().batchResult(Tensors.of(new float[][] {{0, 1}, {0, 1}, {1,
                0}}), p), 1e-6);
        assertEquals(0.75, Metrics.binaryAccuracy(0.5).batchResult(Tensors.of(new float[] {1, 0, 1, 1}),
                Tensors.of(new float[] {0.7f, 0.2f, 0.4f, 0.9f})), 1e-6);
        assertEquals("accuracy", Metrics.get("accuracy", Losses.sparseCategoricalCrossentropy(true)).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.get("hinge_loss"));
        assertTrue(e.getMessage().contains("unknown loss 'hinge_loss'"));
    }
}
