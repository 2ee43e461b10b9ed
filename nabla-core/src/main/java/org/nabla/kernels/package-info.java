/**
 * Kernels: per (op, device type, dtype) implementations in {@link org.nabla.kernels.KernelRegistry}, and the one
 * registration interface, {@link org.nabla.kernels.OpLibrary}: every module (nabla-core, nabla-nn, a device module)
 * contributes its ops, gradients and kernels through it, found by {@link java.util.ServiceLoader} and loaded once by
 * {@link org.nabla.kernels.OpLibraries}.
 */
package org.nabla.kernels;
