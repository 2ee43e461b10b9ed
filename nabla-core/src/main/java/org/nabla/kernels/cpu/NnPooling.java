package org.nabla.kernels.cpu;

import org.nabla.kernels.KernelContext;
import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.NnOps;
import org.nabla.ops.TensorSpec;

/**
 * MaxPool2D and AvgPool2D on NHWC data (NCHW is transposed there and back). Each output pixel reduces its window's
 * valid positions channel-vector by channel-vector; padding never contributes: max ignores it and the average
 * divides by the number of valid positions, as TensorFlow does. Output rows run in parallel.
 */
final class NnPooling {
    private NnPooling() {}

    static Tensor[] pool(KernelContext ctx, boolean max) {
        Tensor input = ctx.input(0);
        Attrs a = ctx.attrs();
        TensorSpec out = ctx.outputSpec(0);
        String op = max ? "MaxPool2D" : "AvgPool2D";
        boolean nchw = NnOps.dataFormat(op, a).equals("NCHW");
        NnOps.Window2D w = NnOps.poolWindow(op, input.shape(), a);
        Tensor x = nchw ? NnConvolution.toNhwc(input) : input;
        int n = x.shape().dim(0), h = x.shape().dim(1), wd = x.shape().dim(2), c = x.shape().dim(3);
        int oh = w.outH(), ow = w.outW();
        Shape nhwc = Shape.of(n, oh, ow, c);
        int rows = n * oh;
        int grain = Math.max(1, CpuNnKernels.GRAIN / Math.max(1, ow * c * w.kH() * w.kW()));
        Tensor y;
        if (x.dtype() == DType.FLOAT32) {
            float[] src = (float[]) x.data();
            float[] dst = ctx.allocateFloats(nhwc.intSize()); // each output is filled, then accumulated
            Parallel.forRange(rows, grain, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int b = r / oh, i = r % oh;
                    int h0 = Math.max(0, i * w.strideH() - w.padTop());
                    int h1 = Math.min(h, i * w.strideH() - w.padTop() + w.kH());
                    for (int j = 0; j < ow; j++) {
                        int w0 = Math.max(0, j * w.strideW() - w.padLeft());
                        int w1 = Math.min(wd, j * w.strideW() - w.padLeft() + w.kW());
                        int o = ((b * oh + i) * ow + j) * c;
                        Arrays.fill(dst, o, o + c, max ? Float.NEGATIVE_INFINITY : 0f);
                        for (int ih = h0; ih < h1; ih++) {
                            for (int iw = w0; iw < w1; iw++) {
                                int s = ((b * h + ih) * wd + iw) * c;
                                if (max) {
                                    for (int ch = 0; ch < c; ch++) dst[o + ch] = Math.max(dst[o + ch], src[s + ch]);
                                } else {
                                    for (int ch = 0; ch < c; ch++) dst[o + ch] += src[s + ch];
                                }
                            }
                        }
                        if (!max) {
                            float count = (h1 - h0) * (w1 - w0);
                            for (int ch = 0; ch < c; ch++) dst[o + ch] /= count;
                        }
                    }
                }
            });
            y = Tensor.wrap(DType.FLOAT32, nhwc, dst);
        } else {
            double[] src = (double[]) x.data();
            double[] dst = new double[nhwc.intSize()];
            Parallel.forRange(rows, grain, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int b = r / oh, i = r % oh;
                    int h0 = Math.max(0, i * w.strideH() - w.padTop());
                    int h1 = Math.min(h, i * w.strideH() - w.padTop() + w.kH());
                    for (int j = 0; j < ow; j++) {
                        int w0 = Math.max(0, j * w.strideW() - w.padLeft());
                        int w1 = Math.min(wd, j * w.strideW() - w.padLeft() + w.kW());
                        int o = ((b * oh + i) * ow + j) * c;
                        Arrays.fill(dst, o, o + c, max ? Double.NEGATIVE_INFINITY : 0);
                        for (int ih = h0; ih < h1; ih++) {
                            for (int iw = w0; iw < w1; iw++) {
                                int s = ((b * h + ih) * wd + iw) * c;
                                if (max) {
                                    for (int ch = 0; ch < c; ch++) dst[o + ch] = Math.max(dst[o + ch], src[s + ch]);
                                } else {
                                    for (int ch = 0; ch < c; ch++) dst[o + ch] += src[s + ch];
                                }
                            }
                        }
                        if (!max) {
                            double count = (h1 - h0) * (w1 - w0);
                            for (int ch = 0; ch < c; ch++) dst[o + ch] /= count;
                        }
                    }
                }
            });
            y = Tensor.wrap(DType.FLOAT64, nhwc, dst);
        }
        return new Tensor[] {nchw ? NnConvolution.toNchw(y) : y};
    }
}
