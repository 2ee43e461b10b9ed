package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.FusedOps;

/**
 * CPU kernel of {@link FusedOps#FUSED_MAT_MUL}: one {@link Gemm#sgemmBias} whose epilogue adds the bias (and applies
 * the ReLU) to each C tile as it is finished, into a buffer from the context (the executor's pool when it recycles
 * buffers): C is written once, where MatMul + BiasRelu allocated, wrote and re-read it.
 */
final class FusedMatMulKernel {
    private FusedMatMulKernel() {}

    static Tensor[] compute(KernelContext ctx) {
        Attrs attrs = ctx.attrs();
        boolean ta = attrs.getBool("transposeA"), tb = attrs.getBool("transposeB");
        boolean relu = attrs.getString("activation").equals("RELU");
        Tensor a = ctx.input(0).dense(), b = ctx.input(1).dense(), bias = ctx.input(2).dense();
        Shape out = ctx.outputSpec(0).shape();
        int m = out.dim(0), n = out.dim(1), k = a.shape().dim(ta ? 0 : 1);
        float[] c = ctx.allocateFloats(out.intSize());
        Gemm.sgemmBias(ta, tb, m, n, k, (float[]) a.data(), 0, a.shape().dim(1), (float[]) b.data(), 0,
                b.shape().dim(1), (float[]) bias.data(), 0, relu, c, 0, n, b);
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, out, c)};
    }
}
