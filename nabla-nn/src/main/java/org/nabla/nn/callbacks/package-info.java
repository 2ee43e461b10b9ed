/**
 * Hooks into {@code Model.fit}: early stopping, model checkpoints (through {@link org.nabla.nn.callbacks.ModelSaver},
 * default {@link org.nabla.nn.callbacks.NpyWeightsSaver}), CSV logger, learning-rate scheduler, progress bar.
 */
package org.nabla.nn.callbacks;
