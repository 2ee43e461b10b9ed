package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.FusedOps;

/**
 * CPU kernel of {@link FusedOps#FUSED_MAT_MUL_PAIR}: {@link GemmPair}, into a buffer from the context (the executor's
 * pool when it recycles buffers). The hidden layer's activations live only in each thread's small buffer.
 */
final class FusedMatMulPairKernel {
    private FusedMatMulPairKernel() {}

    static Tensor[] compute(KernelContext ctx) {
        Attrs attrs = ctx.attrs();
        boolean ta = attrs.getBool("transposeA");
        Tensor a = ctx.input(0).dense(), b1 = ctx.input(1).dense(), bias1 = ctx.input(2).dense();
        Tensor b2 = ctx.input(3).dense(), bias2 = ctx.input(4).dense();
        Shape out = ctx.outputSpec(0).shape();
        int m = out.dim(0), n2 = out.dim(1), k = a.shape().dim(ta ? 0 : 1);
        int n1 = bias1.shape().dim(0);
        float[] c = ctx.allocateFloats(out.intSize());
        GemmPair.run(ta, m, k, (float[]) a.data(), a.shape().dim(1), b1, attrs.getBool("transposeB1"), n1,
                (float[]) bias1.data(), relu(attrs, "activation1"), b2, attrs.getBool("transposeB2"), n2,
                (float[]) bias2.data(), relu(attrs, "activation2"), c);
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, out, c)};
    }

    private static boolean relu(Attrs attrs, String name) { return attrs.getString(name).equals("RELU"); }
}
