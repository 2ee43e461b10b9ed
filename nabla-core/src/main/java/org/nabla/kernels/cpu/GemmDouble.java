package org.nabla.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The blocked float64 GEMM behind {@link Gemm#dgemm}, in the GotoBLAS/BLIS style: op(B) is packed in KC x NC panels
 * (cut into NR-wide column slivers), op(A) in MC x KC blocks (cut into MR-tall row slivers), and an MR x NR
 * register-blocked micro-kernel multiplies one A sliver by one B sliver with its accumulators in vector registers.
 * Block sizes fit a Zen 4 class core: a B sliver (KC x NR) stays in L1, an A block (MC x KC) in L2.
 *
 * <p>Threads share each packed B panel and take (A block, B slivers) items from a counter. Pack buffers are per
 * thread and reused: the B panel belongs to the calling thread, A blocks and result tiles to each working thread.
 */
final class GemmDouble {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int V = S.length();
    static final int MR = 6;
    static final int NR = 2 * V;
    static final int KC = 256;
    static final int MC = 96;
    static final int NC = 1024;

    /** Work items per thread per B panel: more than one, so that a thread slowed by a busy core takes fewer. */
    private static final int ITEMS_PER_THREAD = 8;
    /** A row-major A is read in place by the micro-kernel, as in GemmFloat (see {@link GemmFloat#PACK_A}). */
    static final boolean PACK_ROW_MAJOR_A = GemmFloat.PACK_A;
    /** B slivers per packing task: packing in parallel pays only for wide panels. */
    private static final int PACK_GRAIN = 16;

    /** The packed B panel (KC x NC), owned by the calling thread and read by every thread working for it. */
    private static final ThreadLocal<double[]> B_PANEL = ThreadLocal.withInitial(() -> new double[KC * NC]);
    /** Each working thread's packed A block (MC x KC) and MR x NR result tile. */
    private static final ThreadLocal<double[]> A_BLOCK = ThreadLocal.withInitial(() -> new double[MC * KC]);
    private static final ThreadLocal<double[]> TILE = ThreadLocal.withInitial(() -> new double[MR * NR]);

    private GemmDouble() {}

    /**
     * C = alpha * op(A) * op(B) + beta * C with up to {@code threads} threads; m, n, k > 0. For each KC x NC panel
     * of op(B), packed once and shared, the (A block, B slivers) items are handed out dynamically, so a thread on a
     * busy core simply does fewer of them.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc, int threads) {
        double[] bp = B_PANEL.get();
        // Equal-sized blocks (the last one no smaller than the others) avoid a thin, slow remainder block.
        int kcMax = balanced(k, KC, 1);
        int mcMax = balanced(m, MC, MR);
        int mBlocks = (m + mcMax - 1) / mcMax;
        for (int jc0 = 0; jc0 < n; jc0 += NC) {
            int jc = jc0;
            int nc = Math.min(NC, n - jc);
            int slivers = (nc + NR - 1) / NR;
            // Split each A block's slivers into chunks when there are too few A blocks to keep the threads busy.
            int wanted = threads == 1 ? 1 : (ITEMS_PER_THREAD * threads + mBlocks - 1) / mBlocks;
            int perChunk = (slivers + Math.min(slivers, wanted) - 1) / Math.min(slivers, wanted);
            int chunks = (slivers + perChunk - 1) / perChunk;
            int items = mBlocks * chunks;
            for (int pc0 = 0; pc0 < k; pc0 += kcMax) {
                int pc = pc0;
                int kc = Math.min(kcMax, k - pc);
                double betaHere = pc == 0 ? beta : 1.0; // later K blocks accumulate onto the first one's result
                if (threads == 1) {
                    packB(transB, b, bOff, ldb, pc, jc, kc, nc, bp, 0, slivers);
                } else {
                    Parallel.forRange(slivers, PACK_GRAIN,
                            (s0, s1) -> packB(transB, b, bOff, ldb, pc, jc, kc, nc, bp, s0, s1));
                }
                AtomicInteger next = new AtomicInteger();
                boolean directA = !transA && !PACK_ROW_MAJOR_A;
                Parallel.forRange(threads, 1, (t0, t1) -> {
                    double[] ap = A_BLOCK.get();
                    double[] tile = TILE.get();
                    int packed = -1;
                    for (int item; (item = next.getAndIncrement()) < items; ) {
                        int ib = item / chunks;
                        int ic = ib * mcMax;
                        int mc = Math.min(mcMax, m - ic);
                        int s0 = item % chunks * perChunk;
                        int s1 = Math.min(slivers, s0 + perChunk);
                        if (directA) {
                            macroDirect(a, aOff + ic * lda + pc, lda, ap, bp, mc, kc, nc, s0, s1, alpha, betaHere,
                                    c, cOff + ic * ldc + jc, ldc, tile);
                            continue;
                        }
                        if (ib != packed) {
                            packA(transA, a, aOff, lda, ic, pc, mc, kc, ap);
                            packed = ib;
                        }
                        macro(ap, bp, mc, kc, nc, s0, s1, alpha, betaHere, c, cOff + ic * ldc + jc, ldc, tile);
                    }
                });
            }
        }
    }

    /** One packed A block times B slivers [s0, s1) of the packed panel, into C (which starts at the block). */
    private static void macro(double[] ap, double[] bp, int mc, int kc, int nc, int s0, int s1, double alpha,
                              double beta, double[] c, int cOff, int ldc, double[] tile) {
        for (int s = s0; s < s1; s++) {
            int jr = s * NR;
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                kernel(kc, ap, ir * kc, MR, 1, bp, jr * kc, tile);
                store(tile, mr, nr, alpha, beta, c, cOff + ir * ldc + jr, ldc);
            }
        }
    }

    /**
     * Like {@link #macro} with A read in place: rows [0, mc) of a row-major A starting at {@code aIdx}, row stride
     * lda, kc columns. A last sliver of fewer than MR rows is packed (zero-padded) into {@code ap} first.
     */
    private static void macroDirect(double[] a, int aIdx, int lda, double[] ap, double[] bp, int mc, int kc, int nc,
                                    int s0, int s1, double alpha, double beta, double[] c, int cOff, int ldc,
                                    double[] tile) {
        int full = mc / MR * MR;
        if (full < mc) packA(false, a, aIdx, lda, full, 0, mc - full, kc, ap);
        for (int s = s0; s < s1; s++) {
            int jr = s * NR;
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                if (ir < full) {
                    kernel(kc, a, aIdx + ir * lda, 1, lda, bp, jr * kc, tile);
                } else {
                    kernel(kc, ap, 0, MR, 1, bp, jr * kc, tile);
                }
                store(tile, Math.min(MR, mc - ir), nr, alpha, beta, c, cOff + ir * ldc + jr, ldc);
            }
        }
    }

    /** C tile (mr x nr at c[ci]) = alpha * tile + beta * C tile. */
    private static void store(double[] tile, int mr, int nr, double alpha, double beta, double[] c, int ci, int ldc) {
        if (mr == MR && nr == NR) {
            update(tile, alpha, beta, c, ci, ldc);
            return;
        }
        for (int r = 0; r < mr; r++) {
            int cr = ci + r * ldc;
            for (int j = 0; j < nr; j++) {
                double v = alpha * tile[r * NR + j];
                c[cr + j] = beta == 0.0 ? v : v + beta * c[cr + j];
            }
        }
    }

    /** The block size that splits {@code total} into as few blocks of at most {@code max} as possible, evenly. */
    private static int balanced(int total, int max, int unit) {
        int blocks = (total + max - 1) / max;
        int size = (total + blocks - 1) / blocks;
        return Math.min(max, (size + unit - 1) / unit * unit);
    }

    /** Packs rows [ic, ic+mc) x cols [pc, pc+kc) of op(A) into MR-row slivers, p-major inside a sliver. */
    private static void packA(boolean transA, double[] a, int aOff, int lda, int ic, int pc, int mc, int kc,
                              double[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (transA) {
                // op(A)(i, p) = a[p * lda + i]: MR consecutive rows are contiguous for each p.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + ir;
                    int dst = base + p * MR;
                    for (int r = 0; r < mr; r++) ap[dst + r] = a[src + r];
                    for (int r = mr; r < MR; r++) ap[dst + r] = 0.0;
                }
            } else {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p];
                }
                for (int r = mr; r < MR; r++) {
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = 0.0;
                }
            }
        }
    }

    /**
     * Packs rows [pc, pc+kc) x cols [jc, jc+nc) of op(B) into NR-column slivers, p-major inside a sliver; only
     * slivers [s0, s1), so that threads can pack parts of one panel.
     */
    private static void packB(boolean transB, double[] b, int bOff, int ldb, int pc, int jc, int kc, int nc,
                              double[] bp, int s0, int s1) {
        for (int jr = s0 * NR; jr < Math.min(nc, s1 * NR); jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    if (nr == NR) {
                        for (int j = 0; j < NR; j += V) DoubleVector.fromArray(S, b, src + j).intoArray(bp, dst + j);
                    } else {
                        for (int j = 0; j < nr; j++) bp[dst + j] = b[src + j];
                        for (int j = nr; j < NR; j++) bp[dst + j] = 0.0;
                    }
                }
            } else {
                // op(B)(p, j) = b[j * ldb + p]: walk each source row (fixed j) contiguously.
                for (int j = 0; j < nr; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) bp[base + p * NR + j] = b[src + p];
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0; p < kc; p++) bp[base + p * NR + j] = 0.0;
                }
            }
        }
    }

    /**
     * The MR x NR micro-kernel: tile = sum over p of (A sliver column p) x (B sliver row p). The 12 accumulators are
     * locals so that they live in vector registers for the whole K loop.
     */
    private static void kernel(int kc, double[] ap, int ai, int stepP, int stepR, double[] bp, int bi, double[] tile) {
        // A element (row r, column p) is ap[ai + r * stepR + p * stepP]: packed (MR, 1) or in place (1, lda).
        int o1 = stepR, o2 = 2 * stepR, o3 = 3 * stepR, o4 = 4 * stepR, o5 = 5 * stepR;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        DoubleVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + V);
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[ai + o1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[ai + o2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[ai + o3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, ap[ai + o4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, ap[ai + o5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            ai += stepP;
            bi += NR;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, V);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + V);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + V);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + V);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + V);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + V);
    }

    /** C tile = alpha * tile + beta * C tile (C not read when beta is 0, as BLAS specifies). */
    private static void update(double[] tile, double alpha, double beta, double[] c, int ci, int ldc) {
        for (int r = 0; r < MR; r++, ci += ldc) {
            for (int j = 0; j < NR; j += V) {
                DoubleVector v = DoubleVector.fromArray(S, tile, r * NR + j).mul(alpha);
                if (beta != 0.0) v = DoubleVector.fromArray(S, c, ci + j).mul(beta).add(v);
                v.intoArray(c, ci + j);
            }
        }
    }
}
