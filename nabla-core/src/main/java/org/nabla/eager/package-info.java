/**
 * Execution contexts: where op calls go. {@code ExecutionContext} is the interface and the per-thread stack
 * ({@code Contexts}); {@code EagerContext}, the bottom of every stack, runs kernels at once (under the innermost open
 * {@code TensorScope}). Graph building and tracing ({@code org.nabla.graph.GraphContext}) and gradient tapes
 * ({@code org.nabla.autodiff.GradientTape}) implement the interface in their own packages.
 */
package org.nabla.eager;
