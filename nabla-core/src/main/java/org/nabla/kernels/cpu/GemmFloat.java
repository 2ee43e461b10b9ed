package org.nabla.kernels.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The blocked float32 GEMM behind {@link Gemm#sgemm}, in the GotoBLAS/BLIS style: op(B) is packed in KC x NC panels
 * (cut into NR-wide column slivers), op(A) is cut into MC x KC blocks of MR-tall row slivers, and the MR x NR
 * register-blocked {@link GemmFloatKernel} multiplies one A sliver by one B sliver with its accumulators in vector
 * registers, storing straight into C. op(A) is read in place (row-major or transposed alike; only a last sliver of
 * fewer than MR rows is packed), and so is a row-major B when C has at most {@link #DIRECT_B_MAX_M} rows.
 * Block sizes were measured on Zen 4 (1 MiB L2): KC = 512 beat 128-256 by 5-10% at n = 1024-2048 (fewer passes over
 * C), an A block (MC x KC) and a B sliver (KC x NR) stay in L2.
 *
 * <p>Threads share each packed B panel and take (A block, B slivers) items from a counter; wide products (n of at
 * least two 256-column strips per thread) instead give each thread whole column strips with its own B panel
 * ({@link #runPrivateB}, measured on Zen 5), or with {@code -Dnabla.gemm.shared=true} share L3-sized panels
 * ({@link GemmFloatSharedPanels}, the GotoBLAS layout; off: no faster on Zen 5). Pack buffers are per thread and
 * reused: the shared B panel belongs to the calling thread, A blocks, private B strips and result tiles to each
 * working thread. Each C element sums its products in K order (in the same K blocks on every path) on one thread,
 * so results do not depend on the thread count.
 */
final class GemmFloat {
    /** Vector shape of the micro-kernel (defined there, so that class initializes without this one). */
    static final VectorSpecies<Float> S = GemmFloatKernel.S;
    static final int V = GemmFloatKernel.V;
    static final int MR = GemmFloatKernel.MR;
    static final int NR = GemmFloatKernel.NR;
    static final int KC = Integer.getInteger("nabla.gemm.kc", 512);
    static final int MC = Integer.getInteger("nabla.gemm.mc", 64);
    static final int NC = Integer.getInteger("nabla.gemm.nc", 1024);

    /** Work items per thread per B panel: more than one, so that a thread slowed by a busy core takes fewer. */
    private static final int ITEMS_PER_THREAD = 8;
    /**
     * op(A) is read in place by the micro-kernel (MR row streams) instead of being packed: measured faster at every
     * shape tried (row-major A: +3-10% for square n = 256-2048, +23% for a convolution's 227 x 64 x 288 tile;
     * transposed A, single thread: 784 x 128 x 32 (the mlp's weight gradient) 92 -> 66 us, 288 x 64 x 227 (a
     * convolution's filter gradient) 139 -> 75 us), since packing A is a scattered copy that skinny products barely
     * reuse. {@code -Dnabla.gemm.packA=true} packs always, for comparison.
     */
    static final boolean PACK_A = Boolean.getBoolean("nabla.gemm.packA");
    /**
     * Up to this many rows of C, a row-major B is read in place instead of packed: few A slivers reuse each B sliver,
     * so packing costs more than it saves (32 x 784 x 128, one thread: 77 -> 56 us), and with nothing shared the
     * threads need one parallel loop per product instead of two per K block. Up to 512 rows measured no slower.
     */
    static final int DIRECT_B_MAX_M = Integer.getInteger("nabla.gemm.directBMaxM", 256);
    /**
     * Columns of C per work item of the private-B path ({@link #runPrivateB}; {@code -Dnabla.gemm.privateB=0} turns
     * it off): each thread packs its own KC x 256 strip of B (512 KiB, in its core's L2) and runs all of A against
     * it, so the threads share nothing and wait for each other only at the end, where the shared path packs each
     * panel together and meets at two barriers per panel. Zen 5, 2 threads: n = 1024 and 2048 +10-15% (see
     * benchmarks.md). Taken where every thread gets at least two strips, so n >= 1024 on two threads.
     */
    static final int PRIVATE_B_COLS = Integer.getInteger("nabla.gemm.privateB", 256) / NR * NR;
    private static final int PRIVATE_B_MIN_ITEMS = 2;
    /** B slivers per packing task: packing in parallel pays only for wide panels (or a whole narrow B, below). */
    private static final int PACK_GRAIN = 16;
    /**
     * A narrow B (at most this many columns) with a K longer than KC, whose whole K fits one panel of at most a
     * quarter of the B buffer (and K at most 2 KC), is packed as one K block by all threads, and its A blocks are 2 MC
     * tall: one packing and one parallel loop instead of one of each per K block, C written once, and each B sliver
     * serving twice as many A rows. A dense layer's 1000 x 128 x 784 product, 2 threads, p10 of 400 calls in 3 JVMs
     * alternating: 937-963 us with KC/MC 512/64, 927-935 us with one K block, 910-929 us with MC 128, 897-920 us with
     * both. Shorter K keeps the blocks measured for it. {@code -Dnabla.gemm.narrowB=0} turns this off.
     */
    static final int NARROW_B_MAX_N = Integer.getInteger("nabla.gemm.narrowB", 128);

    /** The packed B panel (KC x NC), owned by the calling thread and read by every thread working for it. */
    private static final ThreadLocal<float[]> B_PANEL = ThreadLocal.withInitial(() -> new float[KC * NC]);
    /** Each working thread's packed A block (MC x KC) and MR x NR result tile. */
    private static final ThreadLocal<float[]> A_BLOCK = ThreadLocal.withInitial(() -> new float[MC * KC]);
    /** Each working thread's copy of a last, narrow B sliver when B is read in place. */
    static final ThreadLocal<float[]> B_EDGE = ThreadLocal.withInitial(() -> new float[KC * NR]);
    static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);
    /** Each working thread's own B strip on the private-B path. */
    private static final ThreadLocal<float[]> PRIVATE_B_PANEL =
            ThreadLocal.withInitial(() -> new float[KC * Math.max(NR, PRIVATE_B_COLS)]);

    private GemmFloat() {}

    /**
     * C = alpha * op(A) * op(B) + beta * C with up to {@code threads} threads; m, n, k > 0. For each KC x NC panel
     * of op(B), packed once and shared (or for all of a B read in place), the (A block, B slivers) items are handed
     * out dynamically, so a thread on a busy core simply does fewer of them.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc, int threads, GemmEpilogue epilogue) {
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, threads, epilogue, null);
    }

    /**
     * {@link #gemm} with op(B) already packed by {@link #packWhole} (null: packed here, panel by panel). Only used
     * where {@link #packs} says the product packs B.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc, int threads, GemmEpilogue epilogue, float[] packedB) {
        run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, new float[][] {c}, null, cOff, ldc,
                threads, epilogue, packedB);
    }

    /** Whether a product of this shape packs B (else it reads a row-major B in place). */
    private static boolean packs(boolean transB, int m) { return transB || m > DIRECT_B_MAX_M; }

    /** Whether a product of this shape may take a B packed ahead by {@link #packWhole}. */
    static boolean takesPackedB(boolean transB, int m) { return packs(transB, m) && NC % NR == 0; }

    /** Whether a narrow B (whole K as one block, A blocks 2 MC tall) applies to an n-column, k-deep B. */
    private static boolean narrowB(int n, int k) {
        return !PACK_A && n <= NARROW_B_MAX_N && k > KC && k <= 2 * KC && (long) k * n <= (long) KC * NC / 4;
    }

    /** The K block height of the packed path for this B. */
    private static int kcMax(int n, int k) { return narrowB(n, k) ? k : balanced(k, KC, 1); }

    /**
     * Where the (jc, pc) panel of a whole packed B starts: panels go NC-wide column panel by column panel, each
     * in K blocks, each block its slivers of NR columns (so every full column panel takes NC * k floats).
     */
    private static int panelOffset(int n, int k, int jc, int pc) {
        int nc = Math.min(NC, n - jc);
        return jc * k + pc * ((nc + NR - 1) / NR * NR);
    }

    /** All of op(B) (k x n) packed as the blocked path would pack it panel by panel, in one array. */
    static float[] packWhole(boolean transB, float[] b, int bOff, int ldb, int k, int n) {
        int kcMax = kcMax(n, k);
        int last = n - 1 - (n - 1) % NC;
        float[] packed = new float[panelOffset(n, k, last, 0) + (n - last + NR - 1) / NR * NR * k];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                packB(transB, b, bOff, ldb, pc, jc, Math.min(kcMax, k - pc), nc, packed, panelOffset(n, k, jc, pc),
                        0, (nc + NR - 1) / NR);
            }
        }
        return packed;
    }

    /**
     * op(A) * op(B) into a new m x n array. With several threads a worker allocates it while the calling thread packs
     * the first panel of B: a fresh array is cold memory that the JVM zeroes first, which costs a few percent of a
     * 256^3 product when done before it.
     */
    static float[] gemmNew(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, int threads) {
        float[][] c = new float[1][];
        run(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, c, () -> c[0] = new float[m * n], 0, n,
                threads, null, null);
        return c[0];
    }

    /**
     * The blocked product into c[0]; {@code allocate}, when given, fills c[0] alongside the first B packing. The
     * epilogue (null: none) goes over each C tile right after its last K block.
     */
    private static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[][] cHolder, Runnable allocate, int cOff, int ldc, int threads,
                            GemmEpilogue epilogue, float[] packedB) {
        boolean directA = !PACK_A;
        if (!packs(transB, m)) {
            if (allocate != null) allocate.run();
            runDirectB(transA, directA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, cHolder[0], cOff, ldc,
                    threads, epilogue);
            return;
        }
        int workers = Math.min(threads, Parallel.THREADS);
        if (packedB == null && !narrowB(n, k) && GemmFloatSharedPanels.applies(m, n, workers)) {
            GemmFloatSharedPanels.run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, cHolder,
                    allocate, cOff, ldc, threads, epilogue);
            return;
        }
        if (packedB == null && workers > 1 && PRIVATE_B_COLS > 0 && !narrowB(n, k)
                && n >= PRIVATE_B_COLS * PRIVATE_B_MIN_ITEMS * workers) {
            runPrivateB(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, cHolder, allocate, cOff, ldc,
                    threads, epilogue);
            return;
        }
        float[] bp = packedB != null ? packedB : B_PANEL.get();
        // Equal-sized blocks (the last one no smaller than the others) avoid a thin, slow remainder block.
        boolean narrowB = narrowB(n, k);
        int kcMax = kcMax(n, k);
        int mcMax = narrowB ? 2 * MC : MC;
        for (int jc0 = 0; jc0 < n; jc0 += NC) {
            int jc = jc0;
            int nc = Math.min(NC, n - jc);
            Items work = Items.of(m, nc, threads, mcMax);
            int slivers = work.slivers();
            for (int pc0 = 0; pc0 < k; pc0 += kcMax) {
                int pc = pc0;
                int kc = Math.min(kcMax, k - pc);
                float betaHere = pc == 0 ? beta : 1f; // later K blocks accumulate onto the first one's result
                GemmEpilogue last = pc + kc == k ? epilogue : null;
                Runnable alongside = jc == 0 && pc == 0 ? allocate : null;
                int bpOff = packedB != null ? panelOffset(n, k, jc, pc) : 0;
                if (packedB != null) {
                    if (alongside != null) alongside.run();
                } else if (threads == 1) {
                    if (alongside != null) alongside.run();
                    packB(transB, b, bOff, ldb, pc, jc, kc, nc, bp, 0, 0, slivers);
                } else {
                    // B in parts of at least PACK_GRAIN slivers (a narrow B's one panel: a sliver per thread),
                    // plus the allocation as one more task.
                    int parts = Math.max(1, Math.min(threads, narrowB ? slivers : slivers / PACK_GRAIN));
                    Parallel.forRange(parts + (alongside == null ? 0 : 1), 1, (t0, t1) -> {
                        for (int t = t0; t < t1; t++) {
                            if (t == parts) {
                                alongside.run();
                            } else {
                                packB(transB, b, bOff, ldb, pc, jc, kc, nc, bp, 0, (int) ((long) slivers * t / parts),
                                        (int) ((long) slivers * (t + 1) / parts));
                            }
                        }
                    });
                }
                float[] c = cHolder[0];
                AtomicInteger next = new AtomicInteger();
                Parallel.forRange(threads, 1, (t0, t1) -> {
                    float[] ap = A_BLOCK.get();
                    float[] edge = B_EDGE.get();
                    float[] tile = TILE.get();
                    for (int item; (item = next.getAndIncrement()) < work.count(); ) {
                        int ic = work.row(item);
                        int mc = Math.min(work.mc(), m - ic);
                        int s0 = work.firstSliver(item);
                        Block blk = new Block(transA, directA, a, aOff, lda, false, bp, bpOff, ldb, ic, pc, mc, kc,
                                nc);
                        macro(blk, ap, edge, s0, work.endSliver(s0), alpha, betaHere, c, cOff + ic * ldc + jc, ldc,
                                tile, last, jc);
                    }
                });
            }
        }
    }

    /**
     * The product with a row-major B read in place: nothing is shared between threads, so one parallel loop hands
     * out (A block, B slivers) items and each item runs all its K blocks, in order, on its own C tile.
     */
    private static void runDirectB(boolean transA, boolean directA, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc, int threads, GemmEpilogue epilogue) {
        int kcMax = balanced(k, KC, 1);
        Items work = Items.of(m, n, threads, MC);
        AtomicInteger next = new AtomicInteger();
        Parallel.forRange(threads, 1, (t0, t1) -> {
            float[] ap = A_BLOCK.get();
            float[] edge = B_EDGE.get();
            float[] tile = TILE.get();
            for (int item; (item = next.getAndIncrement()) < work.count(); ) {
                int ic = work.row(item);
                int mc = Math.min(work.mc(), m - ic);
                int s0 = work.firstSliver(item);
                int s1 = work.endSliver(s0);
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    Block blk = new Block(transA, directA, a, aOff, lda, true, b, bOff + pc * ldb, ldb, ic, pc, mc,
                            kc, n);
                    macro(blk, ap, edge, s0, s1, alpha, pc == 0 ? beta : 1f, c, cOff + ic * ldc, ldc, tile,
                            pc + kc == k ? epilogue : null, 0);
                }
            }
        });
    }

    /**
     * The packed path without sharing: items are PRIVATE_B_COLS-wide column strips of C, taken from a counter; a
     * thread packs its strip of B one K block at a time into its own panel and multiplies every A block by it. The
     * K blocks are the shared path's, so each element gets the same bits. {@code allocate} (when given) runs on the
     * first thread to start while the others pack their first panel.
     */
    private static void runPrivateB(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float beta, float[][] cHolder, Runnable allocate, int cOff, int ldc, int threads,
                                    GemmEpilogue epilogue) {
        boolean directA = !PACK_A;
        int kcMax = balanced(k, KC, 1);
        int mc = balanced(m, MC, MR);
        int items = (n + PRIVATE_B_COLS - 1) / PRIVATE_B_COLS;
        AtomicInteger next = new AtomicInteger();
        AtomicReference<float[]> cRef = new AtomicReference<>(allocate == null ? cHolder[0] : null);
        AtomicBoolean allocated = new AtomicBoolean(allocate == null);
        Parallel.forRange(threads, 1, (t0, t1) -> {
            if (!allocated.getAndSet(true)) {
                allocate.run();
                cRef.set(cHolder[0]);
            }
            float[] bp = PRIVATE_B_PANEL.get();
            float[] ap = A_BLOCK.get();
            float[] edge = B_EDGE.get();
            float[] tile = TILE.get();
            for (int item; (item = next.getAndIncrement()) < items; ) {
                int jc = item * PRIVATE_B_COLS;
                int nc = Math.min(PRIVATE_B_COLS, n - jc);
                int slivers = (nc + NR - 1) / NR;
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    packB(transB, b, bOff, ldb, pc, jc, kc, nc, bp, 0, 0, slivers);
                    float[] c = cRef.get();
                    while (c == null) { // another thread is allocating C
                        Thread.onSpinWait();
                        c = cRef.get();
                    }
                    for (int ic = 0; ic < m; ic += mc) {
                        Block blk = new Block(transA, directA, a, aOff, lda, false, bp, 0, ldb, ic, pc,
                                Math.min(mc, m - ic), kc, nc);
                        macro(blk, ap, edge, 0, slivers, alpha, pc == 0 ? beta : 1f, c, cOff + ic * ldc + jc, ldc,
                                tile, pc + kc == k ? epilogue : null, jc);
                    }
                }
            }
        });
    }

    /**
     * Rows [ic, ic + mc) of C = op(A) * op(B) (alpha 1, beta 0) over every column, op(B) packed whole by
     * {@link #packWhole}, on the calling thread; C's row ic is at c[cOff] (so a thread's own small buffer serves).
     * The K blocks, their order and the tile arithmetic are {@link #run}'s, so every element gets the bits of the
     * whole product; the epilogue (null: none) goes over each tile after its last K block.
     */
    static void rowBlock(boolean transA, int n, int k, float[] a, int aOff, int lda, float[] packedB, int ic, int mc,
                         float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        boolean directA = !PACK_A;
        int kcMax = kcMax(n, k);
        float[] ap = A_BLOCK.get();
        float[] edge = B_EDGE.get();
        float[] tile = TILE.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int slivers = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                Block blk = new Block(transA, directA, a, aOff, lda, false, packedB, panelOffset(n, k, jc, pc), 0, ic,
                        pc, mc, kc, nc);
                macro(blk, ap, edge, 0, slivers, 1f, pc == 0 ? 0f : 1f, c, cOff + jc, ldc, tile,
                        pc + kc == k ? epilogue : null, jc);
            }
        }
    }

    /**
     * The work items of one product (or one NC-wide panel of it): A blocks of mc rows (equal-sized: the last no
     * smaller than the others, so no thin, slow remainder) times chunks of NR-wide B slivers. Each A block's slivers
     * are split into chunks when there are too few A blocks to keep the threads busy; item i is A block i / chunks,
     * chunk i % chunks.
     */
    private record Items(int mc, int slivers, int chunks, int perChunk, int count) {
        static Items of(int m, int n, int threads, int mcMax) {
            int mc = balanced(m, mcMax, MR);
            int mBlocks = (m + mc - 1) / mc;
            int slivers = (n + NR - 1) / NR;
            int wanted = threads == 1 ? 1 : (ITEMS_PER_THREAD * threads + mBlocks - 1) / mBlocks;
            int perChunk = (slivers + Math.min(slivers, wanted) - 1) / Math.min(slivers, wanted);
            int chunks = (slivers + perChunk - 1) / perChunk;
            return new Items(mc, slivers, chunks, perChunk, mBlocks * chunks);
        }

        /** The first row of item i's A block. */
        int row(int i) { return i / chunks * mc; }

        /** The first B sliver of item i. */
        int firstSliver(int i) { return i % chunks * perChunk; }

        /** The end (exclusive) of the slivers of the item starting at sliver s0. */
        int endSliver(int s0) { return Math.min(slivers, s0 + perChunk); }
    }

    /**
     * Where one item's operands are: rows [ic, ic + mc) x steps [pc, pc + kc) of op(A), read in place or packed,
     * and the B panel (packed, or the row-major B read in place from {@code bIdx} with row stride ldb).
     */
    record Block(boolean transA, boolean directA, float[] a, int aOff, int lda, boolean directB, float[] b,
                 int bIdx, int ldb, int ic, int pc, int mc, int kc, int nc) {}

    /**
     * One A block times B slivers [s0, s1), into C (which starts at the block, column col0 of the whole C); the
     * epilogue (null: none) goes over each tile as soon as it is stored, while it is in L1.
     */
    static void macro(Block k, float[] ap, float[] edge, int s0, int s1, float alpha, float beta,
                      float[] c, int cOff, int ldc, float[] tile, GemmEpilogue epilogue, int col0) {
        int mc = k.mc(), kc = k.kc();
        // In place, A element (r, p) of the block is a[aIdx + r * stepR + p * stepP]; a last sliver of fewer than
        // MR rows is packed (zero-padded) into ap. Packed, the whole block is in ap.
        int full = k.directA() ? mc / MR * MR : 0;
        int stepR = k.transA() ? 1 : k.lda(), stepP = k.transA() ? k.lda() : 1;
        int aIdx = k.aOff() + (k.transA() ? k.pc() * k.lda() + k.ic() : k.ic() * k.lda() + k.pc());
        if (full < mc) packA(k.transA(), k.a(), k.aOff(), k.lda(), k.ic() + full, k.pc(), mc - full, kc, ap);
        for (int s = s0; s < s1; s++) {
            int jr = s * NR;
            int nr = Math.min(NR, k.nc() - jr);
            float[] bs = k.b();
            int bi = k.bIdx() + jr * kc, ldb = NR;
            if (k.directB()) {
                bi = k.bIdx() + jr;
                ldb = k.ldb();
                if (nr < NR) { // a last, narrow sliver: zero-padded copy
                    packSliver(bs, bi, ldb, kc, nr, edge);
                    bs = edge;
                    bi = 0;
                    ldb = NR;
                }
            }
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                float[] as = ap;
                int ai = (ir - full) * kc, sr = 1, sp = MR;
                if (ir < full) {
                    as = k.a();
                    ai = aIdx + ir * stepR;
                    sr = stepR;
                    sp = stepP;
                }
                int ci = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    GemmFloatKernel.tile(kc, as, ai, sr, sp, bs, bi, ldb, alpha, beta, c, ci, ldc, tile);
                } else {
                    GemmFloatKernel.tile(kc, as, ai, sr, sp, bs, bi, ldb, 1f, 0f, tile, 0, NR, tile);
                    store(tile, mr, nr, alpha, beta, c, ci, ldc);
                }
                if (epilogue != null) epilogue.apply(c, ci, ldc, mr, col0 + jr, nr);
            }
        }
    }

    /** Rows [0, kc) x columns [0, nr) of a row-major matrix at b[bi] (row stride ldb) as one zero-padded sliver. */
    private static void packSliver(float[] b, int bi, int ldb, int kc, int nr, float[] dst) {
        for (int p = 0; p < kc; p++) {
            int src = bi + p * ldb, d = p * NR;
            for (int j = 0; j < nr; j++) dst[d + j] = b[src + j];
            for (int j = nr; j < NR; j++) dst[d + j] = 0f;
        }
    }

    /** C tile (mr x nr at c[ci]) = alpha * tile + beta * C tile, with the arithmetic of the kernel's own store. */
    private static void store(float[] tile, int mr, int nr, float alpha, float beta, float[] c, int ci, int ldc) {
        for (int r = 0; r < mr; r++) {
            int cr = ci + r * ldc;
            for (int j = 0; j < nr; j++) {
                float v = alpha * tile[r * NR + j];
                c[cr + j] = beta == 0f ? v : beta * c[cr + j] + v;
            }
        }
    }

    /** The block size that splits {@code total} into as few blocks of at most {@code max} as possible, evenly. */
    static int balanced(int total, int max, int unit) {
        int blocks = (total + max - 1) / max;
        int size = (total + blocks - 1) / blocks;
        return Math.min(max, (size + unit - 1) / unit * unit);
    }

    /** Packs rows [ic, ic+mc) x cols [pc, pc+kc) of op(A) into MR-row slivers, p-major inside a sliver. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc,
                              float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (transA) {
                // op(A)(i, p) = a[p * lda + i]: MR consecutive rows are contiguous for each p.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + ir;
                    int dst = base + p * MR;
                    for (int r = 0; r < mr; r++) ap[dst + r] = a[src + r];
                    for (int r = mr; r < MR; r++) ap[dst + r] = 0f;
                }
            } else {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p];
                }
                for (int r = mr; r < MR; r++) {
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs rows [pc, pc+kc) x cols [jc, jc+nc) of op(B) into NR-column slivers, p-major inside a sliver; only
     * slivers [s0, s1), so that threads can pack parts of one panel. The panel starts at bp[bpOff].
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc,
                      float[] bp, int bpOff, int s0, int s1) {
        for (int jr = s0 * NR; jr < Math.min(nc, s1 * NR); jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = bpOff + jr * kc;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    if (nr == NR) {
                        for (int j = 0; j < NR; j += V) FloatVector.fromArray(S, b, src + j).intoArray(bp, dst + j);
                    } else {
                        for (int j = 0; j < nr; j++) bp[dst + j] = b[src + j];
                        for (int j = nr; j < NR; j++) bp[dst + j] = 0f;
                    }
                }
            } else {
                // op(B)(p, j) = b[j * ldb + p]: walk each source row (fixed j) contiguously.
                for (int j = 0; j < nr; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) bp[base + p * NR + j] = b[src + p];
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0; p < kc; p++) bp[base + p * NR + j] = 0f;
                }
            }
        }
    }
}
