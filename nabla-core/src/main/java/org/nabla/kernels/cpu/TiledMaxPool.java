package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.Shape;
import org.nabla.ops.Attrs;
import org.nabla.ops.PoolWindow;

/**
 * MaxPool2D and its gradient for NHWC float32 when the windows tile the input: window == stride, no padding, no
 * dilation (the usual 2x2 / stride 2). No window shares an input element, so the gradient is written, not scattered:
 * every input element gets the output gradient if it is its window's first maximum and 0 otherwise (rows and columns
 * no window covers get 0 too). Whole vectors of channel lanes at a time, with NaN handled as {@link NnPooling} does
 * (the first maximum wins, a NaN wins over numbers), so both give identical results. The vector loops are written
 * out in place: a helper method taking or returning vectors that C2 leaves un-inlined boxes every vector (the
 * backward pass allocated 130 KB per call at batch 4 that way).
 */
final class TiledMaxPool {
    private TiledMaxPool() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** The call's 2-D window if this path applies to it, else null. */
    static PoolWindow applicable(String op, Shape input, Attrs a) {
        if (input.rank() != 4) return null;
        PoolWindow pw = PoolWindow.of(op, input, a);
        if (!pw.channelsLast() || pw.rank() != 2) return null;
        for (int i = 0; i < 2; i++) {
            PoolWindow.Axis ax = pw.axis(i);
            if (ax.kernel() != ax.stride() || ax.dilation() != 1 || ax.padBegin() != 0 || ax.padEnd() != 0
                    || ax.out() * ax.kernel() > ax.in()) {
                return null;
            }
        }
        return pw;
    }

    /** y [n, oh, ow, c] = the maximum of each window of x [n, h, w, c]. */
    static void forward(float[] x, Shape in, PoolWindow pw, float[] y) {
        Geometry g = Geometry.of(in, pw);
        Parallel.forRange(g.n * g.oh, grain(g), (from, to) -> {
            for (int row = from; row < to; row++) {
                for (int j = 0; j < g.ow; j++) {
                    int o = (row * g.ow + j) * g.c, first = g.windowStart(row, j);
                    int ch = 0;
                    for (int end = F.loopBound(g.c); ch < end; ch += F.length()) {
                        int at = first + ch;
                        FloatVector m = FloatVector.fromArray(F, x, at);
                        for (int t = 1; t < g.taps; t++) {
                            FloatVector v = FloatVector.fromArray(F, x, at + g.tap(t));
                            // v wins: larger, or the first NaN
                            m = m.blend(v, v.compare(VectorOperators.GT, m)
                                    .or(v.test(VectorOperators.IS_NAN).andNot(m.test(VectorOperators.IS_NAN))));
                        }
                        m.intoArray(y, o + ch);
                    }
                    for (; ch < g.c; ch++) y[o + ch] = x[first + ch + g.tap(g.firstMax(x, first + ch))];
                }
            }
        });
    }

    /**
     * dx [n, h, w, c] of MaxPool2D(x): grad [n, oh, ow, c] at each window's first maximum, 0 elsewhere; dx is
     * written entirely.
     */
    static void backward(float[] x, Shape in, PoolWindow pw, float[] grad, float[] dx) {
        Geometry g = Geometry.of(in, pw);
        int rowLen = g.w * g.c, kh = g.kh;
        Parallel.forRange(g.n * g.oh, grain(g), (from, to) -> {
            for (int row = from; row < to; row++) {
                int b = row / g.oh, i = row % g.oh;
                int top = (b * g.h + i * kh) * rowLen;
                for (int j = 0; j < g.ow; j++) {
                    int o = (row * g.ow + j) * g.c, first = g.windowStart(row, j);
                    int ch = 0;
                    for (int end = F.loopBound(g.c); ch < end; ch += F.length()) {
                        // the window's maximum as in forward, then gv at each lane's first maximum, 0 at the others
                        int at = first + ch;
                        FloatVector m = FloatVector.fromArray(F, x, at);
                        for (int t = 1; t < g.taps; t++) {
                            FloatVector v = FloatVector.fromArray(F, x, at + g.tap(t));
                            m = m.blend(v, v.compare(VectorOperators.GT, m)
                                    .or(v.test(VectorOperators.IS_NAN).andNot(m.test(VectorOperators.IS_NAN))));
                        }
                        FloatVector gv = FloatVector.fromArray(F, grad, o + ch), zero = FloatVector.zero(F);
                        VectorMask<Float> mNaN = m.test(VectorOperators.IS_NAN), taken = F.maskAll(false);
                        for (int t = 0; t < g.taps; t++) {
                            FloatVector v = FloatVector.fromArray(F, x, at + g.tap(t));
                            VectorMask<Float> hit = v.compare(VectorOperators.EQ, m)
                                    .or(v.test(VectorOperators.IS_NAN).and(mNaN)).andNot(taken);
                            zero.blend(gv, hit).intoArray(dx, at + g.tap(t));
                            taken = taken.or(hit);
                        }
                    }
                    for (; ch < g.c; ch++) {
                        int win = g.firstMax(x, first + ch);
                        for (int t = 0; t < g.taps; t++) dx[first + ch + g.tap(t)] = t == win ? grad[o + ch] : 0f;
                    }
                }
                // columns right of the last window in this band of kh rows
                for (int r = 0; r < kh; r++) {
                    int s = top + r * rowLen + g.ow * g.kw * g.c;
                    java.util.Arrays.fill(dx, s, top + (r + 1) * rowLen, 0f);
                }
                // rows below the last band of the image
                if (i == g.oh - 1) java.util.Arrays.fill(dx, top + kh * rowLen, (b + 1) * g.h * rowLen, 0f);
            }
        });
    }

    private static int grain(Geometry g) { return Math.max(1, (1 << 14) / Math.max(1, g.ow * g.c * g.taps)); }

    /** The shapes of one call; taps are numbered row-major within a window. */
    private record Geometry(int n, int h, int w, int c, int kh, int kw, int oh, int ow, int taps) {
        static Geometry of(Shape in, PoolWindow pw) {
            PoolWindow.Axis a = pw.axis(0), b = pw.axis(1);
            return new Geometry(in.dim(0), in.dim(1), in.dim(2), in.dim(3), a.kernel(), b.kernel(), a.out(), b.out(),
                    a.kernel() * b.kernel());
        }

        /** The offset of window (row = image * oh + i, j)'s first tap, lane 0. */
        int windowStart(int row, int j) {
            int b = row / oh, i = row % oh;
            return ((b * h + i * kh) * w + j * kw) * c;
        }

        int tap(int t) { return (t / kw * w + t % kw) * c; }

        /** The tap of the first maximum (the first NaN if any) of the window whose lane starts at {@code at}. */
        int firstMax(float[] x, int at) {
            int best = 0;
            for (int t = 1; t < taps; t++) {
                float v = x[at + tap(t)], m = x[at + tap(best)];
                if (v > m || v != v && m == m) best = t;
            }
            return best;
        }
    }
}
