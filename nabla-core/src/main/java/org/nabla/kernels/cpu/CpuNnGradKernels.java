package org.nabla.kernels.cpu;

import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.Attrs;
import org.nabla.ops.NnGradOps;
import org.nabla.ops.NnOps;
import org.nabla.storage.Strided;

/**
 * CPU kernels for {@link NnGradOps}. The convolution backprops reuse the forward's im2col layout and go through
 * {@link Gemm}: the input gradient is (grad [M, OC]) x (filter [K, OC])^T scattered back by col2im (one image per
 * task, so tasks never write the same pixel), and the filter gradient is the sum over tiles of patches^T x grad (one
 * partial sum per task, added at the end). NCHW is transposed to NHWC and back, as in the forward. The pooling
 * gradients are {@link NnPooling}'s.
 */
public final class CpuNnGradKernels {
    private CpuNnGradKernels() {}

    private static final int TILE_ELEMENTS = 1 << 16;
    /**
     * float32 input gradients go through {@link ImplicitConvInputGrad} where it applies; -Dnabla.conv.transposed=false
     * keeps the full convolution through the forward kernel or im2col (comparisons).
     */
    private static final boolean TRANSPOSED_INPUT_GRAD =
            !"false".equals(System.getProperty("nabla.conv.transposed"));

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(NnGradOps.RELU_GRAD, cpu, DType.FLOAT32, ctx -> {
            float[] g = (float[]) ctx.input(0).data(), y = (float[]) ctx.input(1).data();
            float[] z = ctx.allocateFloats(g.length);
            Parallel.forRange(g.length, CpuNnKernels.GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) z[i] = y[i] > 0 ? g[i] : 0f;
            });
            return new Tensor[] {Tensor.wrap(DType.FLOAT32, ctx.input(0).shape(), z)};
        });
        r.register(NnGradOps.RELU_GRAD, cpu, DType.FLOAT64, ctx -> {
            double[] g = (double[]) ctx.input(0).data(), y = (double[]) ctx.input(1).data(), z = new double[g.length];
            Parallel.forRange(g.length, CpuNnKernels.GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) z[i] = y[i] > 0 ? g[i] : 0;
            });
            return new Tensor[] {Tensor.wrap(DType.FLOAT64, ctx.input(0).shape(), z)};
        });
        for (DType d : List.of(DType.FLOAT32, DType.FLOAT64)) {
            r.register(NnGradOps.CONV2D_BACKPROP_INPUT, cpu, d, ctx -> new Tensor[] {
                    backpropInput(ctx, ctx.input(0).shape(), ctx.input(1), ctx.input(2), ctx.attrs())});
            r.register(NnGradOps.CONV2D_BACKPROP_FILTER, cpu, d, ctx -> new Tensor[] {
                    backpropFilter(ctx.input(0), ctx.input(1).shape(), ctx.input(2), ctx.attrs())});
            r.register(NnGradOps.MAX_POOL2D_GRAD, cpu, d, NnPooling::maxPool2dGrad);
            r.register(NnGradOps.MAX_POOL2D_GRAD_GRAD, cpu, d, NnPooling::maxPool2dGradGrad);
            r.register(NnGradOps.AVG_POOL2D_GRAD, cpu, d, NnPooling::avgPoolGrad);
            r.register(NnGradOps.AVG_POOL_GRAD, cpu, d, NnPooling::avgPoolGrad);
        }
    }

    record Geometry(NnOps.Window2D w, int n, int h, int wd, int c, int oc, int groups, int cg, int ocg,
                    int k, int outHW, boolean nchw) {
        static Geometry of(Shape input, Shape filter, Attrs a) {
            boolean nchw = NnOps.dataFormat("Conv2D", a).equals("NCHW");
            NnOps.Window2D w = NnOps.conv2dWindow(input, filter, a);
            int n = input.dim(0), c = input.dim(nchw ? 1 : 3);
            int h = input.dim(nchw ? 2 : 1), wd = input.dim(nchw ? 3 : 2);
            int oc = filter.dim(3), groups = a.getInt("groups");
            int cg = c / groups;
            return new Geometry(w, n, h, wd, c, oc, groups, cg, oc / groups, w.kH() * w.kW() * cg,
                    w.outH() * w.outW(), nchw);
        }

        int tile() { return Math.max(1, Math.min(Math.max(1, outHW), TILE_ELEMENTS / Math.max(1, k))); }
    }

    static Tensor backpropInput(KernelContext ctx, Shape inputShape, Tensor filter, Tensor grad, Attrs a) {
        Geometry s = Geometry.of(inputShape, filter.shape(), a);
        Tensor g = s.nchw ? NnConvolution.toNhwc(grad) : grad;
        DType dtype = grad.dtype();
        boolean f32 = dtype == DType.FLOAT32;
        int image = s.h * s.wd * s.c;
        // recycled memory: col2im accumulates, so each image is zeroed first (by the task that fills it)
        Object dx = ctx.allocate(dtype.storage(), s.n * image);
        Object gd = g.data(), filt = filter.data();
        int tile = s.tile();
        boolean depthwise = NnConvolution.depthwise() && DepthwiseConv.applies(s.c, s.groups);
        boolean transposed = f32 && !depthwise && NnConvolution.implicit() && TRANSPOSED_INPUT_GRAD
                && ImplicitConvInputGrad.supports(s.w, s.groups);
        NnOps.Window2D full = f32 && !depthwise && !transposed && NnConvolution.implicit() ? fullWindow(s) : null;
        if (!(s.outHW > 0 && s.oc > 0 && s.k > 0)) zero(dx, 0, s.n * image);
        else if (depthwise) DepthwiseConv.backpropInput(gd, s.n, s.h, s.wd, s.c, s.w, filt, s.oc, dx);
        else if (transposed) {
            ImplicitConvInputGrad.backpropInput((float[]) gd, s.n, s.h, s.wd, s.c, s.w, (float[]) filt, s.oc,
                    (float[]) dx);
        } else if (full != null) {
            // dx is the "full" convolution of dy with the flipped, transposed filter: the tuned forward kernel
            // computes it directly (no patch matrix, no scatter-add)
            ImplicitConv.forward((float[]) gd, s.n, s.w.outH(), s.w.outW(), s.oc, full, flipped((float[]) filt, s),
                    s.c, null, false, (float[]) dx);
        }
        if (!depthwise && !transposed && full == null && s.outHW > 0 && s.oc > 0 && s.k > 0) {
            Parallel.forRange(s.n, 1, (from, to) -> {
                zero(dx, from * image, to * image);
                Object buf = Strided.allocate(dtype.storage(), tile * s.k);
                for (int b = from; b < to; b++) {
                    for (int r0 = 0; r0 < s.outHW; r0 += tile) {
                        int rows = Math.min(tile, s.outHW - r0), p0 = b * s.outHW + r0;
                        for (int grp = 0; grp < s.groups; grp++) {
                            gemm(f32, false, true, rows, s.k, s.ocg, gd, p0 * s.oc + grp * s.ocg, s.oc, filt,
                                    grp * s.ocg, s.oc, 0, buf, 0, s.k);
                            col2im(f32, buf, dx, s, grp * s.cg, p0, rows);
                        }
                    }
                }
            });
        }
        Tensor y = Tensor.wrap(dtype, Shape.of(s.n, s.h, s.wd, s.c), dx);
        return s.nchw ? NnConvolution.toNchw(y) : y;
    }

    /**
     * The window of the forward convolution that gives a stride-1, undilated, ungrouped convolution's input gradient:
     * over dy ({@code outH x outW}), padded by {@code kernel - 1 - pad} before, producing {@code h x w}; null where
     * that does not apply (strides, dilations, groups, or padding beyond {@code kernel - 1}).
     */
    private static NnOps.Window2D fullWindow(Geometry s) {
        NnOps.Window2D w = s.w;
        int padBottom = w.outH() - 1 + w.kH() - s.h - w.padTop();
        int padRight = w.outW() - 1 + w.kW() - s.wd - w.padLeft();
        boolean applies = s.groups == 1 && w.strideH() == 1 && w.strideW() == 1 && w.dilH() == 1 && w.dilW() == 1
                && w.padTop() >= 0 && w.padTop() < w.kH() && w.padLeft() >= 0 && w.padLeft() < w.kW()
                && padBottom >= 0 && padBottom < w.kH() && padRight >= 0 && padRight < w.kW()
                && s.h > 0 && s.wd > 0 && s.c > 0;
        if (!applies) return null;
        NnOps.Window2D full = new NnOps.Window2D(w.outH(), w.outW(), w.kH(), w.kW(), 1, 1, 1, 1, s.h, s.wd,
                w.kH() - 1 - w.padTop(), w.kW() - 1 - w.padLeft());
        return ImplicitConv.supports(full, 1) ? full : null;
    }

    /** The HWIO filter {@code [kH, kW, c, oc]} turned by 180 degrees, channels swapped: {@code [kH, kW, oc, c]}. */
    private static float[] flipped(float[] f, Geometry s) {
        int kh = s.w.kH(), kw = s.w.kW(), c = s.c, oc = s.oc;
        float[] t = new float[f.length];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int from = ((kh - 1 - i) * kw + (kw - 1 - j)) * c * oc, to = (i * kw + j) * oc * c;
                for (int ch = 0; ch < c; ch++) {
                    for (int o = 0; o < oc; o++) t[to + o * c + ch] = f[from + ch * oc + o];
                }
            }
        }
        return t;
    }

    private static void zero(Object data, int from, int to) {
        if (data instanceof float[] f) java.util.Arrays.fill(f, from, to, 0f);
        else java.util.Arrays.fill((double[]) data, from, to, 0.0);
    }

    static Tensor backpropFilter(Tensor input, Shape filterShape, Tensor grad, Attrs a) {
        Geometry s = Geometry.of(input.shape(), filterShape, a);
        Tensor x = s.nchw ? NnConvolution.toNhwc(input) : input;
        Tensor g = s.nchw ? NnConvolution.toNhwc(grad) : grad;
        DType dtype = grad.dtype();
        boolean f32 = dtype == DType.FLOAT32;
        int size = filterShape.intSize();
        if (f32 && size > 0 && NnConvolution.implicit() && ImplicitConvFilterGrad.supports(s.w, s.groups, s.oc)) {
            return Tensor.wrap(dtype, filterShape, ImplicitConvFilterGrad.backpropFilter((float[]) x.data(), s.n, s.h,
                    s.wd, s.c, s.w, (float[]) g.data(), s.oc));
        }
        Object df = Strided.allocate(dtype.storage(), size);
        int m = s.n * s.outHW;
        if (m > 0 && size > 0 && NnConvolution.depthwise() && DepthwiseConv.applies(s.c, s.groups)) {
            DepthwiseConv.backpropFilter(x.data(), s.n, s.h, s.wd, s.c, s.w, g.data(), s.oc, df);
            return Tensor.wrap(dtype, filterShape, df);
        }
        int tile = s.tile();
        int tiles = (m + tile - 1) / tile;
        Object xd = x.data(), gd = g.data();
        if (m > 0 && size > 0) {
            Parallel.forRange(tiles, 1, (from, to) -> {
                Object buf = Strided.allocate(dtype.storage(), tile * s.k);
                Object zeros = Strided.allocate(dtype.storage(), s.cg);
                Object partial = Strided.allocate(dtype.storage(), size);
                for (int t = from; t < to; t++) {
                    int r0 = t * tile, rows = Math.min(tile, m - r0);
                    for (int grp = 0; grp < s.groups; grp++) {
                        NnConvolution.im2col(xd, s.h, s.wd, s.c, grp * s.cg, s.cg, s.w, r0, rows, buf, zeros);
                        gemm(f32, true, false, s.k, s.ocg, rows, buf, 0, s.k, gd, r0 * s.oc + grp * s.ocg, s.oc, 1,
                                partial, grp * s.ocg, s.oc);
                    }
                }
                synchronized (df) {
                    if (f32) {
                        float[] d = (float[]) df, p = (float[]) partial;
                        for (int i = 0; i < size; i++) d[i] += p[i];
                    } else {
                        double[] d = (double[]) df, p = (double[]) partial;
                        for (int i = 0; i < size; i++) d[i] += p[i];
                    }
                }
            });
        }
        return Tensor.wrap(dtype, filterShape, df);
    }

    /** Adds the patch rows [p0, p0 + rows) of {@code buf} back into the image pixels they were copied from. */
    private static void col2im(boolean f32, Object buf, Object dx, Geometry s, int c0, int p0, int rows) {
        NnOps.Window2D w = s.w;
        int outW = w.outW();
        for (int r = 0; r < rows; r++) {
            int p = p0 + r;
            int b = p / s.outHW, rem = p % s.outHW;
            int ih0 = (rem / outW) * w.strideH() - w.padTop();
            int iw0 = (rem % outW) * w.strideW() - w.padLeft();
            int pos = r * s.k;
            for (int i = 0; i < w.kH(); i++) {
                int ih = ih0 + i * w.dilH();
                boolean rowInside = ih >= 0 && ih < s.h;
                int rowBase = (b * s.h + ih) * s.wd;
                for (int j = 0; j < w.kW(); j++, pos += s.cg) {
                    int iw = iw0 + j * w.dilW();
                    if (!rowInside || iw < 0 || iw >= s.wd) continue;
                    int dst = (rowBase + iw) * s.c + c0;
                    if (f32) {
                        float[] d = (float[]) dx, src = (float[]) buf;
                        for (int ch = 0; ch < s.cg; ch++) d[dst + ch] += src[pos + ch];
                    } else {
                        double[] d = (double[]) dx, src = (double[]) buf;
                        for (int ch = 0; ch < s.cg; ch++) d[dst + ch] += src[pos + ch];
                    }
                }
            }
        }
    }

    private static void gemm(boolean f32, boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, int lda,
                             Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc) {
        if (f32) {
            Gemm.sgemm(ta, tb, m, n, k, 1f, (float[]) a, aOff, lda, (float[]) b, bOff, ldb, (float) beta,
                    (float[]) c, cOff, ldc);
        } else {
            Gemm.dgemm(ta, tb, m, n, k, 1, (double[]) a, aOff, lda, (double[]) b, bOff, ldb, beta, (double[]) c,
                    cOff, ldc);
        }
    }
}
