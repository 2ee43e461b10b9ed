package org.nabla.autodiff;

import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * Gradients of {@link org.nabla.ops.StateOps} and of the differentiable source op Fill ({@link
 * org.nabla.ops.RandomOps}). A variable read has no inputs: the gradient stops at its output, where tapes and
 * {@code gradients(ys, xs)} pick it up as the variable's gradient.
 */
final class StateGradients {
    private StateGradients() {}

    static {
        GradientRegistry.register("ReadVariable", (c, g) -> new Tensor[0]);
        GradientRegistry.register("Fill", (c, g) -> new Tensor[] {Ops.sum(g[0])});
    }
}
