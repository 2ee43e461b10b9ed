package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.ops.NnOps;

/**
 * FusedConv2D with its max pool: y = maxpool_p(act(conv(x, filter) + bias)), pool p x p, stride p, VALID, NHWC
 * float32. The convolution's output never goes to memory: each band of p convolution rows that one pooled row needs
 * (only the p * pw columns a window covers) is computed by {@link ImplicitConv}'s micro-kernel into a small buffer
 * that stays in cache, then pooled. Rows and columns no window covers are never computed. Each convolution output
 * gets the same sum as in {@link ImplicitConv#forward} (the micro-kernel's K order does not depend on the tile), and
 * the windows are reduced as {@link TiledMaxPool} does (taps row-major, the first maximum wins, NaN wins), so the
 * result is bit for bit that of the two ops it replaces. With ReLU the raw outputs are pooled first and the bias
 * and ReLU applied to the maxima only ({@link #poolBiasRelu}: the same values, a quarter of the epilogue's work).
 */
final class ImplicitConvMaxPool {
    private ImplicitConvMaxPool() {}

    private static final VectorSpecies<Float> S = ImplicitConv.S;
    private static final int V = ImplicitConv.V, MR = ImplicitConv.MR, NR = ImplicitConv.NR;
    /** Convolution outputs per band buffer, about: enough whole micro-kernel tiles, small enough for L1/L2. */
    private static final int BAND_PIXELS = 96;
    /** Convolution outputs per call up to which the filter is read in place (about 4 images of the cnn's 2nd layer). */
    private static final int IN_PLACE_PIXELS = 512;
    /**
     * Work per parallel chunk, below which one thread does the call: lower than {@link ImplicitConv#CHUNK_FLOPS}, so
     * that the cnn's first layer at batch 1 (0.39 MFLOP, 8 us on one core) splits between the two cores.
     */
    static final long SPLIT_FLOPS = Long.getLong("nabla.conv.poolSplitFlops", 1L << 17);

    /** y [n, outH / p, outW / p, oc] written entirely; the arguments as {@link ImplicitConv#forward}'s. */
    static void forward(float[] x, int n, int h, int wd, int c, NnOps.Window2D w, float[] filter, int oc,
                        float[] bias, boolean relu, int p, float[] y) {
        forward(x, n, h, wd, c, w, filter, oc, bias, relu, p, y, null);
    }

    /**
     * {@link #forward}, and with {@code argmax} not null also each maximum's flat index into the activation [n,
     * outH, outW, oc] that is never stored (MaxPoolWithArgmax's numbering): the band then holds the activation as
     * FusedConv2D would store it, and each window's first maximum wins as in MaxPoolWithArgmax, so maxima and indices
     * are bit for bit those of FusedConv2D followed by MaxPoolWithArgmax (training: the gradient needs the indices).
     * Without argmax, a 3x3 convolution with a 2x2 pool and ReLU over enough images may take
     * {@link WinogradConvMaxPool} instead (the same values within float rounding).
     */
    static void forward(float[] x, int n, int h, int wd, int c, NnOps.Window2D w, float[] filter, int oc,
                        float[] bias, boolean relu, int p, float[] y, int[] argmax) {
        if (n > 0 && oc > 0 && WinogradConvMaxPool.applies(w, n, c, oc, p, relu, argmax != null)) {
            WinogradConvMaxPool.forward(x, n, h, wd, c, w, filter, oc, bias, y);
        } else {
            direct(x, n, h, wd, c, w, filter, oc, bias, relu, p, y, argmax);
        }
    }

    /** {@link #forward} by the direct convolution always: bit for bit the unfused kernels (tests compare). */
    static void direct(float[] x, int n, int h, int wd, int c, NnOps.Window2D w, float[] filter, int oc,
                       float[] bias, boolean relu, int p, float[] y, int[] argmax) {
        int ph = w.outH() / p, pw = w.outW() / p;
        if (n == 0 || ph == 0 || pw == 0 || oc == 0) return;
        ImplicitConv.Source src = ImplicitConv.Source.of(x, n, h, wd, c, w);
        int k = w.kH() * w.kW() * c;
        int panels = (oc + NR - 1) / NR;
        int rowPixels = p * p * pw; // convolution outputs one pooled row needs
        int rows = n * ph;
        int[] patch = ImplicitConvSmallK.applies(k) ? ImplicitConvSmallK.taps(w, c, src.wd()) : null;
        // Few tiles per panel (batch 1): the filter is read where it lies, rows OC floats apart. Packing it costs
        // K*OC copies into fresh memory (5 us for the cnn's second layer, 15% of its batch-1 call) and pays off only
        // when many tiles re-read a panel from L1. The sums are the same either way.
        boolean inPlace = patch == null && oc % NR == 0 && (long) rows * rowPixels <= IN_PLACE_PIXELS;
        float[] b = inPlace ? filter : ImplicitConv.packPanels(filter, k, oc);
        int ldb = inPlace ? oc : NR, panelStep = inPlace ? NR : k * NR;
        // pooled rows per band: a multiple of the rows that fill whole tiles, about BAND_PIXELS outputs
        int whole = MR / gcd(rowPixels, MR);
        int bandRows = whole * Math.max(1, BAND_PIXELS / (whole * rowPixels));
        // Few pooled rows (batch 1): work items are (panel, pooled row), panel-major, so that every thread gets an
        // even share; otherwise pooled rows with all panels.
        int groups = rows < 4 * Parallel.THREADS ? panels : 1;
        long itemFlops = 2L * rowPixels * k * (panels / groups) * NR;
        int grain = (int) Math.max(1, Math.min(rows, SPLIT_FLOPS / Math.max(1, itemFlops)));
        Band geometry = new Band(src, c, w, p, ph, pw, rowPixels);
        int[] taps = taps(p, pw, oc);
        Parallel.forRange(rows * groups, grain, (from, to) -> {
            ConvScratch scratch = ConvScratch.get();
            float[] conv = scratch.floats(0, Math.min(bandRows, to - from) * rowPixels * oc);
            float[] tile = scratch.floats(1, MR * NR);
            int[] base = scratch.ints(0, MR), offsets = scratch.ints(1, Math.min(bandRows, to - from) * rowPixels);
            for (int item = from; item < to; ) {
                int group = item / rows, end = Math.min(to, (group + 1) * rows);
                int j0 = group * panels / groups, j1 = (group + 1) * panels / groups;
                for (int g0 = item - group * rows; g0 < end - group * rows; g0 += bandRows) {
                    int g1 = Math.min(end - group * rows, g0 + bandRows), pixels = (g1 - g0) * rowPixels;
                    geometry.offsets(g0, g1, offsets);
                    for (int m0 = 0; m0 < pixels; m0 += MR) {
                        int mr = Math.min(MR, pixels - m0);
                        for (int r = 0; r < MR; r++) base[r] = offsets[m0 + Math.min(r, mr - 1)]; // past mr: the last
                        for (int j = j0; j < j1; j++) {
                            int nr = Math.min(NR, oc - j * NR), ci = m0 * oc + j * NR;
                            // the band's epilogue: all of it with argmax, else bias only, and only without ReLU
                            float[] bandBias = argmax != null || !relu ? bias : null;
                            boolean bandRelu = argmax != null && relu;
                            boolean full = mr == MR && nr == NR;
                            if (patch != null) {
                                ImplicitConvSmallK.kernel(src.x(), base, patch, b, j * panelStep, full ? bandBias : null,
                                        j * NR, full && bandRelu, full ? conv : tile, full ? ci : 0, full ? oc : NR);
                            } else {
                                ImplicitConv.kernel(src.x(), base, w.kH(), w.dilH() * src.wd() * c, w.kW() * c, b,
                                        j * panelStep, ldb, full ? conv : tile, full ? ci : 0, full ? oc : NR);
                                if (full && (bandBias != null || bandRelu)) {
                                    ImplicitConv.epilogue(conv, ci, oc, bandBias, j * NR, bandRelu);
                                }
                            }
                            if (!full) ImplicitConv.store(tile, mr, nr, bandBias, j * NR, bandRelu, conv, ci, oc);
                        }
                    }
                    int c0 = j0 * NR, c1 = Math.min(oc, j1 * NR);
                    if (argmax != null) {
                        PoolArgmax.pool(conv, g0, g1 - g0, p, ph, pw, w.outH(), w.outW(), oc, c0, c1, taps, y, argmax);
                    } else if (relu) poolBiasRelu(conv, g1 - g0, p, pw, oc, c0, c1, taps, bias, y, g0 * pw * oc);
                    else pool(conv, g1 - g0, p, pw, oc, c0, c1, taps, y, g0 * pw * oc);
                }
                item = end;
            }
        });
    }

    /** Where convolution outputs come from: pooled row g's are its p rows of p * pw columns, row-major. */
    private record Band(ImplicitConv.Source src, int c, NnOps.Window2D w, int p, int ph, int pw, int rowPixels) {
        /** offsets[m] = the input offset of output m's first patch value, m over pooled rows [g0, g1). */
        void offsets(int g0, int g1, int[] offsets) {
            int cols = p * pw, m = 0;
            for (int g = g0; g < g1; g++) {
                int image = g / ph, top = g % ph * p;
                for (int r = 0; r < p; r++) {
                    int rowStart = (image * src.h() + (top + r) * w.strideH()) * src.wd();
                    for (int col = 0; col < cols; col++) offsets[m++] = (rowStart + col * w.strideW()) * c;
                }
            }
        }
    }

    /** The taps of a p x p window as offsets from its first, row-major, in an output band of p * pw columns. */
    private static int[] taps(int p, int pw, int oc) {
        int[] t = new int[p * p];
        for (int i = 0; i < t.length; i++) t[i] = (i / p * p * pw + i % p) * oc;
        return t;
    }

    /** y rows of the band from yi, channels [c0, c1): each window's first maximum over its p x p outputs in conv, taps row-major. */
    private static void pool(float[] conv, int bandRows, int p, int pw, int oc, int c0, int c1, int[] taps, float[] y,
                             int yi) {
        int cols = p * pw, end = c0 + S.loopBound(c1 - c0);
        for (int g = 0; g < bandRows; g++) {
            for (int j = 0; j < pw; j++, yi += oc) {
                int first = (g * p * cols + j * p) * oc;
                int ch = c0;
                for (; ch < end; ch += V) {
                    FloatVector m = FloatVector.fromArray(S, conv, first + ch);
                    for (int t = 1; t < taps.length; t++) {
                        FloatVector v = FloatVector.fromArray(S, conv, first + ch + taps[t]);
                        // v wins: larger, or the first NaN (as TiledMaxPool); written out, not a helper taking vectors
                        m = m.blend(v, v.compare(VectorOperators.GT, m)
                                .or(v.test(VectorOperators.IS_NAN).andNot(m.test(VectorOperators.IS_NAN))));
                    }
                    m.intoArray(y, yi + ch);
                }
                for (; ch < c1; ch++) {
                    float m = conv[first + ch];
                    for (int t = 1; t < taps.length; t++) {
                        float v = conv[first + ch + taps[t]];
                        if (v > m || v != v && m == m) m = v;
                    }
                    y[yi + ch] = m;
                }
            }
        }
    }

    /**
     * With ReLU: relu(max(conv) + bias) per window, lane-wise maxima. Equal, bit for bit, to the windows' first
     * maxima of relu(conv + bias) as {@link #pool} takes them (NaN payloads aside): adding the bias rounds
     * monotonically, so it commutes with the maximum, and after ReLU no -0 is left to tie with +0.
     */
    private static void poolBiasRelu(float[] conv, int bandRows, int p, int pw, int oc, int c0, int c1, int[] taps,
                                     float[] bias, float[] y, int yi) {
        int cols = p * pw, end = c0 + S.loopBound(c1 - c0);
        for (int g = 0; g < bandRows; g++) {
            for (int j = 0; j < pw; j++, yi += oc) {
                int first = (g * p * cols + j * p) * oc;
                int ch = c0;
                for (; ch < end; ch += V) {
                    FloatVector m = FloatVector.fromArray(S, conv, first + ch);
                    for (int t = 1; t < taps.length; t++) {
                        m = m.max(FloatVector.fromArray(S, conv, first + ch + taps[t]));
                    }
                    if (bias != null) m = m.add(FloatVector.fromArray(S, bias, ch));
                    m.max(0f).intoArray(y, yi + ch);
                }
                for (; ch < c1; ch++) {
                    float m = conv[first + ch];
                    for (int t = 1; t < taps.length; t++) m = Math.max(m, conv[first + ch + taps[t]]);
                    y[yi + ch] = Math.max(bias != null ? m + bias[ch] : m, 0f);
                }
            }
        }
    }

    private static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }
}
