/**
 * Ragged tensors ({@link org.nabla.ragged.RaggedTensor}, TensorFlow's {@code tf.RaggedTensor} with one ragged
 * dimension): rows of different lengths stored as flat values and row splits, with row reductions, padding,
 * element-wise maps, gathering, concatenation and boolean masks; the ops are {@link org.nabla.ragged.RaggedOps}.
 */
package org.nabla.ragged;
