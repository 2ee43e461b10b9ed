package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling with argmax of one band of activations that {@link ImplicitConvMaxPool} computed into a buffer: p x p
 * windows at stride p, each window's first maximum in row-major tap order winning, a NaN winning over numbers (as
 * MaxPoolWithArgmax), and the indices counted in the full activation [n, outH, outW, oc] that is never stored.
 */
final class PoolArgmax {
    private PoolArgmax() {}

    private static final VectorSpecies<Float> S = ImplicitConv.S;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int V = S.length();
    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);

    /**
     * Pools band rows [0, rows), pooled rows g0 + g of the whole output (image = (g0 + g) / ph), channels [c0, c1):
     * the band holds rows * p activation rows of p * pw columns; {@code taps} are the window's offsets in it.
     * Writes maxima to y and indices to at, both [n, ph, pw, oc].
     */
    static void pool(float[] band, int g0, int rows, int p, int ph, int pw, int outH, int outW, int oc, int c0,
                     int c1, int[] taps, float[] y, int[] at) {
        int cols = p * pw, end = c0 + S.loopBound(c1 - c0);
        int[] full = new int[taps.length]; // the taps' offsets in the full activation, from the window's first
        for (int t = 0; t < taps.length; t++) full[t] = (t / p * outW + t % p) * oc;
        for (int g = 0; g < rows; g++) {
            int gg = g0 + g, image = gg / ph, top = gg % ph * p;
            int yi = gg * pw * oc;
            for (int j = 0; j < pw; j++, yi += oc) {
                int first = (g * p * cols + j * p) * oc;
                int origin = ((image * outH + top) * outW + j * p) * oc; // the window's first activation, channel 0
                int ch = c0;
                for (; ch < end; ch += V) {
                    FloatVector m = FloatVector.fromArray(S, band, first + ch);
                    IntVector where = IOTA.add(origin + ch);
                    for (int t = 1; t < taps.length; t++) {
                        FloatVector v = FloatVector.fromArray(S, band, first + ch + taps[t]);
                        VectorMask<Float> wins = v.compare(VectorOperators.GT, m)
                                .or(v.test(VectorOperators.IS_NAN).andNot(m.test(VectorOperators.IS_NAN)));
                        m = m.blend(v, wins);
                        where = where.blend(IOTA.add(origin + full[t] + ch), wins.cast(I));
                    }
                    m.intoArray(y, yi + ch);
                    where.intoArray(at, yi + ch);
                }
                for (; ch < c1; ch++) {
                    float m = band[first + ch];
                    int w = origin + ch;
                    for (int t = 1; t < taps.length; t++) {
                        float v = band[first + ch + taps[t]];
                        if (v > m || v != v && m == m) {
                            m = v;
                            w = origin + full[t] + ch;
                        }
                    }
                    y[yi + ch] = m;
                    at[yi + ch] = w;
                }
            }
        }
    }
}
