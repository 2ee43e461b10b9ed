package org.nabla.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.Tensors;
import org.nabla.nn.losses.Losses;

/** Top-k accuracy, hand-worked: ranks within each row, ties at the k-th place counting as in (in_top_k). */
class TopKAccuracyTest {
    // row 0: class 2 ranks 1st; row 1: class 0 ranks 3rd; row 2: class 3 ties the 2nd place; row 3: class 1 last
    private static final Tensor SCORES = Tensors.of(new float[] {
            0.1f, 0.2f, 0.6f, 0.1f,
            0.3f, 0.4f, 0.35f, 0.05f,
            0.5f, 0.2f, 0.1f, 0.2f,
            0.4f, 0.0f, 0.3f, 0.3f}, 4, 4);
    private static final Tensor LABELS = Tensor.wrap(DType.INT32, Shape.of(4), new int[] {2, 0, 3, 1});

    @Test
    void sparseAndOneHotTargets() {
        assertEquals(0.25, Metrics.sparseTopKCategoricalAccuracy(1).batchResult(LABELS, SCORES), 1e-7);
        assertEquals(0.5, Metrics.sparseTopKCategoricalAccuracy(2).batchResult(LABELS, SCORES), 1e-7);
        assertEquals(0.75, Metrics.sparseTopKCategoricalAccuracy(3).batchResult(LABELS, SCORES), 1e-7);
        assertEquals(1.0, Metrics.get("sparse_top_k_categorical_accuracy", null).batchResult(LABELS, SCORES), 1e-7);   // k = 5 > 4 classes
        float[] oneHot = new float[16];
        int[] l = {2, 0, 3, 1};
        for (int i = 0; i < 4; i++) oneHot[i * 4 + l[i]] = 1;
        assertEquals(0.5, Metrics.topKCategoricalAccuracy(2).batchResult(Tensors.of(oneHot, 4, 4), SCORES), 1e-7);
        Metric top2 = Metrics.sparseTopKCategoricalAccuracy(2);
        TracedFunction traced = TracedFunction.of(in -> new Tensor[] {top2.statistics(in[0], in[1], null)});
        assertEquals(0.5, top2.result(top2.hostStatistics(traced.call(LABELS, SCORES)[0].toDoubleArray()))[0], 1e-7);
        assertThrows(IllegalArgumentException.class, () -> Metrics.topKCategoricalAccuracy(0));
        assertEquals("top_k_categorical_accuracy", Metrics.get("top_k_categorical_accuracy",
                Losses.categoricalCrossentropy(false)).name());
    }
}
