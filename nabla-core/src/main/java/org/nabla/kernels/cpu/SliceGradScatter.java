package org.nabla.kernels.cpu;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.StridedSlicing;

/**
 * StridedSliceGrad for float32 and float64 without the adjoint's index map: the slice's rules
 * ({@link StridedSlicing}) give each gradient element's input position directly, so the gradient is written into
 * zeros shaped like the input. The general adjoint built an int map of the whole input ([batch, time, units] for a
 * recurrent layer's last output) and gathered it on every step. Each gradient element is added into its zero as
 * there (0 + g, so a -0 becomes +0 the same way), and a slice never maps two elements to one input position (a new
 * axis has size 1), so the bits are the adjoint's.
 */
final class SliceGradScatter {
    private SliceGradScatter() {}

    /** grad written into zeros shaped {@code like} where the strided slice {@code attrs} took it from. */
    static Tensor scatter(KernelContext ctx, Tensor grad, Shape like, Attrs attrs) {
        StridedSlicing s = StridedSlicing.of(like, attrs);
        int[] src = s.outputSource(), step = s.outputStep(), start = s.inputStart();
        int[] inStrides = like.contiguousStrides();
        int base = 0;
        for (int d = 0; d < start.length; d++) base += start[d] * inStrides[d];
        int rank = src.length;
        int[] dims = s.shape().dims(), jump = new int[rank];
        for (int k = 0; k < rank; k++) jump[k] = src[k] < 0 ? 0 : step[k] * inStrides[src[k]];
        int n = like.intSize(), count = s.shape().intSize();
        Tensor g = grad.dense();
        boolean f32 = grad.dtype() == DType.FLOAT32;
        Object z = ctx.allocate(f32 ? DType.Storage.FLOAT : DType.Storage.DOUBLE, n);
        if (f32) Arrays.fill((float[]) z, 0f);
        else Arrays.fill((double[]) z, 0d);
        if (count > 0) {
            Object gd = g.data();
            int inner = rank == 0 ? 1 : dims[rank - 1], innerJump = rank == 0 ? 0 : jump[rank - 1];
            int[] at = new int[rank];
            int from = g.offset(), to = base;
            for (int done = 0; done < count; done += inner) {
                if (f32) addRow((float[]) gd, from, (float[]) z, to, innerJump, inner);
                else addRow((double[]) gd, from, (double[]) z, to, innerJump, inner);
                from += inner;
                // the odometer over the outer output axes: the next row's input position
                for (int k = rank - 2; k >= 0; k--) {
                    to += jump[k];
                    if (++at[k] < dims[k]) break;
                    to -= jump[k] * dims[k];
                    at[k] = 0;
                }
            }
        }
        return Tensor.wrap(grad.dtype(), like, z);
    }

    private static void addRow(float[] g, int from, float[] z, int to, int jump, int n) {
        for (int i = 0; i < n; i++) z[to + i * jump] += g[from + i];
    }

    private static void addRow(double[] g, int from, double[] z, int to, int jump, int n) {
        for (int i = 0; i < n; i++) z[to + i * jump] += g[from + i];
    }
}
