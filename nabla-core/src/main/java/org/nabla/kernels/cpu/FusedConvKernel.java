package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.FusedOps;
import org.nabla.ops.NnOps;
import org.nabla.ops.OpRegistry;

/**
 * CPU kernel of {@link FusedOps#FUSED_CONV2D}: {@link ImplicitConv} with its bias + ReLU epilogue where it applies,
 * else Conv2D's kernel followed by one pass adding the bias (and ReLU), with the same float32 arithmetic as the
 * BiasAdd / BiasRelu kernels it replaces. With {@code maxPool} above 1 the pooled path is {@link ImplicitConvMaxPool}
 * (else MaxPool2D's kernel on the activation).
 */
final class FusedConvKernel {
    private FusedConvKernel() {}

    /** A fused convolution's operands and attributes, as both kernels read them. */
    private record Call(Tensor x, Tensor filter, float[] bias, Attrs attrs, boolean relu, int pool, NnOps.Window2D w,
                        int n, int h, int wd, int c, int oc) {
        static Call of(KernelContext ctx) {
            Tensor x = ctx.input(0), filter = ctx.input(1);
            Attrs a = ctx.attrs();
            return new Call(x, filter, (float[]) ctx.input(2).dense().data(), a,
                    a.getString("activation").equals("RELU"), a.getInt("maxPool"),
                    NnOps.conv2dWindow(x.shape(), filter.shape(), a), x.shape().dim(0), x.shape().dim(1),
                    x.shape().dim(2), x.shape().dim(3), filter.shape().dim(3));
        }

        /** Whether the implicit (no patch matrix) kernels take this convolution. */
        boolean implicit() { return NnConvolution.implicit() && ImplicitConv.supports(w, attrs.getInt("groups")); }

        float[] input() { return (float[]) x.dense().data(); }

        float[] filterData() { return (float[]) filter.dense().data(); }

        /** MaxPool2D's attributes for the fused pool: pool x pool windows at stride pool, VALID. */
        Attrs poolAttrs() {
            return Attrs.of("ksize", new int[] {pool, pool}, "strides", new int[] {pool, pool}, "padding", "VALID",
                    "dataFormat", "NHWC");
        }
    }

    static Tensor[] compute(KernelContext ctx) {
        Call k = Call.of(ctx);
        Attrs a = k.attrs();
        boolean relu = k.relu();
        int pool = k.pool(), n = k.n(), oc = k.oc();
        NnOps.Window2D w = k.w();
        float[] bias = k.bias();
        float[] y = ctx.allocateFloats(ctx.outputSpec(0).shape().intSize());
        if (k.implicit() && pool > 1) {
            ImplicitConvMaxPool.forward(k.input(), n, k.h(), k.wd(), k.c(), w, k.filterData(), oc, bias, relu, pool, y);
        } else if (k.implicit()) {
            ImplicitConv.forward(k.input(), n, k.h(), k.wd(), k.c(), w, k.filterData(), oc, bias, relu, y);
        } else {
            float[] conv = (float[]) ctx.call(NnOps.CONV2D, FusedOps.convAttrs(a), k.x(), k.filter())[0].dense()
                    .data();
            float[] act = pool > 1 ? new float[conv.length] : y;
            Parallel.forRange(oc == 0 ? 0 : act.length / oc, Math.max(1, (1 << 15) / Math.max(1, oc)), (from, to) -> {
                for (int i = from * oc; i < to * oc; i++) {
                    float v = conv[i] + bias[i % oc];
                    act[i] = relu ? Math.max(v, 0f) : v;
                }
            });
            if (pool > 1) {
                Shape convShape = Shape.of(n, w.outH(), w.outW(), oc);
                float[] pooled = (float[]) ctx.call(NnOps.MAX_POOL2D, k.poolAttrs(),
                        Tensor.wrap(DType.FLOAT32, convShape, act))[0].dense().data();
                System.arraycopy(pooled, 0, y, 0, y.length);
            }
        }
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, ctx.outputSpec(0).shape(), y)};
    }

    /**
     * {@link FusedOps#FUSED_CONV2D_MAX_POOL_ARGMAX}: {@link ImplicitConvMaxPool} with argmax where it applies, else
     * FusedConv2D's kernel and MaxPoolWithArgmax's (nabla-nn's op: the graph that was fused held it). The third output
     * is a shape-only stand-in: a view of one zero with all strides 0.
     */
    static Tensor[] computeWithArgmax(KernelContext ctx) {
        Call k = Call.of(ctx);
        Shape pooledShape = ctx.outputSpec(0).shape(), activation = ctx.outputSpec(2).shape();
        Tensor stand = Tensor.view(Tensor.wrap(DType.FLOAT32, Shape.of(1), new float[1]), activation, 0,
                new int[activation.rank()]);
        if (k.implicit()) {
            float[] y = ctx.allocateFloats(pooledShape.intSize());
            int[] at = (int[]) ctx.allocate(DType.INT32.storage(), pooledShape.intSize()); // all written
            ImplicitConvMaxPool.forward(k.input(), k.n(), k.h(), k.wd(), k.c(), k.w(), k.filterData(), k.oc(),
                    k.bias(), k.relu(), k.pool(), y, at);
            return new Tensor[] {Tensor.wrap(DType.FLOAT32, pooledShape, y), Tensor.wrap(DType.INT32, pooledShape, at),
                    stand};
        }
        Tensor act = ctx.call(FusedOps.FUSED_CONV2D, k.attrs().with("maxPool", 1), k.x(), k.filter(), ctx.input(2))[0];
        Tensor[] pooled = ctx.call(OpRegistry.get("MaxPoolWithArgmax"), k.poolAttrs(), act);
        return new Tensor[] {pooled[0], pooled[1], stand};
    }
}
