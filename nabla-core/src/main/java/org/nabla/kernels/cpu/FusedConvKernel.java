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

    static Tensor[] compute(KernelContext ctx) {
        Tensor x = ctx.input(0), filter = ctx.input(1);
        float[] bias = (float[]) ctx.input(2).dense().data();
        Attrs a = ctx.attrs();
        boolean relu = a.getString("activation").equals("RELU");
        int pool = a.getInt("maxPool");
        NnOps.Window2D w = NnOps.conv2dWindow(x.shape(), filter.shape(), a);
        int n = x.shape().dim(0), h = x.shape().dim(1), wd = x.shape().dim(2), c = x.shape().dim(3);
        int oc = filter.shape().dim(3);
        float[] y = ctx.allocateFloats(ctx.outputSpec(0).shape().intSize());
        boolean implicit = NnConvolution.implicit() && ImplicitConv.supports(w, a.getInt("groups"));
        if (implicit && pool > 1) {
            ImplicitConvMaxPool.forward((float[]) x.dense().data(), n, h, wd, c, w, (float[]) filter.dense().data(),
                    oc, bias, relu, pool, y);
        } else if (implicit) {
            ImplicitConv.forward((float[]) x.dense().data(), n, h, wd, c, w, (float[]) filter.dense().data(), oc,
                    bias, relu, y);
        } else {
            float[] conv = (float[]) ctx.call(NnOps.CONV2D, FusedOps.convAttrs(a), x, filter)[0].dense().data();
            float[] act = pool > 1 ? new float[conv.length] : y;
            Parallel.forRange(oc == 0 ? 0 : act.length / oc, Math.max(1, (1 << 15) / Math.max(1, oc)), (from, to) -> {
                for (int i = from * oc; i < to * oc; i++) {
                    float v = conv[i] + bias[i % oc];
                    act[i] = relu ? Math.max(v, 0f) : v;
                }
            });
            if (pool > 1) {
                Shape convShape = Shape.of(n, w.outH(), w.outW(), oc);
                Attrs poolAttrs = Attrs.of("ksize", new int[] {pool, pool}, "strides",
                        new int[] {pool, pool}, "padding", "VALID", "dataFormat", "NHWC");
                float[] pooled = (float[]) ctx.call(NnOps.MAX_POOL2D, poolAttrs,
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
        Tensor x = ctx.input(0), filter = ctx.input(1);
        float[] bias = (float[]) ctx.input(2).dense().data();
        Attrs a = ctx.attrs();
        boolean relu = a.getString("activation").equals("RELU");
        int pool = a.getInt("maxPool");
        NnOps.Window2D w = NnOps.conv2dWindow(x.shape(), filter.shape(), a);
        int n = x.shape().dim(0), h = x.shape().dim(1), wd = x.shape().dim(2), c = x.shape().dim(3);
        int oc = filter.shape().dim(3);
        Shape pooledShape = ctx.outputSpec(0).shape(), activation = ctx.outputSpec(2).shape();
        Tensor stand = Tensor.view(Tensor.wrap(DType.FLOAT32, Shape.of(1), new float[1]), activation, 0,
                new int[activation.rank()]);
        if (NnConvolution.implicit() && ImplicitConv.supports(w, a.getInt("groups"))) {
            float[] y = ctx.allocateFloats(pooledShape.intSize());
            int[] at = (int[]) ctx.allocate(DType.INT32.storage(), pooledShape.intSize()); // all written
            ImplicitConvMaxPool.forward((float[]) x.dense().data(), n, h, wd, c, w, (float[]) filter.dense().data(),
                    oc, bias, relu, pool, y, at);
            return new Tensor[] {Tensor.wrap(DType.FLOAT32, pooledShape, y), Tensor.wrap(DType.INT32, pooledShape, at),
                    stand};
        }
        Tensor act = ctx.call(FusedOps.FUSED_CONV2D, a.with("maxPool", 1), x, ctx.input(1), ctx.input(2))[0];
        Attrs poolAttrs = Attrs.of("ksize", new int[] {pool, pool}, "strides", new int[] {pool, pool}, "padding",
                "VALID", "dataFormat", "NHWC");
        Tensor[] pooled = ctx.call(OpRegistry.get("MaxPoolWithArgmax"), poolAttrs, act);
        return new Tensor[] {pooled[0], pooled[1], stand};
    }
}
