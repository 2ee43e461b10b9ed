package org.nabla.distributed.worker;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.nabla.Tensor;

/**
 * The tensors of one step on one worker: put by the step's Send nodes, taken once each, by a local Recv or by a
 * RecvTensor call of the worker that consumes it (TensorFlow's receiver-pull design: a value waits at its producer
 * until the consumer asks). A taken slot is dropped as soon as its value is handed over; the master's CleanupGraph
 * drops the rest. Created by whichever comes first, the step's RunGraph or a peer's RecvTensor.
 */
final class StepTensors {
    private final long stepId;
    private final ConcurrentHashMap<String, CompletableFuture<Tensor>> slots = new ConcurrentHashMap<>();
    private final List<Runnable> onAbort = new CopyOnWriteArrayList<>();
    private volatile Throwable aborted;

    StepTensors(long stepId) { this.stepId = stepId; }

    long stepId() { return stepId; }

    private CompletableFuture<Tensor> slot(String key) {
        CompletableFuture<Tensor> f = slots.computeIfAbsent(key, k -> new CompletableFuture<>());
        Throwable a = aborted;
        if (a != null) f.completeExceptionally(a);
        return f;
    }

    /** Hands {@code value} over under {@code key}; each key is sent once per step. */
    void put(String key, Tensor value) {
        if (!slot(key).complete(value) && aborted == null) {
            throw new IllegalStateException("step " + stepId + ": rendezvous key '" + key + "' was sent twice");
        }
    }

    /** The value under {@code key}, now or once it is sent; its slot is dropped when the value is handed over. */
    CompletableFuture<Tensor> take(String key) {
        CompletableFuture<Tensor> f = slot(key);
        f.whenComplete((t, e) -> slots.remove(key, f));
        return f;
    }

    /** Fails every pending and later take with {@code cause}, then tells the step's rendezvous views. */
    void abort(Throwable cause) {
        synchronized (this) {
            if (aborted != null) return;
            aborted = cause;
        }
        for (CompletableFuture<Tensor> f : slots.values()) f.completeExceptionally(cause);
        slots.clear();
        for (Runnable r : onAbort) r.run();
    }

    boolean isAborted() { return aborted != null; }

    /** Runs {@code r} when the step is aborted (at once if it already is). */
    void onAbort(Runnable r) {
        onAbort.add(r);
        if (aborted != null) r.run();
    }

    /** Forgets {@code r} (added with {@link #onAbort}). */
    void removeOnAbort(Runnable r) { onAbort.remove(r); }

    /** Keys holding a value or a waiting taker (for tests). */
    int pending() { return slots.size(); }
}
