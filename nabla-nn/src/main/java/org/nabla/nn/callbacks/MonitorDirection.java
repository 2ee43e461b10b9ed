package org.nabla.nn.callbacks;

import java.util.List;

/**
 * Mode "auto" of the callbacks that watch a logged value: maximize accuracies and the metrics where higher is better
 * (Keras asks the metric's direction: up for accuracy, AUC, precision, recall, F-scores and IoU), minimize the rest
 * (losses, errors).
 */
final class MonitorDirection {
    private static final List<String> HIGHER_IS_BETTER = List.of("acc", "auc", "precision", "recall", "f1_score",
            "fbeta_score", "io_u");

    private MonitorDirection() {}

    /** Whether {@code monitor} ("val_auc"...) improves upwards. */
    static boolean maximizes(String monitor) {
        return HIGHER_IS_BETTER.stream().anyMatch(monitor::contains);
    }
}
