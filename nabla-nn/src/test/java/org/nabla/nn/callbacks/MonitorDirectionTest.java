package org.nabla.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Mode "auto": the metrics where higher is better are maximized, losses and errors minimized. */
class MonitorDirectionTest {
    @Test
    void higherIsBetterForScoresLowerForLosses() {
        for (String up : new String[] {"accuracy", "val_accuracy", "val_auc", "auc_1", "precision", "val_recall",
                "f1_score", "val_fbeta_score", "mean_io_u", "weighted_sparse_categorical_accuracy"}) {
            assertTrue(MonitorDirection.maximizes(up), up);
        }
        for (String down : new String[] {"loss", "val_loss", "mean_squared_error", "val_mean_absolute_error"}) {
            assertFalse(MonitorDirection.maximizes(down), down);
        }
    }
}
