/**
 * Automatic differentiation: gradient functions registered by op name ({@code GradientRegistry}, one rules class per
 * op family: MathGradients, LinalgGradients, ReductionGradients, ArrayGradients, NnGradients, StateGradients,
 * GradOpGradients), one reverse walk ({@code Backprop}) behind both symbolic {@code Gradients.gradients(ys, xs)} in
 * graphs and the eager {@code GradientTape}, custom gradients, and the finite-difference {@code GradientChecker}.
 */
package org.nabla.autodiff;
