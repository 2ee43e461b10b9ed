/**
 * The client API: {@link org.nabla.Tensor}, {@link org.nabla.DType}, {@link org.nabla.Shape}, the
 * {@link org.nabla.Ops} front door and {@link org.nabla.Tensors} for making tensors from Java values.
 */
package org.nabla;
