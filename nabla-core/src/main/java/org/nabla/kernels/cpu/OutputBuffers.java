package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.TensorScope;

/**
 * Result buffers for kernels that write every element: inside a {@link TensorScope} they may be recycled buffers
 * (contents undefined, still warm in the caches), otherwise new arrays. Kernels that rely on zero-filled memory
 * (accumulating sums, scatters) must keep allocating with {@code new}.
 */
public final class OutputBuffers {
    private OutputBuffers() {}

    public static float[] floats(int n) { return (float[]) TensorScope.takeBuffer(DType.Storage.FLOAT, n); }

    public static double[] doubles(int n) { return (double[]) TensorScope.takeBuffer(DType.Storage.DOUBLE, n); }

    /** True when buffers taken now may be recycled ones (an eager op inside a {@link TensorScope}). */
    public static boolean recycling() { return TensorScope.recycling(); }

    /** A buffer of any storage type; see the class comment. */
    public static Object of(DType.Storage storage, int n) { return TensorScope.takeBuffer(storage, n); }
}
