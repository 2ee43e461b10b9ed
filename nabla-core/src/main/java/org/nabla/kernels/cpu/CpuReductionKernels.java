package org.nabla.kernels.cpu;

import org.nabla.kernels.KernelProvider;
import org.nabla.kernels.KernelRegistry;

/** CPU kernels for {@link org.nabla.ops.ReductionOps}. */
public final class CpuReductionKernels implements KernelProvider {
    @Override
    public void registerKernels(KernelRegistry r) {
    }
}
