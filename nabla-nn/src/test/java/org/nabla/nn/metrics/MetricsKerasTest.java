package org.nabla.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.nn.KerasReference;

/**
 * The stateful metrics against Keras 3.15 (JAX, float32): each updated with two batches, with and without sample
 * weights, its result after each batch; once eagerly through {@link Metric#updateState}, once with the statistics
 * computed in a traced function and summed by hand, as {@code fit} does. From
 * {@code scripts/references/keras_metrics_reference.py}'s checked-in output.
 */
class MetricsKerasTest {
    static Stream<KerasReference.Case> cases() {
        return KerasReference.cases("/keras/metrics.json", "metrics",
                d -> d.get("name") + " " + d.get("options") + (Boolean.TRUE.equals(d.get("weighted")) ? " weighted" : ""));
    }

    private static double num(Map<String, Object> o, String key, double otherwise) {
        return o.containsKey(key) ? ((Number) o.get(key)).doubleValue() : otherwise;
    }

    @SuppressWarnings("unchecked")
    static Metric metric(String name, Map<String, Object> o) {
        float[] thresholds = o.containsKey("thresholds") ? KerasReference.floats(o.get("thresholds")) : null;
        int topK = (int) num(o, "top_k", 0), classId = (int) num(o, "class_id", -1);
        return switch (name) {
            case "precision" -> new Precision(thresholds, topK, classId);
            case "recall" -> new Recall(thresholds, topK, classId);
            case "auc" -> new AUC((int) num(o, "num_thresholds", 200),
                    "PR".equals(o.get("curve")) ? AUC.Curve.PR : AUC.Curve.ROC, Boolean.TRUE.equals(o.get("from_logits")));
            case "f1_score" -> FBetaScore.f1(FBetaScore.Average.of((String) o.get("average")), num(o, "threshold", Double.NaN));
            case "fbeta_score" -> new FBetaScore(FBetaScore.Average.of((String) o.get("average")), num(o, "beta", 1),
                    num(o, "threshold", Double.NaN));
            case "mean_iou" -> new MeanIoU((int) num(o, "num_classes", 0), (int) num(o, "ignore_class", -1), true,
                    !Boolean.FALSE.equals(o.get("sparse_y_pred")));
            default -> Metrics.get(name, null);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKerasBatchByBatch(KerasReference.Case c) {
        Map<String, Object> d = c.d();
        boolean weighted = Boolean.TRUE.equals(d.get("weighted"));
        Metric eager = metric((String) d.get("name"), (Map<String, Object>) d.get("options"));
        Metric traced = metric((String) d.get("name"), (Map<String, Object>) d.get("options"));
        TracedFunction stats = TracedFunction.of(in -> new Tensor[] {traced.statistics(in[0], in[1], in[2])});
        double[] sums = null;
        for (int b = 0; b < 2; b++) {
            Tensor yTrue = KerasReference.tensor(((List<Object>) d.get("y_true")).get(b));
            Tensor yPred = KerasReference.tensor(((List<Object>) d.get("y_pred")).get(b));
            Tensor w = weighted ? KerasReference.tensor(((List<Object>) d.get("weights")).get(b)) : null;
            eager.updateState(yTrue, yPred, w);
            sums = Metric.add(sums, traced.hostStatistics((weighted ? stats.call(yTrue, yPred, w)
                    : TracedFunction.of(in -> new Tensor[] {traced.statistics(in[0], in[1], null)}).call(yTrue, yPred))[0]
                    .toDoubleArray()));
            float[] expected = KerasReference.floats(((List<Object>) d.get("results")).get(b));
            double[] got = eager.resultValues(), gotTraced = traced.result(sums);
            assertEquals(expected.length, got.length, c + " value count");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], 2e-6 + 1e-5 * Math.abs(expected[i]), c + " batch " + b + " value " + i);
                assertEquals(got[i], gotTraced[i], 1e-6 * (1 + Math.abs(got[i])), c + " traced, batch " + b);
            }
        }
        eager.resetState();
        assertThrows(IllegalStateException.class, eager::resultValues);
    }

    @Test
    void badOptionsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Precision(new float[] {1.5f}, 0, -1))
                .getMessage().contains("precision: thresholds must be in [0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AUC(1, AUC.Curve.ROC, false)).getMessage()
                .contains("numThresholds"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FBetaScore.f1(FBetaScore.Average.MACRO, 0))
                .getMessage().contains("threshold must be in (0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MeanIoU(1)).getMessage().contains("MeanIoU"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FBetaScore.Average.of("mean")).getMessage()
                .contains("unknown average 'mean'"));
        assertEquals("auc", Metrics.get("auc", null).name());
        assertEquals("f1_score", Metrics.get("f1_score", null).name());
    }
}
