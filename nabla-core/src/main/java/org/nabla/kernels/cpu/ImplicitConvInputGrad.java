package org.nabla.kernels.cpu;

import static org.nabla.kernels.cpu.ImplicitConv.MR;
import static org.nabla.kernels.cpu.ImplicitConv.NR;
import static org.nabla.kernels.cpu.ImplicitConv.S;
import static org.nabla.kernels.cpu.ImplicitConv.V;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.nabla.ops.NnOps;

/**
 * Conv2D's input gradient, NHWC float32, groups 1, any strides, dilations and non-negative padding, as a direct
 * transposed convolution: every dY pixel adds dY[p, :] x filter[tap]^T (a C-vector) to the input pixel each tap read
 * in the forward. So only the taps the forward computed are done, unlike the "full" convolution of a zero-padded dY
 * (40% more arithmetic for the reference cnn's 3x3 VALID layer). An MR x NR register tile (MR dY pixels, NR input
 * channels) sums over OC for one tap, then is added into dX, which stays in L1 (one image at a time).
 * Images are split over the threads, each image's tiles and taps always in the same order, so results do not depend
 * on the thread count. Padding is handled by accumulating into a padded image that is then cropped.
 */
final class ImplicitConvInputGrad {
    private ImplicitConvInputGrad() {}

    /** Floating-point work per parallel chunk below which one thread does the whole call. */
    private static final long CHUNK_FLOPS = 1L << 21;

    static boolean supports(NnOps.Window2D w, int groups) {
        return groups == 1 && w.outH() > 0 && w.outW() > 0 && w.padTop() >= 0 && w.padLeft() >= 0;
    }

    /**
     * dx [n, h, wd, c] (written entirely) from dy [n, outH, outW, oc] and the HWIO filter [kH, kW, c, oc].
     */
    static void backpropInput(float[] dy, int n, int h, int wd, int c, NnOps.Window2D w, float[] filter, int oc,
                              float[] dx) {
        int taps = w.kH() * w.kW(), panels = (c + NR - 1) / NR;
        float[] b = pack(filter, taps, c, oc);
        // the rows and columns any window touches, counted from the first padding row/column
        int hp = (w.outH() - 1) * w.strideH() + (w.kH() - 1) * w.dilH() + 1;
        int wp = (w.outW() - 1) * w.strideW() + (w.kW() - 1) * w.dilW() + 1;
        boolean direct = w.padTop() == 0 && w.padLeft() == 0 && wp == wd && hp <= h;
        int ldx = direct ? wd : wp, outHW = w.outH() * w.outW();
        int[] tapOff = new int[taps];
        for (int i = 0; i < w.kH(); i++) {
            for (int j = 0; j < w.kW(); j++) tapOff[i * w.kW() + j] = (i * w.dilH() * ldx + j * w.dilW()) * c;
        }
        long imageFlops = 2L * outHW * taps * oc * c;
        int grain = (int) Math.max(1, Math.min(n, CHUNK_FLOPS / Math.max(1, imageFlops)));
        Parallel.forRange(n, grain, (from, to) -> {
            float[] padded = direct ? null : new float[hp * wp * c];
            float[] tile = new float[MR * NR];
            int[] src = new int[MR], dst = new int[MR];
            for (int img = from; img < to; img++) {
                int image = img * h * wd * c;
                float[] acc = direct ? dx : padded;
                int accBase = direct ? image : 0;
                Arrays.fill(acc, accBase, accBase + (direct ? h * wd * c : hp * wp * c), 0f);
                for (int p0 = 0; p0 < outHW; p0 += MR) {
                    int mr = Math.min(MR, outHW - p0);
                    for (int r = 0; r < MR; r++) {
                        int p = p0 + Math.min(r, mr - 1);
                        src[r] = (img * outHW + p) * oc;
                        dst[r] = accBase + ((p / w.outW() * w.strideH()) * ldx + p % w.outW() * w.strideW()) * c;
                    }
                    for (int t = 0; t < taps; t++) {
                        for (int j = 0; j < panels; j++) {
                            int nr = Math.min(NR, c - j * NR), off = tapOff[t] + j * NR;
                            int bi = (t * panels + j) * oc * NR;
                            if (mr == MR && nr == NR) kernelAdd(dy, src, oc, b, bi, acc, dst, off);
                            else tailAdd(dy, src, oc, b, bi, tile, acc, dst, off, mr, nr);
                        }
                    }
                }
                if (!direct) crop(padded, hp, wp, c, w, dx, image, h, wd);
            }
        });
    }

    /** The filter as [tap][panel][oc][NR]: row o of a panel holds filter[tap, j*NR .. j*NR+NR, o], zero-padded. */
    static float[] pack(float[] f, int taps, int c, int oc) {
        int panels = (c + NR - 1) / NR;
        float[] p = new float[taps * panels * oc * NR];
        for (int t = 0; t < taps; t++) {
            for (int ch = 0; ch < c; ch++) {
                int j = ch / NR, col = ch % NR, from = (t * c + ch) * oc;
                int to = (t * panels + j) * oc * NR + col;
                for (int o = 0; o < oc; o++) p[to + o * NR] = f[from + o];
            }
        }
        return p;
    }

    /** dx[padTop + ih][padLeft + iw] of the padded image into dx[ih][iw]; input pixels no window read get 0. */
    private static void crop(float[] padded, int hp, int wp, int c, NnOps.Window2D w, float[] dx, int image, int h,
                             int wd) {
        int cols = Math.max(0, Math.min(wd, wp - w.padLeft()));
        for (int i = 0; i < h; i++) {
            int row = image + i * wd * c, pi = i + w.padTop();
            if (pi < hp && cols > 0) {
                System.arraycopy(padded, (pi * wp + w.padLeft()) * c, dx, row, cols * c);
                Arrays.fill(dx, row + cols * c, row + wd * c, 0f);
            } else {
                Arrays.fill(dx, row, row + wd * c, 0f);
            }
        }
    }

    /** The tile for MR pixels and NR channels, summed over oc, added to acc rows dst[r] + off. */
    private static void kernelAdd(float[] dy, int[] src, int oc, float[] b, int bi, float[] acc, int[] dst, int off) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        int a0 = src[0], a1 = src[1], a2 = src[2], a3 = src[3], a4 = src[4], a5 = src[5];
        for (int q = 0; q < oc; q++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector v = FloatVector.broadcast(S, dy[a0 + q]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, dy[a1 + q]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, dy[a2 + q]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, dy[a3 + q]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, dy[a4 + q]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, dy[a5 + q]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        // Written out, not a helper: a vector passed to a call that C2 did not inline is boxed on the heap.
        int d0 = dst[0] + off;
        FloatVector.fromArray(S, acc, d0).add(c00).intoArray(acc, d0);
        FloatVector.fromArray(S, acc, d0 + V).add(c01).intoArray(acc, d0 + V);
        int d1 = dst[1] + off;
        FloatVector.fromArray(S, acc, d1).add(c10).intoArray(acc, d1);
        FloatVector.fromArray(S, acc, d1 + V).add(c11).intoArray(acc, d1 + V);
        int d2 = dst[2] + off;
        FloatVector.fromArray(S, acc, d2).add(c20).intoArray(acc, d2);
        FloatVector.fromArray(S, acc, d2 + V).add(c21).intoArray(acc, d2 + V);
        int d3 = dst[3] + off;
        FloatVector.fromArray(S, acc, d3).add(c30).intoArray(acc, d3);
        FloatVector.fromArray(S, acc, d3 + V).add(c31).intoArray(acc, d3 + V);
        int d4 = dst[4] + off;
        FloatVector.fromArray(S, acc, d4).add(c40).intoArray(acc, d4);
        FloatVector.fromArray(S, acc, d4 + V).add(c41).intoArray(acc, d4 + V);
        int d5 = dst[5] + off;
        FloatVector.fromArray(S, acc, d5).add(c50).intoArray(acc, d5);
        FloatVector.fromArray(S, acc, d5 + V).add(c51).intoArray(acc, d5 + V);
    }

    /** A partial tile (fewer than MR pixels or NR channels): computed whole into {@code tile}, added where real. */
    private static void tailAdd(float[] dy, int[] src, int oc, float[] b, int bi, float[] tile, float[] acc,
                                int[] dst, int off, int mr, int nr) {
        Arrays.fill(tile, 0f);
        int[] rows = new int[MR];
        for (int r = 0; r < MR; r++) rows[r] = r * NR;
        kernelAdd(dy, src, oc, b, bi, tile, rows, 0);
        for (int r = 0; r < mr; r++) {
            int d = dst[r] + off;
            for (int j = 0; j < nr; j += V) {
                VectorMask<Float> m = S.indexInRange(j, nr);
                FloatVector.fromArray(S, acc, d + j, m).add(FloatVector.fromArray(S, tile, r * NR + j, m))
                        .intoArray(acc, d + j, m);
            }
        }
    }
}
