package org.nabla.data;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Daemon threads for the background stages, all named {@code nabla-data-...} so tests can find leaks. */
final class Threads {
    /** Every background thread of the pipeline has a name starting with this. */
    static final String PREFIX = "nabla-data-";
    private static final AtomicLong COUNTER = new AtomicLong();
    /** How long closing a pass waits for its threads to finish the user code they are running. */
    private static final long STOP_WAIT_SECONDS = 60;

    private Threads() {}

    static ThreadFactory daemons(String kind) {
        return r -> {
            Thread t = new Thread(r, PREFIX + kind + "-" + COUNTER.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Waits for {@code thread} to end even if the caller was interrupted (the interrupt is kept). */
    static void join(Thread thread) {
        boolean interrupted = Thread.interrupted();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Stops {@code pool} and waits for its threads, keeping the caller's interrupt status. */
    static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = Thread.interrupted();
        try {
            pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
