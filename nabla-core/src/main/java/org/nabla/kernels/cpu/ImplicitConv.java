package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.ops.NnOps;

/**
 * Conv2D forward, NHWC float32, groups 1, column dilation 1, without an im2col buffer ("implicit GEMM"). The output
 * [pixels, OC] is patches [pixels, K] x filter [K, OC], K = KH*KW*C, and in NHWC one filter row's KW*C patch values
 * of a pixel are contiguous in the input; so an MR x NR register-blocked micro-kernel reads each pixel's patch in
 * place as KH contiguous segments, and the HWIO filter in place as the [K, OC] matrix (packed, zero-padded, only when
 * OC is not a multiple of NR). Padding is a zero-padded copy of the input, 1/(KH*KW) of what im2col writes. Bias and
 * ReLU are applied to each tile before its one store (the epilogue), which is what FusedConv2D runs.
 */
final class ImplicitConv {
    private ImplicitConv() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    static final int MR = 6;
    static final int NR = 2 * V;
    /** -Dnabla.conv.inPlaceFilter=true reads the filter in place when OC is a multiple of NR (for comparisons). */
    private static final boolean PACK_NEVER = Boolean.getBoolean("nabla.conv.inPlaceFilter");
    /** Floating-point work per parallel chunk: below it one thread does the whole call (no fork cost). */
    static final long CHUNK_FLOPS = Long.getLong("nabla.conv.chunkFlops", 1L << 20);

    /** Whether this path computes the convolution: float32 callers check the dtype. */
    static boolean supports(NnOps.Window2D w, int groups) {
        return groups == 1 && w.dilW() == 1 && w.outH() > 0 && w.outW() > 0;
    }

    /** The input as the kernel reads it: NHWC data with the windows' padding already in it. */
    record Source(float[] x, int h, int wd) {
        /** {@code x} itself when no window leaves it, else a zero-padded copy just large enough for all windows. */
        static Source of(float[] x, int n, int h, int wd, int c, NnOps.Window2D w) {
            int hp = (w.outH() - 1) * w.strideH() + (w.kH() - 1) * w.dilH() + 1;
            int wp = (w.outW() - 1) * w.strideW() + w.kW();
            if (w.padTop() == 0 && w.padLeft() == 0 && hp <= h && wp <= wd) return new Source(x, h, wd);
            float[] p = new float[n * hp * wp * c];
            int rows = Math.min(h, hp - w.padTop()), cols = Math.min(wd, wp - w.padLeft());
            for (int b = 0; b < n; b++) {
                for (int i = Math.max(0, -w.padTop()); i < rows; i++) {
                    int from = Math.max(0, -w.padLeft());
                    if (cols <= from) continue;
                    System.arraycopy(x, ((b * h + i) * wd + from) * c, p,
                            ((b * hp + i + w.padTop()) * wp + from + w.padLeft()) * c, (cols - from) * c);
                }
            }
            return new Source(p, hp, wp);
        }
    }

    /**
     * y[pixels, oc] = act(conv(x, filter) + bias): x [n, h, wd, c], filter HWIO [K, oc], bias [oc] or null, y written
     * entirely (no need to clear it).
     */
    static void forward(float[] x, int n, int h, int wd, int c, NnOps.Window2D w, float[] filter, int oc,
                        float[] bias, boolean relu, float[] y) {
        forward(x, n, h, wd, c, w, filter, oc, bias, relu, y, true);
    }

    /** {@link #forward}, with {@code smallK} false never taking {@link ImplicitConvSmallK}'s kernel (tests). */
    static void forward(float[] x, int n, int h, int wd, int c, NnOps.Window2D w, float[] filter, int oc,
                        float[] bias, boolean relu, float[] y, boolean smallK) {
        Source src = Source.of(x, n, h, wd, c, w);
        int k = w.kH() * w.kW() * c;
        int panels = (oc + NR - 1) / NR;
        // Packed even when OC is a multiple of NR: rows read in place lie OC floats apart, a stride that maps them
        // to a fraction of L1's sets; contiguous panels stay cached and the packing is K*OC copies per call.
        boolean inPlace = PACK_NEVER && oc % NR == 0;
        float[] b = inPlace ? filter : packPanels(filter, k, oc);
        int ldb = inPlace ? oc : NR, panelStep = inPlace ? NR : k * NR;
        int pixels = n * w.outH() * w.outW();
        int tiles = (pixels + MR - 1) / MR;
        long tileFlops = 2L * MR * k * panels * NR;
        int grain = (int) Math.max(1, Math.min(tiles, CHUNK_FLOPS / Math.max(1, tileFlops)));
        int[] taps = smallK && !inPlace && ImplicitConvSmallK.applies(k) ? ImplicitConvSmallK.taps(w, c, src.wd) : null;
        Parallel.forRange(tiles, grain, (from, to) -> {
            float[] tile = new float[MR * NR];
            int[] base = new int[MR];
            PixelWalk walk = new PixelWalk(src, c, w, from * MR);
            for (int t = from; t < to; t++) {
                int m0 = t * MR, mr = Math.min(MR, pixels - m0);
                walk.bases(mr, base);
                for (int j = 0; j < panels; j++) {
                    int nr = Math.min(NR, oc - j * NR), yi = m0 * oc + j * NR;
                    boolean whole = mr == MR && nr == NR;
                    if (taps != null) {
                        if (whole) ImplicitConvSmallK.kernel(src.x, base, taps, b, j * panelStep, bias, j * NR, relu,
                                y, yi, oc);
                        else ImplicitConvSmallK.kernel(src.x, base, taps, b, j * panelStep, null, 0, false, tile, 0,
                                NR);
                    } else if (whole) {
                        kernel(src.x, base, w.kH(), w.dilH() * src.wd * c, w.kW() * c, b, j * panelStep, ldb, y, yi,
                                oc);
                        if (bias != null || relu) epilogue(y, yi, oc, bias, j * NR, relu);
                    } else {
                        kernel(src.x, base, w.kH(), w.dilH() * src.wd * c, w.kW() * c, b, j * panelStep, ldb, tile,
                                0, NR);
                    }
                    if (!whole) store(tile, mr, nr, bias, j * NR, relu, y, yi, oc);
                }
            }
        });
    }

    /**
     * Output pixels in order from a first one, each as the input offset of its first patch value: one division at
     * the start instead of several per tile.
     */
    static final class PixelWalk {
        private final Source s;
        private final int c, outH, outW, strideH, strideW;
        private int image, row, col;

        PixelWalk(Source s, int c, NnOps.Window2D w, int first) {
            this.s = s;
            this.c = c;
            this.outH = w.outH();
            this.outW = w.outW();
            this.strideH = w.strideH();
            this.strideW = w.strideW();
            int hw = outH * outW;
            image = first / hw;
            row = first % hw / outW;
            col = first % outW;
        }

        /** base[0..mr) = the next mr pixels' offsets; rows past mr repeat the last (their results are dropped). */
        void bases(int mr, int[] base) {
            for (int r = 0; r < base.length; r++) {
                if (r >= mr) {
                    base[r] = base[mr - 1];
                    continue;
                }
                base[r] = ((image * s.h + row * strideH) * s.wd + col * strideW) * c;
                if (++col == outW) {
                    col = 0;
                    if (++row == outH) {
                        row = 0;
                        image++;
                    }
                }
            }
        }
    }

    /** [K, oc] as NR-column panels [panel][K][NR], the last one zero-padded. */
    static float[] packPanels(float[] f, int k, int oc) {
        int panels = (oc + NR - 1) / NR;
        float[] p = new float[panels * k * NR];
        for (int j = 0; j < panels; j++) {
            int cols = Math.min(NR, oc - j * NR);
            for (int row = 0; row < k; row++) System.arraycopy(f, row * oc + j * NR, p, (j * k + row) * NR, cols);
        }
        return p;
    }

    /**
     * The MR x NR tile of one panel: tile[r][j] = sum over the KH segments s and their positions q of
     * x[base[r] + s * rowStep + q] * b[bi + (s * seg + q) * ldb + j], written to dst rows of stride ld from di.
     * Accumulators stay in registers.
     */
    static void kernel(float[] x, int[] base, int segments, int rowStep, int seg, float[] b, int bi, int ldb,
                       float[] dst, int di, int ld) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int s = 0; s < segments; s++) {
            int off = s * rowStep;
            int a0 = base[0] + off, a1 = base[1] + off, a2 = base[2] + off;
            int a3 = base[3] + off, a4 = base[4] + off, a5 = base[5] + off;
            for (int q = 0; q < seg; q++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bi);
                FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
                FloatVector v = FloatVector.broadcast(S, x[a0 + q]);
                c00 = v.fma(b0, c00);
                c01 = v.fma(b1, c01);
                v = FloatVector.broadcast(S, x[a1 + q]);
                c10 = v.fma(b0, c10);
                c11 = v.fma(b1, c11);
                v = FloatVector.broadcast(S, x[a2 + q]);
                c20 = v.fma(b0, c20);
                c21 = v.fma(b1, c21);
                v = FloatVector.broadcast(S, x[a3 + q]);
                c30 = v.fma(b0, c30);
                c31 = v.fma(b1, c31);
                v = FloatVector.broadcast(S, x[a4 + q]);
                c40 = v.fma(b0, c40);
                c41 = v.fma(b1, c41);
                v = FloatVector.broadcast(S, x[a5 + q]);
                c50 = v.fma(b0, c50);
                c51 = v.fma(b1, c51);
                bi += ldb;
            }
        }
        c00.intoArray(dst, di);
        c01.intoArray(dst, di + V);
        c10.intoArray(dst, di + ld);
        c11.intoArray(dst, di + ld + V);
        c20.intoArray(dst, di + 2 * ld);
        c21.intoArray(dst, di + 2 * ld + V);
        c30.intoArray(dst, di + 3 * ld);
        c31.intoArray(dst, di + 3 * ld + V);
        c40.intoArray(dst, di + 4 * ld);
        c41.intoArray(dst, di + 4 * ld + V);
        c50.intoArray(dst, di + 5 * ld);
        c51.intoArray(dst, di + 5 * ld + V);
    }

    /** The epilogue in place on a whole tile of y just written (still in L1): y += bias unless null, then ReLU. */
    static void epilogue(float[] y, int yi, int ldy, float[] bias, int b0, boolean relu) {
        for (int j = 0; j < NR; j += V) {
            if (bias != null) {
                FloatVector bv = FloatVector.fromArray(S, bias, b0 + j);
                for (int r = 0, i = yi + j; r < MR; r++, i += ldy) {
                    FloatVector v = FloatVector.fromArray(S, y, i).add(bv);
                    (relu ? v.max(0f) : v).intoArray(y, i);
                }
            } else {
                for (int r = 0, i = yi + j; r < MR; r++, i += ldy) FloatVector.fromArray(S, y, i).max(0f).intoArray(y, i);
            }
        }
    }

    /** y rows [0, mr) x columns [0, nr) = act(tile + bias[b0..]): the epilogue, vectors where whole. */
    static void store(float[] tile, int mr, int nr, float[] bias, int b0, boolean relu, float[] y, int yi, int ldy) {
        for (int r = 0; r < mr; r++, yi += ldy) {
            for (int j = 0; j < nr; j += V) {
                VectorMask<Float> m = j + V <= nr ? null : S.indexInRange(j, nr);
                FloatVector v = FloatVector.fromArray(S, tile, r * NR + j);
                if (bias != null) {
                    v = v.add(m == null ? FloatVector.fromArray(S, bias, b0 + j)
                            : FloatVector.fromArray(S, bias, b0 + j, m));
                }
                if (relu) v = v.max(0f);
                if (m == null) v.intoArray(y, yi + j);
                else v.intoArray(y, yi + j, m);
            }
        }
    }
}
