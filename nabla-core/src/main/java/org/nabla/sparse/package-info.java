/**
 * Sparse tensors in coordinate form ({@link org.nabla.sparse.SparseTensor}) and their operations
 * ({@link org.nabla.sparse.Sparse}, TensorFlow's {@code tf.sparse}): conversion to and from dense tensors, sums
 * with dense tensors, sparse-dense matrix products, reductions, reordering, slicing and concatenation, eager and in
 * graphs, with gradients for the values and dense operands. The ops are {@link org.nabla.sparse.SparseOps}.
 */
package org.nabla.sparse;
