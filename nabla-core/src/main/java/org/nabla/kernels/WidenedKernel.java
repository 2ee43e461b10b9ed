package org.nabla.kernels;

import java.util.Map;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.MathOps;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.HalfFloats;

/**
 * Runs an op's float32 kernel for float16 or bfloat16 operands, as TensorFlow's CPU kernels do where the hardware has
 * no 16-bit arithmetic: the 16-bit inputs are widened to float32 (exactly), the float32 kernel computes, and each
 * 16-bit output is rounded once back to the 16-bit dtype. The registry installs it for every op that has a float32
 * kernel and no kernel of its own for the 16-bit dtype, so no kernel is written twice; ops that read or write
 * variables are left out (a variable keeps the dtype it was made with).
 */
final class WidenedKernel implements Kernel {
    private final Kernel float32;
    private final DType half;

    WidenedKernel(Kernel float32, DType half) {
        this.float32 = float32;
        this.half = half;
    }

    @Override
    public Tensor[] compute(KernelContext ctx) {
        Tensor[] inputs = ctx.inputs().clone();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() == half) inputs[i] = convert(ctx, inputs[i], DType.FLOAT32);
        }
        TensorSpec[] specs = ctx.outputSpecs().clone();
        for (int i = 0; i < specs.length; i++) {
            if (specs[i].dtype() == half) specs[i] = new TensorSpec(DType.FLOAT32, specs[i].shape());
        }
        Attrs attrs = ctx.attrs();
        for (Map.Entry<String, Object> a : ctx.attrs().asMap().entrySet()) {
            if (a.getValue() == half) attrs = attrs.with(a.getKey(), DType.FLOAT32);
        }
        Tensor[] outputs = float32.compute(new DelegatingKernelContext(ctx, inputs, attrs, specs));
        for (int i = 0; i < outputs.length; i++) {
            if (i < specs.length && ctx.outputSpec(i).dtype() == half && outputs[i].dtype() == DType.FLOAT32) {
                outputs[i] = convert(ctx, outputs[i], half);
            }
        }
        return outputs;
    }

    /**
     * {@code x} converted to {@code to} (16-bit to float32, or back with rounding): directly for host memory, through
     * the device's Cast kernel elsewhere.
     */
    private static Tensor convert(KernelContext ctx, Tensor x, DType to) {
        if (!ctx.device().sharesHostMemory()) return ctx.call(MathOps.CAST, Attrs.of("dtype", to), x)[0];
        Tensor d = x.dense();
        int n = d.shape().intSize();
        if (to == DType.FLOAT32) {
            float[] wide = new float[n];
            HalfFloats.widen(x.dtype(), (short[]) d.data(), wide, 0, n);
            return Tensor.onDevice(DType.FLOAT32, d.shape(), ctx.device(), wide);
        }
        short[] narrow = (short[]) ctx.allocate(DType.Storage.SHORT, n);
        HalfFloats.narrow(to, (float[]) d.data(), narrow, 0, n);
        return Tensor.onDevice(to, d.shape(), ctx.device(), narrow);
    }
}
