package org.nabla.kernels.cpu;

import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelProvider;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.ArrayOps;

/** CPU kernels for {@link ArrayOps}. Layout-only ops return views that share the input's array. */
public final class CpuArrayKernels implements KernelProvider {
    @Override
    public void registerKernels(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(ArrayOps.RESHAPE, cpu, null, (in, attrs, out) -> {
            Tensor x = in[0].isDense() ? in[0] : in[0].dense();
            return new Tensor[] {Tensor.view(x, out[0].shape(), x.offset(), out[0].shape().contiguousStrides())};
        }, true);
        r.register(ArrayOps.TRANSPOSE, cpu, null, (in, attrs, out) -> {
            Tensor x = in[0];
            int[] perm = attrs.getInts("perm");
            int[] strides = x.strides();
            int[] s = new int[perm.length];
            for (int i = 0; i < perm.length; i++) s[i] = strides[perm[i] < 0 ? perm[i] + perm.length : perm[i]];
            Shape shape = out[0].shape();
            return new Tensor[] {Tensor.view(x, shape, x.offset(), s)};
        }, true);
    }
}
