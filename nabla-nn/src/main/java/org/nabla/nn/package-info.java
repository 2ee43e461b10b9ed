/**
 * Keras-style neural networks on nabla-core: {@link org.nabla.nn.Layer} (weights are {@link org.nabla.Variable}s,
 * built lazily from the first input shape), {@link org.nabla.nn.Sequential} and functional models
 * ({@link org.nabla.nn.Input}, {@link org.nabla.nn.Model#functional}), {@code compile}/{@code fit}/{@code evaluate}/
 * {@code predict} with a traced training step, {@link org.nabla.nn.Batches} and {@link org.nabla.nn.History},
 * initializers, the CLI's {@link org.nabla.nn.ReferenceModels}, and the ops training adds
 * ({@link org.nabla.nn.TrainingOps}, {@link org.nabla.nn.PoolingOps}). Layers, losses, optimizers, metrics and
 * callbacks live in the subpackages. See docs/nn.md.
 */
package org.nabla.nn;
