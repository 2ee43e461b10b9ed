/**
 * Saving and loading: checksummed checkpoints of named tensors or variables ({@link org.nabla.nn.saving.Checkpoint},
 * {@link org.nabla.nn.saving.CheckpointManager}), saved models that predict without the Java code that built them
 * ({@link org.nabla.nn.saving.SavedModel}) and a training history as CSV ({@link org.nabla.nn.saving.HistoryCsv}).
 * Every file is written atomically (a temporary file in the same folder, fsync, rename), so a crash or an error never
 * leaves a half-written file under the final name. Pixels (PNG input, training-curve charts) live in the optional
 * nabla-charts module ({@code org.nabla.charts}), so that this library pulls in no imaging or plotting code.
 */
package org.nabla.nn.saving;
