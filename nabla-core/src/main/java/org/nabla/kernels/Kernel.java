package org.nabla.kernels;

import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.TensorSpec;

/**
 * The implementation of one op for one device type (and usually one dtype). It receives concrete inputs on its
 * device (dense, unless registered as accepting views), the resolved attributes and the inferred output specs, and
 * returns new output tensors. Kernels never modify their inputs.
 */
@FunctionalInterface
public interface Kernel {
    Tensor[] compute(Tensor[] inputs, Attrs attrs, TensorSpec[] outputs);
}
