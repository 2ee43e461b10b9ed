package org.nabla.kernels.cpu;

import static org.nabla.kernels.cpu.ImplicitConv.NR;
import static org.nabla.kernels.cpu.ImplicitConv.S;
import static org.nabla.kernels.cpu.ImplicitConv.V;

import jdk.incubator.vector.FloatVector;
import org.nabla.ops.NnOps;

/**
 * {@link ImplicitConv}'s micro-kernel for convolutions with few terms per output, K = KH*KW*C up to {@link #MAX_K}
 * (an image model's first layer: 3x3 taps of one channel, K = 9). The general kernel walks K as KH segments of KW*C
 * contiguous values; with segments of 3 floats its nested loops cost more than the 12 multiply-adds each step does.
 * Here a patch's K input offsets are one table ({@link #taps}), walked in the same order, so every output gets bit for
 * bit the general kernel's sum; bias and ReLU are applied in registers before the tile's one store.
 */
final class ImplicitConvSmallK {
    private ImplicitConvSmallK() {}

    /** Largest K this kernel takes: beyond it the general kernel's contiguous segments are long enough. */
    static final int MAX_K = 32;

    /** Whether a convolution with patches of {@code k} values uses this kernel. */
    static boolean applies(int k) {
        return k <= MAX_K && USE;
    }

    /** -Dnabla.conv.smallK=false keeps the general kernel for every K (comparisons). */
    private static final boolean USE = !"false".equals(System.getProperty("nabla.conv.smallK"));

    /** The offset of each patch value from the patch's first, in K order (filter rows, then columns, then channels). */
    static int[] taps(NnOps.Window2D w, int c, int sourceWidth) {
        int seg = w.kW() * c, rowStep = w.dilH() * sourceWidth * c;
        int[] t = new int[w.kH() * seg];
        for (int i = 0; i < t.length; i++) t[i] = i / seg * rowStep + i % seg;
        return t;
    }

    /**
     * The MR x NR tile of one packed panel ([K][NR] from bi): tile[r][j] = act(sum over t of x[base[r] + taps[t]] *
     * b[bi + t * NR + j] + bias[b0 + j]), summed in t order from zero, the bias (unless null) added after the sum,
     * then ReLU if asked; rows of stride ld from di.
     */
    static void kernel(float[] x, int[] base, int[] taps, float[] b, int bi, float[] bias, int b0, boolean relu,
                       float[] dst, int di, int ld) {
        int a0 = base[0], a1 = base[1], a2 = base[2], a3 = base[3], a4 = base[4], a5 = base[5];
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int t = 0; t < taps.length; t++, bi += NR) {
            int o = taps[t];
            FloatVector w0 = FloatVector.fromArray(S, b, bi);
            FloatVector w1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector v = FloatVector.broadcast(S, x[a0 + o]);
            c00 = v.fma(w0, c00);
            c01 = v.fma(w1, c01);
            v = FloatVector.broadcast(S, x[a1 + o]);
            c10 = v.fma(w0, c10);
            c11 = v.fma(w1, c11);
            v = FloatVector.broadcast(S, x[a2 + o]);
            c20 = v.fma(w0, c20);
            c21 = v.fma(w1, c21);
            v = FloatVector.broadcast(S, x[a3 + o]);
            c30 = v.fma(w0, c30);
            c31 = v.fma(w1, c31);
            v = FloatVector.broadcast(S, x[a4 + o]);
            c40 = v.fma(w0, c40);
            c41 = v.fma(w1, c41);
            v = FloatVector.broadcast(S, x[a5 + o]);
            c50 = v.fma(w0, c50);
            c51 = v.fma(w1, c51);
        }
        if (bias != null) {
            FloatVector bv0 = FloatVector.fromArray(S, bias, b0), bv1 = FloatVector.fromArray(S, bias, b0 + V);
            c00 = c00.add(bv0);
            c01 = c01.add(bv1);
            c10 = c10.add(bv0);
            c11 = c11.add(bv1);
            c20 = c20.add(bv0);
            c21 = c21.add(bv1);
            c30 = c30.add(bv0);
            c31 = c31.add(bv1);
            c40 = c40.add(bv0);
            c41 = c41.add(bv1);
            c50 = c50.add(bv0);
            c51 = c51.add(bv1);
        }
        if (relu) {
            c00 = c00.max(z);
            c01 = c01.max(z);
            c10 = c10.max(z);
            c11 = c11.max(z);
            c20 = c20.max(z);
            c21 = c21.max(z);
            c30 = c30.max(z);
            c31 = c31.max(z);
            c40 = c40.max(z);
            c41 = c41.max(z);
            c50 = c50.max(z);
            c51 = c51.max(z);
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
}
