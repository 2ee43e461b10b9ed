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
     * not read when beta is 0. Every element's products are added in p order, the same on every call.
     */
    static void tile(int kc, float[] a, int ai, int stepR, int stepP, float[] b, int bi, int ldb,
                     float alpha, float beta, float[] c, int ci, int ldc) {
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
        // that is not inlined is boxed on the heap.
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, ci);
            c01.mul(alpha).intoArray(c, ci + V);
            c10.mul(alpha).intoArray(c, ci + ldc);
            c11.mul(alpha).intoArray(c, ci + ldc + V);
            c20.mul(alpha).intoArray(c, ci + 2 * ldc);
            c21.mul(alpha).intoArray(c, ci + 2 * ldc + V);
            c30.mul(alpha).intoArray(c, ci + 3 * ldc);
            c31.mul(alpha).intoArray(c, ci + 3 * ldc + V);
            c40.mul(alpha).intoArray(c, ci + 4 * ldc);
            c41.mul(alpha).intoArray(c, ci + 4 * ldc + V);
            c50.mul(alpha).intoArray(c, ci + 5 * ldc);
            c51.mul(alpha).intoArray(c, ci + 5 * ldc + V);
            c60.mul(alpha).intoArray(c, ci + 6 * ldc);
            c61.mul(alpha).intoArray(c, ci + 6 * ldc + V);
            c70.mul(alpha).intoArray(c, ci + 7 * ldc);
            c71.mul(alpha).intoArray(c, ci + 7 * ldc + V);
        } else {
            FloatVector.fromArray(S, c, ci).mul(beta).add(c00.mul(alpha)).intoArray(c, ci);
            FloatVector.fromArray(S, c, ci + V).mul(beta).add(c01.mul(alpha)).intoArray(c, ci + V);
            FloatVector.fromArray(S, c, ci + ldc).mul(beta).add(c10.mul(alpha)).intoArray(c, ci + ldc);
            FloatVector.fromArray(S, c, ci + ldc + V).mul(beta).add(c11.mul(alpha)).intoArray(c, ci + ldc + V);
            FloatVector.fromArray(S, c, ci + 2 * ldc).mul(beta).add(c20.mul(alpha)).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(S, c, ci + 2 * ldc + V).mul(beta).add(c21.mul(alpha)).intoArray(c, ci + 2 * ldc + V);
            FloatVector.fromArray(S, c, ci + 3 * ldc).mul(beta).add(c30.mul(alpha)).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(S, c, ci + 3 * ldc + V).mul(beta).add(c31.mul(alpha)).intoArray(c, ci + 3 * ldc + V);
            FloatVector.fromArray(S, c, ci + 4 * ldc).mul(beta).add(c40.mul(alpha)).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(S, c, ci + 4 * ldc + V).mul(beta).add(c41.mul(alpha)).intoArray(c, ci + 4 * ldc + V);
            FloatVector.fromArray(S, c, ci + 5 * ldc).mul(beta).add(c50.mul(alpha)).intoArray(c, ci + 5 * ldc);
            FloatVector.fromArray(S, c, ci + 5 * ldc + V).mul(beta).add(c51.mul(alpha)).intoArray(c, ci + 5 * ldc + V);
            FloatVector.fromArray(S, c, ci + 6 * ldc).mul(beta).add(c60.mul(alpha)).intoArray(c, ci + 6 * ldc);
            FloatVector.fromArray(S, c, ci + 6 * ldc + V).mul(beta).add(c61.mul(alpha)).intoArray(c, ci + 6 * ldc + V);
            FloatVector.fromArray(S, c, ci + 7 * ldc).mul(beta).add(c70.mul(alpha)).intoArray(c, ci + 7 * ldc);
            FloatVector.fromArray(S, c, ci + 7 * ldc + V).mul(beta).add(c71.mul(alpha)).intoArray(c, ci + 7 * ldc + V);
        }
    }
}
