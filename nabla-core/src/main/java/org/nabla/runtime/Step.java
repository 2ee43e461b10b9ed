package org.nabla.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.kernels.Rendezvous;

/**
 * One run of a prepared plan (TensorFlow's "step"): the partitions' frames, the rendezvous they exchange tensors
 * through, the resources their variable ops use, where ready nodes go, and the live-bytes accounting. Completes when
 * every partition has run all its nodes, or at the first error (which aborts the rendezvous so waiting Recvs fail).
 */
final class Step {
    /** Where ready nodes go. */
    interface Dispatcher {
        void dispatch(Executor.Task task);

        /** Whether a node that became ready may run at once on the thread that finished its last input. */
        boolean allowsInline();
    }

    private static final AtomicLong NEXT_ID = new AtomicLong();

    /** What kernels see as the step id: unique in this process for a session's runs (from {@link #nextId()}). */
    final long id;
    final Rendezvous rendezvous;
    final ResourceManager resources;
    final Dispatcher dispatcher;
    final ConcurrentLinkedQueue<RunMetadata.NodeStats> stats;
    /** Where function calls of this step's kernels go (null: each function on its own CPU devices, no step). */
    final FunctionRuntime functions;
    /** The step this one runs a function call for (null for a top-level step): its failure cancels this one. */
    final Step parent;
    final long startNanos = System.nanoTime();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicInteger openPartitions;
    private final AtomicLong live = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final BlockingQueue<Executor.Task> queue;
    /** Parallel mode: dispatched tasks not started yet; pool threads and the waiting caller both take from it. */
    private final ConcurrentLinkedQueue<Executor.Task> shared;
    /** Parallel mode: the caller waiting in {@link #run}, woken by dispatches and by the end of the step. */
    private volatile Thread waiter;

    /** A fresh id for a session's run: unique in this process, from 1 (0 stands for eager calls). */
    static long nextId() { return NEXT_ID.incrementAndGet(); }

    Step(long id, int partitions, ExecutionMode mode, ExecutorService pool, ResourceManager resources, Rendezvous rendezvous,
         boolean collectStats) {
        this(id, partitions, mode, pool, resources, rendezvous, collectStats, null, null);
    }

    Step(long id, int partitions, ExecutionMode mode, ExecutorService pool, ResourceManager resources, Rendezvous rendezvous,
         boolean collectStats, FunctionRuntime functions, Step parent) {
        this.id = id;
        this.functions = functions;
        this.parent = parent;
        this.openPartitions = new AtomicInteger(partitions);
        this.resources = resources;
        this.rendezvous = rendezvous;
        this.stats = collectStats ? new ConcurrentLinkedQueue<>() : null;
        if (partitions == 0) done.complete(null);
        if (mode == ExecutionMode.PARALLEL) {
            queue = null;
            shared = new ConcurrentLinkedQueue<>();
            Runnable takeOne = () -> {
                Executor.Task t = shared.poll();
                if (t != null) t.run();
            };
            dispatcher = new Dispatcher() {
                @Override public void dispatch(Executor.Task task) {
                    // the task waits in the step's queue for whoever comes first: a pool thread, or the caller,
                    // which helps instead of sleeping until the step ends (on a loaded machine the pool threads
                    // may not get a core soon)
                    shared.add(task);
                    pool.execute(takeOne);
                    Thread w = waiter;
                    if (w != null) LockSupport.unpark(w);
                }

                @Override public boolean allowsInline() { return true; }
            };
        } else {
            shared = null;
            queue = mode == ExecutionMode.DETERMINISTIC ? new PriorityBlockingQueue<>() : new LinkedBlockingQueue<>();
            boolean inline = mode == ExecutionMode.SERIAL;
            dispatcher = new Dispatcher() {
                @Override public void dispatch(Executor.Task task) { queue.add(task); }

                @Override public boolean allowsInline() { return inline; }
            };
        }
    }

    /** Runs the frames to completion (on the pool, or on this thread in serial modes); rethrows the first error. */
    List<Tensor[]> run(List<Executor.Frame> frames) {
        List<Executor.Task> ready = new ArrayList<>();
        for (Executor.Frame f : frames) f.begin(ready);
        try {
            if (queue == null && !ready.isEmpty()) {
                // the caller takes the cheap ready nodes and one expensive one (and what they make ready) instead of
                // idling: a small graph then runs without any thread hand-off
                boolean expensiveKept = false;
                for (Executor.Frame f : frames) {
                    int[] mine = new int[ready.size()];
                    int count = 0;
                    for (Executor.Task t : ready) {
                        if (t.frame() != f) continue;
                        boolean cheap = f.isCheap(t.node());
                        if (cheap || !expensiveKept) {
                            mine[count++] = t.node();
                            expensiveKept |= !cheap;
                        } else {
                            dispatcher.dispatch(t);
                        }
                    }
                    if (count > 0) Executor.Task.run(f, java.util.Arrays.copyOf(mine, count));
                }
            } else {
                for (Executor.Task t : ready) dispatcher.dispatch(t);
            }
            if (shared != null) {
                waiter = Thread.currentThread();
                while (!done.isDone()) {
                    Executor.Task t = shared.poll();
                    if (t != null) {
                        t.run();
                    } else if (parent == null) {
                        LockSupport.park(this);
                        if (Thread.interrupted()) throw new InterruptedException();
                    } else {
                        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                        if (Thread.interrupted()) throw new InterruptedException();
                        failIfParentFailed();
                    }
                }
            }
            if (queue != null) {
                while (!done.isDone()) {
                    Executor.Task t = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (t != null) t.run();
                    else failIfParentFailed();
                }
            }
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new IllegalStateException("session run interrupted", e));
            throw new IllegalStateException("session run interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
        List<Tensor[]> fetched = new ArrayList<>(frames.size());
        for (Executor.Frame f : frames) fetched.add(f.fetched());
        return fetched;
    }

    /**
     * A function call's step ends when the step it runs for fails: its nodes stop being run (see {@link #failed}),
     * so it would otherwise wait for nodes that never finish.
     */
    private void failIfParentFailed() {
        if (parent != null && parent.failed() && !done.isDone()) {
            fail(new IllegalStateException("step " + id + " was cancelled: it failed elsewhere"));
        }
    }

    void partitionDone() {
        if (openPartitions.decrementAndGet() == 0) {
            done.complete(null);
            wakeWaiter();
        }
    }

    void fail(Throwable t) {
        if (done.completeExceptionally(t)) rendezvous.abort(t);
        wakeWaiter();
    }

    private void wakeWaiter() {
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w);
    }

    /** Whether this step, or the step it runs a function call for, has failed. */
    boolean failed() { return done.isCompletedExceptionally() || parent != null && parent.failed(); }

    void allocated(long bytes) {
        long now = live.addAndGet(bytes);
        peak.accumulateAndGet(now, Math::max);
    }

    void released(long bytes) { live.addAndGet(-bytes); }

    long peakBytes() { return peak.get(); }
}
