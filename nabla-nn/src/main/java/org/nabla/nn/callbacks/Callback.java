package org.nabla.nn.callbacks;

import java.util.Map;
import org.nabla.nn.Model;

/**
 * Hooks called by {@link Model#fit}. {@code logs} maps metric names ("loss", "accuracy", "val_loss"...) to values:
 * at a batch end the running epoch means, at an epoch end the epoch means and validation results. A callback may
 * call {@link Model#stopTraining()} to end training (after the current batch, from a batch hook).
 */
public interface Callback {
    /** Called once before training with the model being fit. */
    default void setModel(Model model) {}

    /** True for a callback that restores a saved training state before training ({@link #restore}). */
    default boolean restoresState() { return false; }

    /**
     * Called once before {@link #onTrainBegin} on a callback that {@link #restoresState()}, with the model built: it
     * may restore the weights and optimizer state and returns the epoch to continue from ({@code initialEpoch}
     * itself when there is nothing to restore). {@link BackupAndRestore} does this.
     */
    default int restore(int initialEpoch) { return initialEpoch; }

    /** Called when training starts. */
    default void onTrainBegin(Map<String, Double> logs) {}

    /** Called when training ends (also after an early stop), with the last epoch's logs. */
    default void onTrainEnd(Map<String, Double> logs) {}

    /** Called at the start of each epoch (0-based). */
    default void onEpochBegin(int epoch, Map<String, Double> logs) {}

    /** Called at the end of each epoch with its means and validation results. */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {}

    /** Called after each batch (0-based within the epoch) with the running epoch means. */
    default void onBatchEnd(int batch, Map<String, Double> logs) {}
}
