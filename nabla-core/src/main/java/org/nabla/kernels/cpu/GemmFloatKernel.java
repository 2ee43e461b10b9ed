package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernel of {@link GemmFloat}: an MR x NR tile of C (MR = 8 rows, NR = two vectors)
 * accumulated over kc steps in 16 vector registers (of AVX-512's 32), then scaled into C directly.
 *
 * <p>Both operands are addressed by strides, so one kernel reads packed slivers and matrices in place: A element
 * (row r, step p) is {@code a[ai + r * stepR + p * stepP]} (packed: 1, MR; row-major A: lda, 1; transposed A: 1, lda)
 * and B row p is the two vectors at {@code b[bi + p * ldb]} (packed: NR; row-major B in place: its row stride).
 */
final class GemmFloatKernel {
    /**
     * Vector shape of the micro-kernel; {@code -Dnabla.gemm.bits=256} selects 256-bit vectors. Defined here, not in
     * GemmFloat, which reads this class's constants: a cycle would leave NR at 0 for whichever class a program
     * touched first.
     */
    static final VectorSpecies<Float> S = Integer.getInteger("nabla.gemm.bits", 512) == 256
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    static final int MR = 8;
    static final int NR = 2 * V;

    private GemmFloatKernel() {}

    /**
     * C tile (MR x NR at c[ci], row stride ldc) = alpha * sum over p of A column p x B row p + beta * C tile, with C
     * not read when beta is 0 ({@code scratch}, MR x NR floats, is used when it is not). Every element's products are
     * added in p order, the same on every call.
     */
    static void tile(int kc, float[] a, int ai, int stepR, int stepP, float[] b, int bi, int ldb,
                     float alpha, float beta, float[] c, int ci, int ldc, float[] scratch) {
        int r1 = stepR, r2 = 2 * stepR, r3 = 3 * stepR, r4 = 4 * stepR, r5 = 5 * stepR, r6 = 6 * stepR,
                r7 = 7 * stepR;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++, ai += stepP, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + r1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + r2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + r3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ai + r4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ai + r5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ai + r6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ai + r7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        // Written out, not a helper per row: C2 stops inlining in a method this large, and a vector passed to a call
        // that is not inlined is boxed on the heap. One store sequence for both cases: with beta != 0 the scaled
        // sums go to the scratch tile and addScaled updates C from there (the same two roundings). A second,
        // C-updating sequence here was first reached at a product's second K block, where C2 deoptimized this
        // method and its recompiled code ran at under half speed for the rest of the process (Zen 5, sgemm n = 1024
        // after 256 and 512 in one JVM: ~120 instead of ~320 GFLOP/s).
        float[] d = beta == 0f ? c : scratch;
        int di = beta == 0f ? ci : 0, ld = beta == 0f ? ldc : NR;
        c00.mul(alpha).intoArray(d, di);
        c01.mul(alpha).intoArray(d, di + V);
        c10.mul(alpha).intoArray(d, di + ld);
        c11.mul(alpha).intoArray(d, di + ld + V);
        c20.mul(alpha).intoArray(d, di + 2 * ld);
        c21.mul(alpha).intoArray(d, di + 2 * ld + V);
        c30.mul(alpha).intoArray(d, di + 3 * ld);
        c31.mul(alpha).intoArray(d, di + 3 * ld + V);
        c40.mul(alpha).intoArray(d, di + 4 * ld);
        c41.mul(alpha).intoArray(d, di + 4 * ld + V);
        c50.mul(alpha).intoArray(d, di + 5 * ld);
        c51.mul(alpha).intoArray(d, di + 5 * ld + V);
        c60.mul(alpha).intoArray(d, di + 6 * ld);
        c61.mul(alpha).intoArray(d, di + 6 * ld + V);
        c70.mul(alpha).intoArray(d, di + 7 * ld);
        c71.mul(alpha).intoArray(d, di + 7 * ld + V);
        if (beta != 0f) addScaled(scratch, beta, c, ci, ldc);
    }

    /** C tile (MR x NR at c[ci]) = beta * C tile + tile (which holds alpha times the sums), vector by vector. */
    private static void addScaled(float[] tile, float beta, float[] c, int ci, int ldc) {
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < NR; j += V) {
                int cr = ci + r * ldc + j;
                FloatVector.fromArray(S, c, cr).mul(beta).add(FloatVector.fromArray(S, tile, r * NR + j))
                        .intoArray(c, cr);
            }
        }
    }
}
