package org.nabla.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.KerasReference;

/**
 * AUC with multi_label (one curve per label, averaged) against Keras 3.15, from {@code
 * scripts/references/keras_auc_multilabel_reference.py}: ROC and PR, probabilities and logits, with and without
 * sample weights, over two batches (a label without positives in the first).
 */
class AucMultiLabelKerasTest {
    @Test
    @SuppressWarnings("unchecked")
    void matchesKeras() {
        Map<String, Object> root = KerasReference.root("/keras/auc_multilabel.json");
        List<Map<String, Object>> batches = (List<Map<String, Object>>) root.get("batches");
        for (Map<String, Object> c : (List<Map<String, Object>>) root.get("cases")) {
            boolean logits = (Boolean) c.get("from_logits"), weighted = (Boolean) c.get("weighted");
            AUC auc = new AUC(50, AUC.Curve.valueOf((String) c.get("curve")), logits).multiLabel();
            List<Number> want = (List<Number>) c.get("results");
            for (int b = 0; b < batches.size(); b++) {
                Map<String, Object> batch = batches.get(b);
                Tensor z = KerasReference.tensor(batch.get("logits"));
                auc.updateState(KerasReference.tensor(batch.get("y")), logits ? z : Ops.sigmoid(z),
                        weighted ? KerasReference.tensor(batch.get("w")) : null);
                assertEquals(want.get(b).doubleValue(), auc.result(), 1e-6, c + " after batch " + b);
            }
        }
    }

    @Test
    void multiLabelNeedsAMatrix() {
        AUC auc = new AUC().multiLabel();
        var e = assertThrows(IllegalArgumentException.class,
                () -> auc.updateState(Tensors.of(new float[] {1, 0}, 2), Tensors.of(new float[] {0.5f, 0.2f}, 2), null));
        assertTrue(e.getMessage().contains("multi_label needs predictions [N, labels]"), e.getMessage());
    }
}
