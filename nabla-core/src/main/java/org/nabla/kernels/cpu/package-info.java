/**
 * The pure-Java CPU kernels: one provider class per op family (CpuMathKernels...), vectorized with the Vector API and
 * split across cores with {@link org.nabla.kernels.cpu.Parallel} when the work is large.
 */
package org.nabla.kernels.cpu;
