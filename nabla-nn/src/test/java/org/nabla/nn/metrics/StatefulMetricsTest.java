package org.nabla.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.SGD;

/**
 * Epoch values are exact: evaluating in uneven batches gives each metric's value over all examples at once (not a
 * mean of batch values), eagerly and traced; two metrics of one name are logged as name and name_1.
 */
class StatefulMetricsTest {
    @Test
    void evaluateInBatchesEqualsTheMetricOverAllExamples() {
        Tensor x = Ops.randomNormal(new int[] {50, 4}, DType.FLOAT32, 0, 1, 7);
        Tensor y = Ops.cast(Ops.greater(Ops.randomUniform(new int[] {50, 1}, DType.FLOAT32, 0, 1, 8), 0.6f), DType.FLOAT32);
        for (boolean eager : new boolean[] {false, true}) {
            Sequential m = new Sequential(new Dense(3, "tanh"), new Dense(1, "sigmoid"));
            m.seed(3);
            m.input(4);
            List<Metric> metrics = List.of(new AUC(), new AUC(200, AUC.Curve.PR, false), new Precision(), new Recall(),
                    Metrics.get("binary_accuracy", null));
            m.compile(new SGD(0.1), List.of(Losses.binaryCrossentropy(false)), metrics);
            m.runEagerly(eager);
            Map<String, Double> batched = m.evaluate(x, y, 7);   // 7 batches of 7 and one of 1
            Tensor p = m.predict(x, 50);
            List<String> names = List.of("auc", "auc_1", "precision", "recall", "binary_accuracy");
            for (int i = 0; i < metrics.size(); i++) {
                Metric metric = metrics.get(i);
                metric.resetState();
                metric.updateState(y, p);
                assertEquals(metric.result(), batched.get(names.get(i)), 1e-6, names.get(i) + (eager ? " eager" : ""));
            }
            // a mean of batch AUCs would differ
            double meanOfBatches = 0;
            for (int b = 0; b < 7; b++) {
                Metric auc = new AUC();
                auc.updateState(Ops.slice(y, new int[] {7 * b, 0}, new int[] {7, 1}),
                        Ops.slice(p, new int[] {7 * b, 0}, new int[] {7, 1}));
                meanOfBatches += auc.result() / 7;
            }
            assertNotEquals(batched.get("auc"), meanOfBatches, 1e-3);
        }
    }
}
