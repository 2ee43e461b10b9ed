package org.nabla.kernels.cpu;

import static org.nabla.kernels.cpu.ImplicitConv.MR;
import static org.nabla.kernels.cpu.ImplicitConv.NR;
import static org.nabla.kernels.cpu.ImplicitConv.S;
import static org.nabla.kernels.cpu.ImplicitConv.V;

import jdk.incubator.vector.FloatVector;
import org.nabla.ops.NnOps;

/**
 * Conv2D's filter gradient, NHWC float32, groups 1, column dilation 1, OC a multiple of NR, without an im2col buffer:
 * dFilter [K, OC] = patches^T [K, pixels] x dY [pixels, OC], where patch value (pixel p, row k) is read in place from
 * the input ({@link ImplicitConv}'s layout). An MR x NR register tile of dFilter sums over a block of pixels, reading
 * MR patch values and one dY row per pixel. Pixels are split into one fixed chunk per thread, each summing into its
 * own partial dFilter; the partials are added in chunk order, so results depend only on the thread count.
 */
final class ImplicitConvFilterGrad {
    private ImplicitConvFilterGrad() {}

    /** Pixels per block: their dY rows (OC floats each) stay in L2 while every dFilter tile passes over them. */
    private static final int BLOCK = 256;
    /** Floating-point work per chunk below which one thread does the whole call. */
    private static final long CHUNK_FLOPS = 1L << 21;

    static boolean supports(NnOps.Window2D w, int groups, int oc) {
        return ImplicitConv.supports(w, groups) && oc % NR == 0;
    }

    /** dFilter of x [n, h, wd, c] and dY [n, outH, outW, oc], as a new [KH*KW*c, oc] array. */
    static float[] backpropFilter(float[] x, int n, int h, int wd, int c, NnOps.Window2D w, float[] dy, int oc) {
        ImplicitConv.Source src = ImplicitConv.Source.of(x, n, h, wd, c, w);
        int k = w.kH() * w.kW() * c, seg = w.kW() * c, rowStep = w.dilH() * src.wd() * c;
        int pixels = n * w.outH() * w.outW();
        long flops = 2L * pixels * k * oc;
        int chunks = (int) Math.max(1, Math.min(Parallel.THREADS, flops / CHUNK_FLOPS));
        chunks = Math.min(chunks, Math.max(1, pixels));
        float[][] partial = new float[chunks][];
        int parts = chunks;
        Parallel.forRange(chunks, 1, (from, to) -> {
            int[] base = new int[BLOCK];
            int[] koff = new int[MR];
            for (int ci = from; ci < to; ci++) {
                float[] df = new float[k * oc];
                int p0 = (int) ((long) pixels * ci / parts), p1 = (int) ((long) pixels * (ci + 1) / parts);
                for (int b0 = p0; b0 < p1; b0 += BLOCK) {
                    int np = Math.min(BLOCK, p1 - b0);
                    pixelBases(src, c, w, b0, np, base);
                    block(src.x(), base, np, koff, k, seg, rowStep, dy, b0 * oc, oc, df);
                }
                partial[ci] = df;
            }
        });
        return sum(partial);
    }

    /** Writes one image's dY [outH, outW, oc] (all of it) into a buffer: a gradient made as it is needed. */
    interface ImageGrad {
        void fill(int image, float[] dy);
    }

    /**
     * {@link #backpropFilter} of a dY that is never stored whole: {@code dyOf} writes each image's into a buffer that
     * stays in cache while the filter gradient reads it. Images are split into one fixed chunk per thread, each
     * summing its own partial dFilter (added in chunk order): results depend only on the thread count.
     */
    static float[] backpropFilterByImage(float[] x, int n, int h, int wd, int c, NnOps.Window2D w, int oc,
                                         ImageGrad dyOf) {
        ImplicitConv.Source src = ImplicitConv.Source.of(x, n, h, wd, c, w);
        int k = w.kH() * w.kW() * c, seg = w.kW() * c, rowStep = w.dilH() * src.wd() * c;
        int outHW = w.outH() * w.outW();
        long flops = 2L * n * outHW * k * oc;
        int chunks = (int) Math.max(1, Math.min(Parallel.THREADS, flops / CHUNK_FLOPS));
        chunks = Math.min(chunks, Math.max(1, n));
        float[][] partial = new float[chunks][];
        int parts = chunks;
        Parallel.forRange(chunks, 1, (from, to) -> {
            int[] base = new int[BLOCK];
            int[] koff = new int[MR];
            float[] dy = new float[outHW * oc];
            for (int ci = from; ci < to; ci++) {
                float[] df = new float[k * oc];
                int i0 = (int) ((long) n * ci / parts), i1 = (int) ((long) n * (ci + 1) / parts);
                for (int image = i0; image < i1; image++) {
                    dyOf.fill(image, dy);
                    for (int q0 = 0; q0 < outHW; q0 += BLOCK) {
                        int np = Math.min(BLOCK, outHW - q0);
                        pixelBases(src, c, w, image * outHW + q0, np, base);
                        block(src.x(), base, np, koff, k, seg, rowStep, dy, q0 * oc, oc, df);
                    }
                }
                partial[ci] = df;
            }
        });
        return sum(partial);
    }

    /** df += the filter gradient of np pixels (patch offsets in base, dY rows from dy[gi], stride oc). */
    private static void block(float[] x, int[] base, int np, int[] koff, int k, int seg, int rowStep, float[] dy,
                              int gi, int oc, float[] df) {
        for (int k0 = 0; k0 < k; k0 += MR) {
            int kr = Math.min(MR, k - k0);
            for (int r = 0; r < MR; r++) {
                int row = k0 + Math.min(r, kr - 1);
                koff[r] = row / seg * rowStep + row % seg;
            }
            int j = 0;
            if (kr > 3 && FilterGradWideTile.ENABLED) {
                for (; j + FilterGradWideTile.WIDTH <= oc; j += FilterGradWideTile.WIDTH) {
                    FilterGradWideTile.kernel(x, base, np, koff, dy, gi + j, oc, df, k0 * oc + j, kr);
                }
            }
            for (; j < oc; j += NR) {
                if (kr <= 3) kernel3(x, base, np, koff, dy, gi + j, oc, df, k0 * oc + j, kr);
                else kernel(x, base, np, koff, dy, gi + j, oc, df, k0 * oc + j, kr);
            }
        }
    }

    /** The chunks' partial dFilters added in chunk order (into the first). */
    private static float[] sum(float[][] partial) {
        float[] sum = partial[0];
        for (int ci = 1; ci < partial.length; ci++) {
            float[] p = partial[ci];
            int i = 0;
            for (int end = S.loopBound(sum.length); i < end; i += V) {
                FloatVector.fromArray(S, sum, i).add(FloatVector.fromArray(S, p, i)).intoArray(sum, i);
            }
            for (; i < sum.length; i++) sum[i] += p[i];
        }
        return sum;
    }

    /** The input offset of the first patch value of each pixel in [p0, p0 + np). */
    private static void pixelBases(ImplicitConv.Source s, int c, NnOps.Window2D w, int p0, int np, int[] base) {
        int outHW = w.outH() * w.outW();
        for (int i = 0; i < np; i++) {
            int p = p0 + i, b = p / outHW, rem = p % outHW;
            base[i] = ((b * s.h() + rem / w.outW() * w.strideH()) * s.wd() + rem % w.outW() * w.strideW()) * c;
        }
    }

    /**
     * df rows [0, kr) of the tile at dfi (row stride ldg) += sum over the np pixels i of x[base[i] + koff[r]] *
     * dy[gi + i * ldg + j], j in [0, NR).
     */
    static void kernel(float[] x, int[] base, int np, int[] koff, float[] dy, int gi, int ldg, float[] df,
                               int dfi, int kr) {
        int o0 = koff[0], o1 = koff[1], o2 = koff[2], o3 = koff[3], o4 = koff[4], o5 = koff[5];
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int i = 0; i < np; i++, gi += ldg) {
            int a = base[i];
            FloatVector b0 = FloatVector.fromArray(S, dy, gi);
            FloatVector b1 = FloatVector.fromArray(S, dy, gi + V);
            FloatVector v = FloatVector.broadcast(S, x[a + o0]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, x[a + o1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, x[a + o2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, x[a + o3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, x[a + o4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, x[a + o5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        // Written out, not a helper: a vector passed to a call that C2 did not inline (a method this large can
        // reach its inlining cutoff) is boxed on the heap in every iteration of the loop above.
        FloatVector.fromArray(S, df, dfi).add(c00).intoArray(df, dfi);
        FloatVector.fromArray(S, df, dfi + V).add(c01).intoArray(df, dfi + V);
        if (kr > 1) {
            FloatVector.fromArray(S, df, dfi + ldg).add(c10).intoArray(df, dfi + ldg);
            FloatVector.fromArray(S, df, dfi + ldg + V).add(c11).intoArray(df, dfi + ldg + V);
        }
        if (kr > 2) {
            FloatVector.fromArray(S, df, dfi + 2 * ldg).add(c20).intoArray(df, dfi + 2 * ldg);
            FloatVector.fromArray(S, df, dfi + 2 * ldg + V).add(c21).intoArray(df, dfi + 2 * ldg + V);
        }
        if (kr > 3) {
            FloatVector.fromArray(S, df, dfi + 3 * ldg).add(c30).intoArray(df, dfi + 3 * ldg);
            FloatVector.fromArray(S, df, dfi + 3 * ldg + V).add(c31).intoArray(df, dfi + 3 * ldg + V);
        }
        if (kr > 4) {
            FloatVector.fromArray(S, df, dfi + 4 * ldg).add(c40).intoArray(df, dfi + 4 * ldg);
            FloatVector.fromArray(S, df, dfi + 4 * ldg + V).add(c41).intoArray(df, dfi + 4 * ldg + V);
        }
        if (kr > 5) {
            FloatVector.fromArray(S, df, dfi + 5 * ldg).add(c50).intoArray(df, dfi + 5 * ldg);
            FloatVector.fromArray(S, df, dfi + 5 * ldg + V).add(c51).intoArray(df, dfi + 5 * ldg + V);
        }
    }

    /**
     * {@link #kernel} for the last rows of a small K (kr at most 3, e.g. rows 6..8 of K = 9): half the
     * multiply-adds of a 6-row tile that would repeat rows; the same sums, pixel by pixel in order.
     */
    private static void kernel3(float[] x, int[] base, int np, int[] koff, float[] dy, int gi, int ldg, float[] df,
                                int dfi, int kr) {
        int o0 = koff[0], o1 = koff[1], o2 = koff[2];
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        for (int i = 0; i < np; i++, gi += ldg) {
            int a = base[i];
            FloatVector b0 = FloatVector.fromArray(S, dy, gi);
            FloatVector b1 = FloatVector.fromArray(S, dy, gi + V);
            FloatVector v = FloatVector.broadcast(S, x[a + o0]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, x[a + o1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, x[a + o2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
        }
        FloatVector.fromArray(S, df, dfi).add(c00).intoArray(df, dfi);
        FloatVector.fromArray(S, df, dfi + V).add(c01).intoArray(df, dfi + V);
        if (kr > 1) {
            FloatVector.fromArray(S, df, dfi + ldg).add(c10).intoArray(df, dfi + ldg);
            FloatVector.fromArray(S, df, dfi + ldg + V).add(c11).intoArray(df, dfi + ldg + V);
        }
        if (kr > 2) {
            FloatVector.fromArray(S, df, dfi + 2 * ldg).add(c20).intoArray(df, dfi + 2 * ldg);
            FloatVector.fromArray(S, df, dfi + 2 * ldg + V).add(c21).intoArray(df, dfi + 2 * ldg + V);
        }
    }
}
