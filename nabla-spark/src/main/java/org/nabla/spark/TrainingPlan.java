package org.nabla.spark;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * What every barrier task needs to train: the model, the columns, the schedule and where checkpoints go. Built and
 * checked by {@link SparkTrainer}; serialized into each task.
 *
 * @param model           builds the compiled model (the same one on every task and on the driver)
 * @param featuresCol     an array column of numbers (one example's features, flattened)
 * @param labelCol        an integer column (class index) or a float/double column
 * @param intLabels       whether the label column is integral (int32 targets; otherwise float32)
 * @param inputShape      one example's shape, e.g. {28, 28, 1}; null: the flat feature vector
 * @param epochs          epochs to train in all (a resumed run trains the rest)
 * @param globalBatch     examples per step over all workers (as {@code nabla train --batch-size})
 * @param seed            the per-epoch shuffle seed
 * @param shuffle         whether each worker shuffles its rows every epoch
 * @param checkpointDir   a folder every executor reaches (shared file system); null: no checkpoints, no resuming
 * @param keepCheckpoints how many epoch checkpoints to keep
 * @param stepTimeout     the longest a step (and so an all-reduce waiting for a lost peer) may take
 * @param callbacks       callbacks made in each task
 */
record TrainingPlan(ModelFactory model, String featuresCol, String labelCol, boolean intLabels, int[] inputShape, int epochs,
                    int globalBatch, long seed, boolean shuffle, String checkpointDir, int keepCheckpoints,
                    Duration stepTimeout, List<CallbackFactory> callbacks) implements Serializable {
    TrainingPlan {
        callbacks = List.copyOf(callbacks);
        inputShape = inputShape == null ? null : inputShape.clone();
    }
}
