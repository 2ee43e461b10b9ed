package org.nabla.autodiff;

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
     * @param outputGrads one gradient per output; an output nothing depends on gets zeros of its shape
     */
    Tensor[] apply(OpCall call, Tensor[] outputGrads);
}
