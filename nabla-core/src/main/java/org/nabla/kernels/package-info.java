/** Kernels: per (op, device type, dtype) implementations, registered by device modules through ServiceLoader. */
package org.nabla.kernels;
