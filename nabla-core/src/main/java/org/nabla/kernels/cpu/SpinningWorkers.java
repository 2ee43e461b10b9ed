package org.nabla.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads behind {@link Parallel}: after finishing work a worker spins for a short while before it parks, so an
 * op that follows within that window starts on all cores at once instead of paying a thread wake-up (tens of
 * microseconds on a virtual machine; OpenBLAS and OpenMP runtimes spin for the same reason). The caller always works
 * on the job too and takes every chunk no worker has claimed, so it never waits for a worker that has not started:
 * a busy or slow worker costs parallelism, never progress. A caller whose chunks are done parks until the workers'
 * are (the last one unparks it).
 *
 * <p>With {@code -Dnabla.adaptiveSplit=true} each call site's work runs split or serially, whichever {@link SplitChoices}
 * measured faster there (both ways run the same chunks, so results do not depend on the choice). Off by default: it
 * removes the mlp step's slow runs but cost the cnn step 10-18% (docs/benchmarks.md).
 */
final class SpinningWorkers {
    /** How long an idle worker spins before parking; {@code -Dnabla.spinMicros=0} parks at once. */
    private static final long SPIN_NANOS = Long.getLong("nabla.spinMicros", 200) * 1000;
    /**
     * How long a caller spins for the workers' last chunks before parking (the last worker unparks it). Zero by
     * default: measured, a spinning caller slowed large matrix products (the VM's two cores seem to share a physical
     * core's resources) and won nothing elsewhere.
     */
    private static final long CALLER_SPIN_NANOS = Long.getLong("nabla.callerSpinMicros", 0) * 1000;
    /**
     * A caller whose own chunks took less than this spins, for as long as they took, before parking: the workers'
     * chunks of a short job end within about that time, and a park + unpark costs 5-10 us on this VM (the cnn's
     * first layer at batch 1: 6 us split with the spin, 16 us median without). Long jobs park at once, as before.
     */
    private static final long SHORT_JOB_NANOS = Long.getLong("nabla.shortJobSpinMicros", 50) * 1000;
    /**
     * After a long job (its own chunks took SHORT_JOB_NANOS or more) the waiting caller parks until the last worker
     * unparks it (no lost wake-up: an unpark before the park leaves a permit); after a short one it still looks every
     * 50 us, as all waits did before. Measured on Zen 5, mlp inference at batch 1000 with a thread busy 3 ms in 20
     * beside it: mean call 1.04-1.38 ms with the 50-us wake-ups, 0.75-0.99 ms without (docs/benchmarks.md). Short
     * jobs (a training step's) keep the old wait: not measured apart there. {@code -Dnabla.callerParkMicros=50}
     * restores the polling for long jobs too.
     */
    private static final long CALLER_PARK_NANOS = Long.getLong("nabla.callerParkMicros", 0) * 1000;
    private static final long SHORT_JOB_PARK_NANOS = 50_000;

    /**
     * How long workers stay awake (spinning) after a site starts trying the parallel way, so the try does not time
     * their wake-up: its calls are one training step apart, longer than a worker spins on its own.
     */
    private static final long TRY_AWAKE_NANOS = 2_000_000;

    private final Worker[] workers;
    /** Null unless {@code -Dnabla.adaptiveSplit=true}: every call splits. */
    private final SplitChoices choices =
            Boolean.parseBoolean(System.getProperty("nabla.adaptiveSplit", "false")) ? new SplitChoices() : null;

    SpinningWorkers(int count) {
        workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    /** Whether the calling thread is one of these workers (nested parallel work then runs inline). */
    static boolean isWorker() { return Thread.currentThread() instanceof Worker; }

    /**
     * Runs {@code body} over {@code [0, n)} in {@code chunks} contiguous chunks, on the workers and the caller or, where
     * that has been faster for this call site, one after another on the caller.
     */
    void run(int n, int chunks, Parallel.RangeBody body) {
        if (choices == null) {
            split(n, chunks, body);
            return;
        }
        SplitChoices.Site site = choices.site(body.getClass(), n, chunks);
        boolean parallel = site.chooseParallel();
        if (parallel && site.tryStarts()) keepAwake(System.nanoTime() + TRY_AWAKE_NANOS);
        long t0 = System.nanoTime();
        if (parallel) split(n, chunks, body);
        else serially(n, chunks, body);
        site.record(parallel, System.nanoTime() - t0);
    }

    /** The same chunks as {@link #split}, in order on the calling thread. */
    private static void serially(int n, int chunks, Parallel.RangeBody body) {
        for (int c = 0; c < chunks; c++) body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
    }

    private void keepAwake(long until) {
        for (Worker w : workers) {
            w.awakeUntil = until;
            if (w.parked) LockSupport.unpark(w);
        }
    }

    private void split(int n, int chunks, Parallel.RangeBody body) {
        Job job = new Job(n, chunks, body, Thread.currentThread());
        int offered = 0;
        for (Worker w : workers) {
            if (offered == chunks - 1) break;
            // A worker that has just finished the previous job may not have emptied its slot yet: a job with every
            // chunk claimed is replaced too, or back-to-back jobs (a B packing, then its product) found the worker
            // "busy" and ran all their chunks on the caller.
            if (offer(w, job)) {
                offered++;
                if (w.parked) LockSupport.unpark(w);
            }
        }
        long t0 = System.nanoTime();
        job.work();
        long own = System.nanoTime() - t0;
        boolean shortJob = own < SHORT_JOB_NANOS;
        job.awaitDone(shortJob ? Math.max(own, CALLER_SPIN_NANOS) : CALLER_SPIN_NANOS,
                shortJob ? SHORT_JOB_PARK_NANOS : CALLER_PARK_NANOS);
    }

    /**
     * Puts {@code job} in the worker's slot unless the worker still has chunks of another job to claim. Retries only
     * when the worker emptied its slot in between (it never puts anything there).
     */
    private static boolean offer(Worker w, Job job) {
        while (true) {
            Job held = w.slot.get();
            if (held != null && !held.allClaimed()) return false;
            if (w.slot.compareAndSet(held, job)) return true;
        }
    }

    /** One parallel loop: chunks are claimed from a counter by whoever gets there first. */
    private static final class Job {
        private final int n;
        private final int chunks;
        private final Parallel.RangeBody body;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile Throwable error;

        Job(int n, int chunks, Parallel.RangeBody body, Thread caller) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.caller = caller;
        }

        /** Whether every chunk has been claimed (a worker holding this job has nothing left to start). */
        boolean allClaimed() { return next.get() >= chunks; }

        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable t) {
                    if (error == null) error = t;
                } finally {
                    if (done.incrementAndGet() == chunks && Thread.currentThread() != caller) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /**
         * Returns when every chunk is done, spinning up to {@code spinNanos} first, then parking for up to
         * {@code parkNanos} at a time (0: until unparked).
         */
        void awaitDone(long spinNanos, long parkNanos) {
            long spinUntil = spinNanos == 0 ? 0 : System.nanoTime() + spinNanos;
            while (done.get() < chunks) {
                if (spinUntil != 0 && System.nanoTime() < spinUntil) Thread.onSpinWait();
                else if (parkNanos > 0) LockSupport.parkNanos(this, parkNanos);
                else LockSupport.park(this);
            }
            Throwable t = error;
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }

    private static final class Worker extends Thread {
        private final AtomicReference<Job> slot = new AtomicReference<>();
        private volatile boolean parked;
        /** The worker spins at least until then ({@link System#nanoTime}), even without work. */
        private volatile long awakeUntil = System.nanoTime();

        Worker(int index) {
            super("nabla-intra-op-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            int spins = 0;
            while (true) {
                Job job = slot.get();
                if (job != null) {
                    job.work();
                    slot.compareAndSet(job, null); // unless a caller has already put its next job there
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS || System.nanoTime() - awakeUntil < 0) {
                    // Mostly a pause; now and then a yield, so a spinning worker gives way to threads with real work
                    // (the session's inter-op threads) when the cores are oversubscribed.
                    if ((++spins & 63) == 0) Thread.yield();
                    else Thread.onSpinWait();
                } else {
                    parked = true;
                    if (slot.get() == null) LockSupport.park(this);
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
