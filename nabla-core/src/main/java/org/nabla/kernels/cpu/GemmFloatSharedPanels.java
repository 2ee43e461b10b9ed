package org.nabla.kernels.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The GotoBLAS/BLIS layout of {@link GemmFloat} for large products: op(B) is packed in KC x NC panels (NC up to
 * {@link #NC_SHARED} columns, sized for L3) shared by all threads, and each thread packs its own MC x KC block of
 * op(A) (sized for L2) and runs it against every sliver of the panel. Each A block is then read from memory once per
 * panel, not once per column strip as on the private-B path, and streams from L2 contiguously.
 *
 * <p>No barrier per K block: the work is one ordered list of tasks (for each panel: its packing in chunks, then one
 * task per A block) taken from a counter, with two panel buffers so that a thread done with its A blocks packs the
 * next panel while the others finish. A task waits only for tasks earlier in the list (its panel's packing; the
 * same A block's previous K block, for C's order; the panel two back, whose buffer it overwrites), each already
 * taken by a running thread, so the list finishes with any number of threads. Each C element sums its K blocks in
 * order, in the K blocks and with the tile arithmetic of {@link GemmFloat}'s other paths: the same bits.
 */
final class GemmFloatSharedPanels {
    /**
     * Whether wide products take this path instead of {@link GemmFloat#PRIVATE_B_COLS private B strips}
     * ({@code -Dnabla.gemm.shared=true}). Off: on Zen 5 (2 threads) it ran at the private strips' speed at n = 2048
     * and 5-15% below them at n = 1024; one thread alone, both layouts reach the same 83-86% of the core's FMA limit
     * (benchmarks.md, session 16).
     */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("nabla.gemm.shared", "false"));
    /** The fewest columns (and rows) of C that take this path on several threads. */
    static final int MIN_N = Integer.getInteger("nabla.gemm.sharedMinN", 1024);
    /** Columns of a shared B panel: KC x 2048 floats are 4 MiB, two buffers 8 MiB of the 32 MiB L3. */
    static final int NC_SHARED = Integer.getInteger("nabla.gemm.sharedNc", 2048) / GemmFloat.NR * GemmFloat.NR;
    /** Rows of an A block: 128 x KC floats are 256 KiB of the 1 MiB L2, beside a 64 KiB B sliver. */
    static final int MC_SHARED = Integer.getInteger("nabla.gemm.sharedMc", 128) / GemmFloat.MR * GemmFloat.MR;
    /** Whether each A block is packed (else read in place, as the other paths do). */
    static final boolean PACK_A = Boolean.parseBoolean(System.getProperty("nabla.gemm.sharedPackA", "true"));
    /** B slivers per packing task. */
    private static final int PACK_CHUNK = 16;

    /** The calling thread's two panel buffers, made on first use (8 MiB). */
    private static final ThreadLocal<float[][]> PANELS = ThreadLocal.withInitial(
            () -> new float[][] {new float[GemmFloat.KC * NC_SHARED], new float[GemmFloat.KC * NC_SHARED]});

    /** Each working thread's packed A block (MC_SHARED x KC; or its last, short sliver when A is read in place). */
    private static final ThreadLocal<float[]> A_BLOCK =
            ThreadLocal.withInitial(() -> new float[Math.max(MC_SHARED, GemmFloat.MR) * GemmFloat.KC]);

    private GemmFloatSharedPanels() {}

    /** Whether a product that packs B takes this path: at least MIN_N wide and tall, on several threads. */
    static boolean applies(int m, int n, int workers) { return ENABLED && workers > 1 && n >= MIN_N && m >= MIN_N; }

    /**
     * C = alpha * op(A) * op(B) + beta * C into c[0] on up to {@code threads} threads; {@code allocate} (when given)
     * fills c[0] on the first thread to start while the others pack the first panel. The epilogue (null: none) goes
     * over each tile after its last K block.
     */
    static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[][] cHolder, Runnable allocate, int cOff, int ldc, int threads,
                    GemmEpilogue epilogue) {
        Plan plan = Plan.of(m, n, k);
        float[][] panels = PANELS.get();
        AtomicInteger next = new AtomicInteger();
        AtomicIntegerArray packed = new AtomicIntegerArray(plan.panels());
        AtomicIntegerArray blocksDone = new AtomicIntegerArray(plan.panels());
        // Per (column panel, A block): how many of its K blocks are done (C's tiles take them in K order).
        AtomicIntegerArray kDone = new AtomicIntegerArray(plan.panels() / plan.kBlocks() * plan.aBlocks());
        AtomicReference<float[]> cRef = new AtomicReference<>(allocate == null ? cHolder[0] : null);
        AtomicBoolean allocated = new AtomicBoolean(allocate == null);
        AtomicBoolean failed = new AtomicBoolean();
        boolean directA = !PACK_A;
        Parallel.forRange(threads, 1, (t0, t1) -> {
            try {
                if (!allocated.getAndSet(true)) {
                    allocate.run();
                    cRef.set(cHolder[0]);
                }
                float[] ap = A_BLOCK.get();
                float[] edge = GemmFloat.B_EDGE.get();
                float[] tile = GemmFloat.TILE.get();
                int q = 0;
                for (int task; (task = next.getAndIncrement()) < plan.tasks(); ) {
                    while (task >= plan.end(q)) q++;
                    int jc = plan.jc(q), nc = plan.nc(q), pc = plan.pc(q), kc = plan.kc(q);
                    float[] bp = panels[q & 1];
                    int t = task - plan.start(q);
                    int chunks = plan.chunks(q);
                    if (t < chunks) {
                        // Packing reuses the buffer of panel q - 2: wait until its A blocks are done.
                        if (q >= 2) await(blocksDone, q - 2, plan.aBlocks(), failed);
                        int slivers = (nc + GemmFloat.NR - 1) / GemmFloat.NR;
                        GemmFloat.packB(transB, b, bOff, ldb, pc, jc, kc, nc, bp, 0,
                                (int) ((long) slivers * t / chunks), (int) ((long) slivers * (t + 1) / chunks));
                        packed.incrementAndGet(q);
                    } else {
                        int blk = t - chunks;
                        await(packed, q, chunks, failed);
                        int kBlock = q % plan.kBlocks();
                        int cBlock = q / plan.kBlocks() * plan.aBlocks() + blk;
                        if (kBlock > 0) await(kDone, cBlock, kBlock, failed);
                        float[] c = cRef.get();
                        while (c == null) {
                            Thread.onSpinWait();
                            c = cRef.get();
                        }
                        int ic = blk * plan.mc();
                        GemmFloat.Block block = new GemmFloat.Block(transA, directA, a, aOff, lda, false, bp, 0, ldb,
                                ic, pc, Math.min(plan.mc(), m - ic), kc, nc);
                        GemmFloat.macro(block, ap, edge, 0, (nc + GemmFloat.NR - 1) / GemmFloat.NR, alpha,
                                pc == 0 ? beta : 1f, c, cOff + ic * ldc + jc, ldc, tile,
                                pc + kc == k ? epilogue : null, jc);
                        kDone.set(cBlock, kBlock + 1);
                        blocksDone.incrementAndGet(q);
                    }
                }
            } catch (RuntimeException | Error e) {
                failed.set(true);
                throw e;
            }
        });
    }

    /** Spins until {@code counts[i]} reaches {@code target} (gives up when another thread has failed). */
    private static void await(AtomicIntegerArray counts, int i, int target, AtomicBoolean failed) {
        while (counts.get(i) < target) {
            if (failed.get()) throw new IllegalStateException("another GEMM thread failed");
            Thread.onSpinWait();
        }
    }

    /**
     * The panels (column panel jc outer, K block pc inner) and the task list: panel q's tasks are its packing
     * chunks, then one per A block, starting at task {@code start(q)}.
     */
    private record Plan(int n, int k, int mc, int aBlocks, int ncMax, int kcMax, int kBlocks, int panels,
                        int[] starts) {
        static Plan of(int m, int n, int k) {
            int mc = GemmFloat.balanced(m, MC_SHARED, GemmFloat.MR);
            int aBlocks = (m + mc - 1) / mc;
            int ncMax = GemmFloat.balanced(n, NC_SHARED, GemmFloat.NR);
            int kcMax = GemmFloat.balanced(k, GemmFloat.KC, 1);
            int kBlocks = (k + kcMax - 1) / kcMax;
            int panels = (n + ncMax - 1) / ncMax * kBlocks;
            int[] starts = new int[panels + 1];
            for (int q = 0; q < panels; q++) {
                int nc = Math.min(ncMax, n - q / kBlocks * ncMax);
                starts[q + 1] = starts[q] + chunksFor(nc) + aBlocks;
            }
            return new Plan(n, k, mc, aBlocks, ncMax, kcMax, kBlocks, panels, starts);
        }

        private static int chunksFor(int nc) {
            return Math.max(1, (nc + GemmFloat.NR - 1) / GemmFloat.NR / PACK_CHUNK);
        }

        int tasks() { return starts[panels]; }

        int start(int q) { return starts[q]; }

        int end(int q) { return starts[q + 1]; }

        int jc(int q) { return q / kBlocks * ncMax; }

        int nc(int q) { return Math.min(ncMax, n - jc(q)); }

        int pc(int q) { return q % kBlocks * kcMax; }

        int kc(int q) { return Math.min(kcMax, k - pc(q)); }

        int chunks(int q) { return chunksFor(nc(q)); }
    }
}
