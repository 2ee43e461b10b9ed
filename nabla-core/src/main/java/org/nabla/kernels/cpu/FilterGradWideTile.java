package org.nabla.kernels.cpu;

import static org.nabla.kernels.cpu.ImplicitConv.MR;
import static org.nabla.kernels.cpu.ImplicitConv.S;
import static org.nabla.kernels.cpu.ImplicitConv.V;

import jdk.incubator.vector.FloatVector;

/**
 * {@link ImplicitConvFilterGrad}'s register tile twice as wide (MR rows x 4 vectors, 24 accumulators) for machines
 * with 32 vector registers and 512-bit vectors: each pixel's MR patch values and 4 dY vectors feed 24 multiply-adds
 * instead of 12, halving the loads, index arithmetic and range checks per multiply-add. Every element sums the same
 * products in the same order as the narrow tile, so results are bitwise the same.
 */
final class FilterGradWideTile {
    private FilterGradWideTile() {}

    /** The tile's columns: four vectors. */
    static final int WIDTH = 4 * V;
    /** Only where 24 accumulators fit the register file without spilling (AVX-512's 32 registers). */
    static final boolean ENABLED = S.vectorBitSize() >= 512
            && !Boolean.getBoolean("nabla.conv.narrowFilterGradTile");

    /**
     * df rows [0, kr) (kr above 3) of the tile at dfi (row stride ldg) += sum over the np pixels i of
     * x[base[i] + koff[r]] * dy[gi + i * ldg + j], j in [0, WIDTH).
     */
    static void kernel(float[] x, int[] base, int np, int[] koff, float[] dy, int gi, int ldg, float[] df, int dfi,
                       int kr) {
        int o0 = koff[0], o1 = koff[1], o2 = koff[2], o3 = koff[3], o4 = koff[4], o5 = koff[5];
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        for (int i = 0; i < np; i++, gi += ldg) {
            int a = base[i];
            FloatVector b0 = FloatVector.fromArray(S, dy, gi);
            FloatVector b1 = FloatVector.fromArray(S, dy, gi + V);
            FloatVector b2 = FloatVector.fromArray(S, dy, gi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, dy, gi + 3 * V);
            FloatVector v = FloatVector.broadcast(S, x[a + o0]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            c02 = v.fma(b2, c02);
            c03 = v.fma(b3, c03);
            v = FloatVector.broadcast(S, x[a + o1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            c12 = v.fma(b2, c12);
            c13 = v.fma(b3, c13);
            v = FloatVector.broadcast(S, x[a + o2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            c22 = v.fma(b2, c22);
            c23 = v.fma(b3, c23);
            v = FloatVector.broadcast(S, x[a + o3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            c32 = v.fma(b2, c32);
            c33 = v.fma(b3, c33);
            v = FloatVector.broadcast(S, x[a + o4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            c42 = v.fma(b2, c42);
            c43 = v.fma(b3, c43);
            v = FloatVector.broadcast(S, x[a + o5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
            c52 = v.fma(b2, c52);
            c53 = v.fma(b3, c53);
        }
        // Written out, not a helper: a vector passed to a call that C2 did not inline is boxed on the heap in every
        // iteration of the loop above.
        int d = dfi;
        FloatVector.fromArray(S, df, d).add(c00).intoArray(df, d);
        FloatVector.fromArray(S, df, d + V).add(c01).intoArray(df, d + V);
        FloatVector.fromArray(S, df, d + 2 * V).add(c02).intoArray(df, d + 2 * V);
        FloatVector.fromArray(S, df, d + 3 * V).add(c03).intoArray(df, d + 3 * V);
        d += ldg;
        FloatVector.fromArray(S, df, d).add(c10).intoArray(df, d);
        FloatVector.fromArray(S, df, d + V).add(c11).intoArray(df, d + V);
        FloatVector.fromArray(S, df, d + 2 * V).add(c12).intoArray(df, d + 2 * V);
        FloatVector.fromArray(S, df, d + 3 * V).add(c13).intoArray(df, d + 3 * V);
        d += ldg;
        FloatVector.fromArray(S, df, d).add(c20).intoArray(df, d);
        FloatVector.fromArray(S, df, d + V).add(c21).intoArray(df, d + V);
        FloatVector.fromArray(S, df, d + 2 * V).add(c22).intoArray(df, d + 2 * V);
        FloatVector.fromArray(S, df, d + 3 * V).add(c23).intoArray(df, d + 3 * V);
        d += ldg;
        if (kr > 3) {
            FloatVector.fromArray(S, df, d).add(c30).intoArray(df, d);
            FloatVector.fromArray(S, df, d + V).add(c31).intoArray(df, d + V);
            FloatVector.fromArray(S, df, d + 2 * V).add(c32).intoArray(df, d + 2 * V);
            FloatVector.fromArray(S, df, d + 3 * V).add(c33).intoArray(df, d + 3 * V);
        }
        d += ldg;
        if (kr > 4) {
            FloatVector.fromArray(S, df, d).add(c40).intoArray(df, d);
            FloatVector.fromArray(S, df, d + V).add(c41).intoArray(df, d + V);
            FloatVector.fromArray(S, df, d + 2 * V).add(c42).intoArray(df, d + 2 * V);
            FloatVector.fromArray(S, df, d + 3 * V).add(c43).intoArray(df, d + 3 * V);
        }
        d += ldg;
        if (kr > 5) {
            FloatVector.fromArray(S, df, d).add(c50).intoArray(df, d);
            FloatVector.fromArray(S, df, d + V).add(c51).intoArray(df, d + V);
            FloatVector.fromArray(S, df, d + 2 * V).add(c52).intoArray(df, d + 2 * V);
            FloatVector.fromArray(S, df, d + 3 * V).add(c53).intoArray(df, d + 3 * V);
        }
    }
}
