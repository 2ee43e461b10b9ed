package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.NnOps;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.Strided;

/**
 * Conv2D on the CPU as im2col + {@link Gemm}. In NHWC the output [N*OH*OW, OC] is exactly (patches [N*OH*OW, K]) x
 * (filter [K, OC]) with K = KH*KW*C/groups, and the HWIO filter already is that [K, OC] matrix, so no reshuffling of
 * either operand or the result is needed. Patches are built a tile of output pixels at a time (about 256 KB each), one
 * tile buffer per thread, so memory stays bounded for any batch. NCHW is transposed to NHWC and back.
 */
final class NnConvolution {
    private NnConvolution() {}

    /** Patch-matrix elements per tile: large enough to keep Gemm efficient, small enough for the L2 cache. */
    private static final int TILE_ELEMENTS = 1 << 16;
    /** float32 convolutions go through {@link ImplicitConv} where it applies; false keeps im2col (comparisons). */
    static boolean implicit() { return !"false".equals(System.getProperty("nabla.conv.implicit")); }
    /** Depthwise convolutions go through {@link DepthwiseConv}; false keeps grouped im2col (comparisons). */
    static boolean depthwise() { return !"false".equals(System.getProperty("nabla.conv.depthwise")); }

    static Tensor[] conv2d(KernelContext ctx) {
        Tensor input = ctx.input(0), filter = ctx.input(1);
        Attrs a = ctx.attrs();
        TensorSpec out = ctx.outputSpec(0);
        boolean nchw = NnOps.dataFormat("Conv2D", a).equals("NCHW");
        NnOps.Window2D w = NnOps.conv2dWindow(input.shape(), filter.shape(), a);
        int groups = a.getInt("groups");
        Tensor x = nchw ? toNhwc(input) : input;
        int n = x.shape().dim(0), h = x.shape().dim(1), wd = x.shape().dim(2), c = x.shape().dim(3);
        int oc = filter.shape().dim(3);
        int cg = c / groups, ocg = oc / groups;
        int kh = w.kH(), kw = w.kW();
        int k = kh * kw * cg;
        int m = n * w.outH() * w.outW();
        boolean f32 = x.dtype() == DType.FLOAT32;
        Object src = x.data(), filt = filter.data();
        Object dst = ctx.allocate(x.dtype().storage(), out.shape().intSize()); // every tile is written
        Shape nhwc = Shape.of(n, w.outH(), w.outW(), oc);
        if (m > 0 && oc > 0 && depthwise() && DepthwiseConv.applies(c, groups)) {
            DepthwiseConv.forward(src, n, h, wd, c, w, filt, oc, dst);
        } else if (m > 0 && oc > 0 && f32 && implicit() && ImplicitConv.supports(w, groups)) {
            ImplicitConv.forward((float[]) src, n, h, wd, c, w, (float[]) filt, oc, null, false, (float[]) dst);
        } else if (m > 0 && oc > 0) {
            boolean pointwise = kh == 1 && kw == 1 && w.strideH() == 1 && w.strideW() == 1 && groups == 1
                    && w.outH() == h && w.outW() == wd;
            int tile = Math.max(1, Math.min(m, TILE_ELEMENTS / Math.max(1, k)));
            int tiles = (m + tile - 1) / tile;
            Parallel.forRange(tiles, 1, (from, to) -> {
                Object buf = pointwise ? null : Strided.allocate(x.dtype().storage(), tile * k);
                Object zeros = Strided.allocate(x.dtype().storage(), cg);
                for (int t = from; t < to; t++) {
                    int r0 = t * tile, rows = Math.min(tile, m - r0);
                    if (pointwise) { // 1x1 stride 1 unpadded: the input itself is the patch matrix
                        gemm(f32, rows, oc, c, src, r0 * c, c, filt, 0, oc, dst, r0 * oc, oc);
                        continue;
                    }
                    for (int g = 0; g < groups; g++) {
                        im2col(src, h, wd, c, g * cg, cg, w, r0, rows, buf, zeros);
                        gemm(f32, rows, ocg, k, buf, 0, k, filt, g * ocg, oc, dst, r0 * oc + g * ocg, oc);
                    }
                }
            });
        }
        Tensor y = Tensor.wrap(x.dtype(), nhwc, dst);
        return new Tensor[] {nchw ? toNchw(y) : y};
    }

    private static void gemm(boolean f32, int m, int n, int k, Object a, int aOff, int lda, Object b, int bOff, int ldb,
                             Object c, int cOff, int ldc) {
        if (f32) {
            Gemm.sgemm(false, false, m, n, k, 1f, (float[]) a, aOff, lda, (float[]) b, bOff, ldb, 0f, (float[]) c,
                    cOff, ldc);
        } else {
            Gemm.dgemm(false, false, m, n, k, 1, (double[]) a, aOff, lda, (double[]) b, bOff, ldb, 0, (double[]) c,
                    cOff, ldc);
        }
    }

    /**
     * Writes the patches of output pixels [r0, r0 + rows) into {@code buf}, row-major [rows, KH*KW*cg]: for each
     * window position the cg channels starting at c0 are one contiguous copy (or zeros where the window is padding).
     */
    static void im2col(Object x, int h, int wd, int c, int c0, int cg, NnOps.Window2D w, int r0, int rows,
                               Object buf, Object zeros) {
        int outHW = w.outH() * w.outW();
        int k = w.kH() * w.kW() * cg;
        for (int r = 0; r < rows; r++) {
            int p = r0 + r;
            int b = p / outHW, rem = p % outHW;
            int ih0 = (rem / w.outW()) * w.strideH() - w.padTop();
            int iw0 = (rem % w.outW()) * w.strideW() - w.padLeft();
            int pos = r * k;
            // With unit column dilation and all channels, a window row inside the image is kW*C contiguous values.
            boolean wholeRows = w.dilW() == 1 && cg == c && iw0 >= 0 && iw0 + w.kW() <= wd;
            for (int i = 0; i < w.kH(); i++) {
                int ih = ih0 + i * w.dilH();
                boolean rowInside = ih >= 0 && ih < h;
                int rowBase = (b * h + ih) * wd;
                if (wholeRows && rowInside) {
                    System.arraycopy(x, (rowBase + iw0) * c, buf, pos, w.kW() * c);
                    pos += w.kW() * c;
                    continue;
                }
                for (int j = 0; j < w.kW(); j++, pos += cg) {
                    int iw = iw0 + j * w.dilW();
                    if (rowInside && iw >= 0 && iw < wd) {
                        System.arraycopy(x, (rowBase + iw) * c + c0, buf, pos, cg);
                    } else {
                        System.arraycopy(zeros, 0, buf, pos, cg);
                    }
                }
            }
        }
    }

    /** [N, C, H, W] -> dense [N, H, W, C]. */
    static Tensor toNhwc(Tensor t) {
        int n = t.shape().dim(0), c = t.shape().dim(1), h = t.shape().dim(2), w = t.shape().dim(3);
        return Tensor.view(t, Shape.of(n, h, w, c), 0, new int[] {c * h * w, w, 1, h * w}).dense();
    }

    /** [N, H, W, C] -> dense [N, C, H, W]. */
    static Tensor toNchw(Tensor t) {
        int n = t.shape().dim(0), h = t.shape().dim(1), w = t.shape().dim(2), c = t.shape().dim(3);
        return Tensor.view(t, Shape.of(n, c, h, w), 0, new int[] {h * w * c, 1, w * c, c}).dense();
    }
}
