/**
 * Hooks into {@code Model.fit}: early stopping, model checkpoints (through {@link org.nabla.nn.callbacks.ModelSaver},
 * default {@link org.nabla.nn.callbacks.NpyWeightsSaver}), CSV logger, learning-rate scheduler, progress bar,
 * TensorBoard logs ({@link org.nabla.nn.callbacks.TensorBoard}).
 */
package org.nabla.nn.callbacks;
