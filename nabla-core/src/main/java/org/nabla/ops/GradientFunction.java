package org.nabla.ops;

import org.nabla.Tensor;

/**
 * The gradient of one op, written with ordinary op calls so it works eagerly, in graphs, and can itself be
 * differentiated. Given the forward call and the gradients of its outputs, it returns one gradient per input
 * (null for an input that gets none, such as integer indices).
 */
@FunctionalInterface
public interface GradientFunction {
    /**
     * @param call the forward call: op, attributes, inputs and outputs (symbolic in graph mode)
     * @param outputGrads one gradient per output; null for an output no gradient reached (multi-output ops
     *     must handle it; single-output rules are only called with a gradient)
     */
    Tensor[] apply(OpCall call, Tensor[] outputGrads);
}
