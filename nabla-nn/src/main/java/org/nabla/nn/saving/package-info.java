/**
 * Saving and loading: checksummed checkpoints of named tensors or variables ({@link org.nabla.nn.saving.Checkpoint},
 * {@link org.nabla.nn.saving.CheckpointManager}), saved models that predict without the Java code that built them
 * ({@link org.nabla.nn.saving.SavedModel}), 28x28 grayscale PNG input ({@link org.nabla.nn.saving.ImageInput}) and the
 * training outputs a user looks at ({@link org.nabla.nn.saving.HistoryCsv}, {@link org.nabla.nn.saving.TrainingCharts}).
 * Every file is written atomically (a temporary file in the same folder, fsync, rename), so a crash or an error never
 * leaves a half-written file under the final name.
 */
package org.nabla.nn.saving;
