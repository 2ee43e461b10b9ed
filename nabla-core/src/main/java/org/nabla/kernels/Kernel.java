package org.nabla.kernels;

import org.nabla.Tensor;

/**
 * The implementation of one op for one device type (and usually one dtype). It reads its inputs, attributes and
 * output specs from the {@link KernelContext}, takes result memory from it, and returns new output tensors. Kernels
 * never modify their inputs.
 */
@FunctionalInterface
public interface Kernel {
    Tensor[] compute(KernelContext context);
}
