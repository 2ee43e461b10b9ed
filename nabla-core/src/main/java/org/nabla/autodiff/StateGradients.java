package org.nabla.autodiff;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.RandomOps;
import org.nabla.ops.StateOps;

/**
 * Gradients of {@link org.nabla.ops.StateOps} and of the differentiable source op Fill ({@link
 * org.nabla.ops.RandomOps}). A variable read has no inputs: the gradient stops at its output, where tapes and
 * {@code gradients(ys, xs)} pick it up as the variable's gradient.
 */
public final class StateGradients {
    private StateGradients() {}

    /** Registers these gradients. */
    public static void register(GradientRegistry gradients) {
        gradients.register(StateOps.READ_VARIABLE, (c, g) -> new Tensor[0]);
        gradients.register(RandomOps.FILL, (c, g) -> new Tensor[] {Ops.sum(g[0])});
    }
}
