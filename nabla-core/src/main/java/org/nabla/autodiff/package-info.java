/**
 * Automatic differentiation. Gradient functions ({@code org.nabla.ops.GradientFunction}: the forward {@code OpCall}
 * and its output gradients in, one gradient per input out, written with ordinary op calls so they differentiate
 * again) are registered per op in {@code org.nabla.ops.GradientRegistry}; the core rules live here, one rules class
 * per op family mirroring the catalog, each with a {@code register(GradientRegistry)} method: MathGradients,
 * LinalgGradients, ReductionGradients, ArrayGradients, NnGradients (also the NnGradOps backward ops), StateGradients,
 * GradOpGradients and ControlFlowGradients (Cond, Case and While, by replaying their sub-graphs), called by
 * nabla-core's op library ({@code org.nabla.library.CoreLibrary}); ops without a gradient are marked not
 * differentiable in their OpDef. One reverse walk ({@code Backprop}) serves both symbolic
 * {@code Gradients.gradients(ys, xs)} in graphs and the eager {@code GradientTape} (an execution context that records
 * op calls); {@code Gradients.customGradient} gives a function its own gradient, and {@code GradientChecker} compares
 * gradients with float64 finite differences, first and second order.
 */
package org.nabla.autodiff;
