package org.nabla.nn;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.cpu.Parallel;

/**
 * The kernel of {@code MaxPoolBiasReluGrad(grad, argmax, pooled, like)}: BiasReluGrad(ArgmaxScatter(grad, argmax,
 * like), like) in one pass over the pooled tensors. The ReLU mask at a window's maximum is {@code pooled > 0} (the
 * pooled value is that input element), and every other input element gets no gradient from the pooling, so neither
 * the full-size gradient nor the activation is read; dBias sums the pooled gradients that pass the mask. Images go in
 * a fixed number of chunks, each zeroing and scattering its own images and summing its own bias partial; the
 * partials are added in chunk order, so results do not depend on the thread count. Registered as taking views, so
 * that a shape-only {@code like} is not copied out; the other inputs are made dense here.
 */
final class MaxPoolReluGrad {
    private MaxPoolReluGrad() {}

    private static final int CHUNKS = 8;

    static Tensor[] run(KernelContext ctx) {
        Tensor grad = ctx.input(0).dense(), pooled = ctx.input(2).dense();
        int[] at = (int[]) ctx.input(1).dense().data();
        Shape like = ctx.input(3).shape(); // only its shape: it may be FusedConv2DMaxPoolArgmax's shape-only view
        int n = like.dim(0), c = like.dim(-1), size = like.intSize(), image = n == 0 ? 0 : size / n;
        int per = n == 0 ? 0 : at.length / n;
        boolean f32 = grad.dtype() == DType.FLOAT32;
        Object dx = ctx.allocate(grad.dtype().storage(), size); // recycled: each chunk zeroes its images
        Object g = grad.data(), p = pooled.data();
        double[][] partial = new double[CHUNKS][c];
        Parallel.forRange(CHUNKS, 1, (from, to) -> {
            for (int k = from; k < to; k++) {
                int b0 = (int) ((long) n * k / CHUNKS), b1 = (int) ((long) n * (k + 1) / CHUNKS);
                double[] db = partial[k];
                if (f32) {
                    float[] d = (float[]) dx, gf = (float[]) g, pf = (float[]) p;
                    java.util.Arrays.fill(d, b0 * image, b1 * image, 0f);
                    for (int i = b0 * per, ch = 0; i < b1 * per; i++, ch = ch + 1 == c ? 0 : ch + 1) {
                        if (pf[i] > 0) {
                            d[at[i]] += gf[i];
                            db[ch] += gf[i];
                        }
                    }
                } else {
                    double[] d = (double[]) dx, gd = (double[]) g, pd = (double[]) p;
                    java.util.Arrays.fill(d, b0 * image, b1 * image, 0.0);
                    for (int i = b0 * per, ch = 0; i < b1 * per; i++, ch = ch + 1 == c ? 0 : ch + 1) {
                        if (pd[i] > 0) {
                            d[at[i]] += gd[i];
                            db[ch] += gd[i];
                        }
                    }
                }
            }
        });
        double[] sum = new double[c];
        for (double[] part : partial) for (int j = 0; j < c; j++) sum[j] += part[j];
        Object bias;
        if (f32) {
            float[] b = new float[c];
            for (int j = 0; j < c; j++) b[j] = (float) sum[j];
            bias = b;
        } else {
            bias = sum;
        }
        return new Tensor[] {Tensor.wrap(grad.dtype(), like, dx), Tensor.wrap(grad.dtype(), Shape.of(c), bias)};
    }
}
