import jdk.incubator.vector.*;
import java.util.*;
/**
 * GemmFloatKernel's 8 x 32 tile (its code written out here, as in KernelShape: the kernel is package-private) on
 * operands that stay in cache: one 64-row A block (kc = 512) against 8 packed B slivers (512 KiB), C += tile, the
 * loop order of GemmFloat.macro, one thread. How close the kernel alone comes to one core's FMA peak, without
 * packing, C misses and A read from memory. Args: LDA (A's row stride; A read in place) and "inplace" or "packed"
 * (A packed in 8-row slivers, every index the loop counter times a constant). GFLOP/s of the last 6 of 12 rounds.
 */
public class GemmTileInCache {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int V = S.length(), MR = 8, NR = 2 * V;
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

    static void tileP(int kc, float[] a, int ai, int stepR, int stepP, float[] b, int bi, int ldb,
                     float alpha, float beta, float[] c, int ci, int ldc, float[] scratch) {
        int r1 = stepR, r2 = 2 * stepR, r3 = 3 * stepR, r4 = 4 * stepR, r5 = 5 * stepR, r6 = 6 * stepR,
                r7 = 7 * stepR;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            int q = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + p * NR + V);
            FloatVector x = FloatVector.broadcast(S, a[q]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[q + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[q + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[q + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[q + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[q + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[q + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[q + 7]);
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

    private static void addScaled(float[] tile, float beta, float[] c, int ci, int ldc) {
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < NR; j += V) {
                int cr = ci + r * ldc + j;
                FloatVector.fromArray(S, c, cr).mul(beta).add(FloatVector.fromArray(S, tile, r * NR + j))
                        .intoArray(c, cr);
            }
        }
    }

    public static void main(String[] x) {
        int kc = 512, lda = Integer.parseInt(x[0]), mc = 64, slivers = 8;
        boolean pk = x[1].equals("packed");
        float[] a = new float[mc * lda + kc], ap = new float[mc * kc], b = new float[slivers * kc * NR];
        float[] c = new float[mc * lda], t = new float[MR * NR];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
        for (int i = 0; i < ap.length; i++) ap[i] = r.nextFloat();
        for (int rep = 0; rep < 12; rep++) {
            long t0 = System.nanoTime(); int calls = 0;
            for (int it = 0; it < 400; it++) {
                for (int s = 0; s < slivers; s++) for (int ir = 0; ir < mc; ir += MR) {
                    if (pk) tileP(kc, ap, ir * kc, 1, MR, b, s * kc * NR, NR, 1f, 1f, c, ir * lda + s * NR, lda, t);
                    else tile(kc, a, ir * lda, lda, 1, b, s * kc * NR, NR, 1f, 1f, c, ir * lda + s * NR, lda, t);
                    calls++;
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (rep >= 6) {
                System.out.printf(Locale.ROOT, "%s lda=%d: %.1f GFLOP/s%n", x[1], lda,
                        2.0 * MR * NR * kc * calls / s / 1e9);
            }
        }
    }
}
