package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.FusedOps;
import org.nabla.ops.NnGradOps;
import org.nabla.ops.OpRegistry;

/**
 * CPU kernel of {@link FusedOps#FUSED_POOL_RELU_FILTER_GRAD}: the scattered gradient dY of a ReLU layer followed by
 * max pooling is made one image at a time into a buffer (zeros, then each pooled gradient whose maximum is positive
 * added at its argmax, as MaxPoolBiasReluGrad does) which {@link ImplicitConvFilterGrad} reads while it is in cache:
 * the full dY (11 MB for the reference cnn's first layer) is never written nor read back. dBias sums each image's
 * pooled gradients, then the images in order, so it does not depend on the thread count. Elsewhere (float64,
 * groups, column dilation, OC not a multiple of the register tile) it runs the two ops' kernels.
 */
final class PoolReluFilterGrad {
    private PoolReluFilterGrad() {}

    static Tensor[] compute(KernelContext ctx) {
        Tensor x = ctx.input(0).dense(), filter = ctx.input(1), grad = ctx.input(2).dense();
        Tensor argmax = ctx.input(3).dense(), pooled = ctx.input(4).dense();
        Attrs a = ctx.attrs();
        Shape dyShape = ctx.outputSpec(2).shape();
        Tensor stand = Tensor.view(Tensor.wrap(DType.FLOAT32, Shape.of(1), new float[1]), dyShape, 0,
                new int[dyShape.rank()]);
        CpuNnGradKernels.Geometry s = CpuNnGradKernels.Geometry.of(x.shape(), filter.shape(), a);
        int n = s.n(), oc = s.oc(), per = n == 0 ? 0 : (int) (argmax.size() / n), image = s.outHW() * oc;
        if (s.nchw() || n == 0 || image == 0 || !NnConvolution.implicit()
                || !ImplicitConvFilterGrad.supports(s.w(), s.groups(), oc)) {
            Tensor[] dy = ctx.call(OpRegistry.get("MaxPoolBiasReluGrad"), Attrs.EMPTY, grad, argmax, pooled, stand);
            Tensor df = ctx.call(NnGradOps.CONV2D_BACKPROP_FILTER, FusedOps.convAttrs(a), x, filter, dy[0])[0];
            return new Tensor[] {df, dy[1], stand};
        }
        float[] g = (float[]) grad.data(), p = (float[]) pooled.data();
        int[] at = (int[]) argmax.data();
        double[] perImage = new double[n * oc];
        float[] df = ImplicitConvFilterGrad.backpropFilterByImage((float[]) x.data(), n, s.h(), s.wd(), s.c(), s.w(), oc,
                (b, dy) -> {
                    java.util.Arrays.fill(dy, 0f);
                    int origin = b * image, db = b * oc;
                    for (int i = b * per, ch = 0; i < (b + 1) * per; i++, ch = ch + 1 == oc ? 0 : ch + 1) {
                        // -0 where masked: adding it changes no value, not even a zero's sign (MaxPoolReluGrad
                        // skips those elements); no branch taken at random by half the elements
                        float v = p[i] > 0 ? g[i] : -0f;
                        dy[at[i] - origin] += v;
                        perImage[db + ch] += v;
                    }
                });
        float[] bias = new float[oc];
        for (int j = 0; j < oc; j++) {
            double sum = 0;
            for (int b = 0; b < n; b++) sum += perImage[b * oc + j];
            bias[j] = (float) sum;
        }
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, filter.shape(), df), Tensor.wrap(DType.FLOAT32, Shape.of(oc),
                bias), stand};
    }
}
