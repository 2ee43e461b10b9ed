package org.nabla.kernels.cpu;

import org.nabla.kernels.KernelProvider;
import org.nabla.kernels.KernelRegistry;

/** CPU kernels for {@link org.nabla.ops.NnOps}. */
public final class CpuNnKernels implements KernelProvider {
    @Override
    public void registerKernels(KernelRegistry r) {
    }
}
