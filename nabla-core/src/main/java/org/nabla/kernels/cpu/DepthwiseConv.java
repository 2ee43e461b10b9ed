package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.ops.NnOps;

/**
 * Depthwise Conv2D on the CPU (groups equal to the input channels, so each group reads one channel and writes M =
 * OC / C outputs), NHWC with the HWIO filter [KH, KW, 1, C*M]: output channel o reads input channel o / M. im2col +
 * Gemm would run C matrix products one column wide; here every window tap is one multiply-add over a pixel's
 * channels, vectorized when M is 1 (the contiguous case). Forward and both backprops are direct loops: the input
 * gradient gathers (each input pixel sums the taps that reached it, so threads write disjoint pixels) and the filter
 * gradient sums fixed chunks of output rows into partials added in chunk order, so results do not depend on the
 * thread count.
 */
final class DepthwiseConv {
    private DepthwiseConv() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Output rows per partial sum of the filter gradient (fixed, for thread-count-independent results). */
    private static final int FILTER_CHUNK_ROWS = 8;

    /** Whether a convolution of {@code c} input channels in {@code groups} groups is depthwise. */
    static boolean applies(int c, int groups) { return groups > 1 && groups == c; }

    /** y[n, oh, ow, o] = sum over taps of x[n, ih, iw, o / M] * f[i, j, 0, o]; y is overwritten. */
    static void forward(Object x, int n, int h, int wd, int c, NnOps.Window2D w, Object f, int oc, Object y) {
        int m = oc / c;
        Parallel.forRange(n * w.outH(), 1, (from, to) -> {
            for (int row = from; row < to; row++) {
                int b = row / w.outH(), oh = row % w.outH();
                int yRow = row * w.outW() * oc;
                fill(y, yRow, yRow + w.outW() * oc);
                for (int ow = 0; ow < w.outW(); ow++) {
                    int yo = yRow + ow * oc;
                    for (int i = 0; i < w.kH(); i++) {
                        int ih = oh * w.strideH() - w.padTop() + i * w.dilH();
                        if (ih < 0 || ih >= h) continue;
                        for (int j = 0; j < w.kW(); j++) {
                            int iw = ow * w.strideW() - w.padLeft() + j * w.dilW();
                            if (iw < 0 || iw >= wd) continue;
                            madd(y, yo, x, ((b * h + ih) * wd + iw) * c, f, (i * w.kW() + j) * oc, c, m);
                        }
                    }
                }
            }
        });
    }

    /** dx[n, ih, iw, c] = sum over the taps and outputs that read it of dy * f; dx is overwritten. */
    static void backpropInput(Object dy, int n, int h, int wd, int c, NnOps.Window2D w, Object f, int oc, Object dx) {
        int m = oc / c;
        Parallel.forRange(n * h, 1, (from, to) -> {
            for (int row = from; row < to; row++) {
                int b = row / h, ih = row % h;
                fill(dx, row * wd * c, (row + 1) * wd * c);
                for (int i = 0; i < w.kH(); i++) {
                    int t = ih + w.padTop() - i * w.dilH();
                    if (t < 0 || t % w.strideH() != 0 || t / w.strideH() >= w.outH()) continue;
                    int oh = t / w.strideH();
                    for (int iw = 0; iw < wd; iw++) {
                        int xo = (row * wd + iw) * c;
                        for (int j = 0; j < w.kW(); j++) {
                            int u = iw + w.padLeft() - j * w.dilW();
                            if (u < 0 || u % w.strideW() != 0 || u / w.strideW() >= w.outW()) continue;
                            int go = ((b * w.outH() + oh) * w.outW() + u / w.strideW()) * oc;
                            gatherAdd(dx, xo, dy, go, f, (i * w.kW() + j) * oc, c, m);
                        }
                    }
                }
            }
        });
    }

    /** df[i, j, 0, o] = sum over output pixels of x[n, ih, iw, o / M] * dy[n, oh, ow, o]. */
    static void backpropFilter(Object x, int n, int h, int wd, int c, NnOps.Window2D w, Object dy, int oc, Object df) {
        int m = oc / c, rows = n * w.outH(), size = w.kH() * w.kW() * oc;
        int chunks = (rows + FILTER_CHUNK_ROWS - 1) / FILTER_CHUNK_ROWS;
        Object[] partials = new Object[chunks];
        Parallel.forRange(chunks, 1, (from, to) -> {
            for (int k = from; k < to; k++) {
                Object p = df instanceof float[] ? new float[size] : new double[size];
                for (int row = k * FILTER_CHUNK_ROWS; row < Math.min(rows, (k + 1) * FILTER_CHUNK_ROWS); row++) {
                    int b = row / w.outH(), oh = row % w.outH();
                    for (int ow = 0; ow < w.outW(); ow++) {
                        int go = (row * w.outW() + ow) * oc;
                        for (int i = 0; i < w.kH(); i++) {
                            int ih = oh * w.strideH() - w.padTop() + i * w.dilH();
                            if (ih < 0 || ih >= h) continue;
                            for (int j = 0; j < w.kW(); j++) {
                                int iw = ow * w.strideW() - w.padLeft() + j * w.dilW();
                                if (iw < 0 || iw >= wd) continue;
                                madd(p, (i * w.kW() + j) * oc, x, ((b * h + ih) * wd + iw) * c, dy, go, c, m);
                            }
                        }
                    }
                }
                partials[k] = p;
            }
        });
        fill(df, 0, size);
        for (Object p : partials) add(df, p, size);
    }

    private static void fill(Object a, int from, int to) {
        if (a instanceof float[] f) java.util.Arrays.fill(f, from, to, 0f);
        else java.util.Arrays.fill((double[]) a, from, to, 0.0);
    }

    private static void add(Object dst, Object src, int size) {
        if (dst instanceof float[] d) {
            float[] s = (float[]) src;
            for (int i = 0; i < size; i++) d[i] += s[i];
        } else {
            double[] d = (double[]) dst, s = (double[]) src;
            for (int i = 0; i < size; i++) d[i] += s[i];
        }
    }

    /** a[ao + i] += x[xo + i] * y[yo + i] for i in [0, c), vectorized. */
    private static void fmaInto(float[] a, int ao, float[] x, int xo, float[] y, int yo, int c) {
        int i = 0;
        for (int bound = F.loopBound(c); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).fma(FloatVector.fromArray(F, y, yo + i),
                    FloatVector.fromArray(F, a, ao + i)).intoArray(a, ao + i);
        }
        for (; i < c; i++) a[ao + i] += x[xo + i] * y[yo + i];
    }

    /** acc[ao + o] += x[xo + o / m] * v[vo + o] for o in [0, c * m). */
    private static void madd(Object acc, int ao, Object x, int xo, Object v, int vo, int c, int m) {
        if (acc instanceof float[] a) {
            float[] xs = (float[]) x, vs = (float[]) v;
            if (m == 1) {
                fmaInto(a, ao, xs, xo, vs, vo, c);
                return;
            }
            for (int ch = 0; ch < c; ch++) {
                float xv = xs[xo + ch];
                for (int k = ch * m; k < (ch + 1) * m; k++) a[ao + k] += xv * vs[vo + k];
            }
            return;
        }
        double[] a = (double[]) acc, xs = (double[]) x, vs = (double[]) v;
        for (int ch = 0; ch < c; ch++) {
            double xv = xs[xo + ch];
            for (int k = ch * m; k < (ch + 1) * m; k++) a[ao + k] += xv * vs[vo + k];
        }
    }

    /** dx[xo + ch] += sum over k in ch's outputs of dy[go + k] * f[fo + k], for ch in [0, c). */
    private static void gatherAdd(Object dx, int xo, Object dy, int go, Object f, int fo, int c, int m) {
        if (dx instanceof float[] a) {
            float[] g = (float[]) dy, fs = (float[]) f;
            if (m == 1) {   // one output per channel: the same elementwise product as madd's
                fmaInto(a, xo, g, go, fs, fo, c);
                return;
            }
            for (int ch = 0; ch < c; ch++) {
                float s = 0;
                for (int k = ch * m; k < (ch + 1) * m; k++) s += g[go + k] * fs[fo + k];
                a[xo + ch] += s;
            }
            return;
        }
        double[] a = (double[]) dx, g = (double[]) dy, fs = (double[]) f;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int k = ch * m; k < (ch + 1) * m; k++) s += g[go + k] * fs[fo + k];
            a[xo + ch] += s;
        }
    }
}
