package org.nabla.ops;

/**
 * An op's dtype and shape inference: from the input specs and attributes to the output specs. The one function used
 * by eager calls, graph building and tracing; it throws {@link OpException} naming the op and the rule that failed.
 * Unknown dimensions (-1) in the inputs must be accepted and propagated where the rule allows.
 */
@FunctionalInterface
public interface ShapeFn {
    TensorSpec[] infer(TensorSpec[] inputs, Attrs attrs);
}
