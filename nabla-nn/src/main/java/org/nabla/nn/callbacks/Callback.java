package org.nabla.nn.callbacks;

import java.util.Map;
import org.nabla.nn.Model;

/**
 * Hooks called by {@link Model#fit}. {@code logs} maps metric names ("loss", "accuracy", "val_loss"...) to values:
 * at a batch end the running epoch means, at an epoch end the epoch means and validation results. A callback may
 * call {@link Model#stopTraining()} to end training after the current epoch.
 */
public interface Callback {
    default void setModel(Model model) {}

    default void onTrainBegin(Map<String, Double> logs) {}

    default void onTrainEnd(Map<String, Double> logs) {}

    default void onEpochBegin(int epoch, Map<String, Double> logs) {}

    default void onEpochEnd(int epoch, Map<String, Double> logs) {}

    default void onBatchEnd(int batch, Map<String, Double> logs) {}
}
