package org.nabla.kernels;

/**
 * A set of kernels contributed by a device module, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.nabla.kernels.KernelProvider}).
 */
public interface KernelProvider {
    void registerKernels(KernelRegistry registry);
}
