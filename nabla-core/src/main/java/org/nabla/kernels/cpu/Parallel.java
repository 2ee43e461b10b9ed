package org.nabla.kernels.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Intra-op parallelism: splits a range of independent work items across the cores. Small work runs inline on the
 * calling thread, because waking other threads costs microseconds.
 */
public final class Parallel {
    /** Cores used by kernels; {@code -Dnabla.threads=N} overrides (1 makes every kernel serial). */
    public static final int THREADS = Integer.getInteger("nabla.threads", Runtime.getRuntime().availableProcessors());

    /** {@code -Dnabla.parallel=forkjoin} uses a ForkJoinPool (parks at once) instead of the spinning workers. */
    private static final boolean FORK_JOIN = System.getProperty("nabla.parallel", "spin").equals("forkjoin");
    private static final SpinningWorkers WORKERS = FORK_JOIN || THREADS <= 1 ? null
            : new SpinningWorkers(THREADS - 1);
    private static final ForkJoinPool POOL = !FORK_JOIN ? null : new ForkJoinPool(Math.max(1, THREADS), pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("nabla-intra-op-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }, null, false);

    private Parallel() {}

    /** A body that processes items {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in at most {@link #THREADS} contiguous chunks, each at least
     * {@code grain} items; returns when all are done. Exceptions from any chunk propagate.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int chunks = (int) Math.min(THREADS, Math.max(1, n / Math.max(1, (long) grain)));
        if (chunks <= 1 || SpinningWorkers.isWorker()
                || FORK_JOIN && ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == POOL) {
            if (n > 0) body.run(0, n);
            return;
        }
        if (!FORK_JOIN) {
            WORKERS.run(n, chunks, body);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = POOL.submit(() -> body.run(from, to));
        }
        body.run(0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> t : tasks) t.join();
    }
}
