package org.nabla.serving;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Groups concurrent predict requests into one model run, as TensorFlow Serving's batching does: one thread takes the
 * first waiting request, then keeps taking requests for at most {@code maxWait} while the examples fit in
 * {@code maxBatchSize}, stacks them along the batch dimension, runs the model once and hands every request its rows.
 * A request that would overflow the batch, or whose dims after the batch differ, starts the next one. The wait ends
 * early when no other request is on its way (none queued, none {@linkplain #announce announced}): a lone client then
 * pays no batching delay.
 */
final class Batcher implements AutoCloseable {
    private record Job(Rows inputs, CompletableFuture<Rows> answer) { }

    private static final Job STOP = new Job(null, null);
    private static final long POLL_NANOS = 100_000;

    private final ServedModel model;
    private final int maxBatchSize;
    private final long maxWaitNanos;
    private final ServingMetrics metrics;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    /** Predict requests being read or parsed, which will probably join the queue soon. */
    private final AtomicInteger arriving = new AtomicInteger();
    private final Thread worker;
    /** A job taken from the queue that did not fit the batch being built; only the worker touches it. */
    private Job carried;
    private volatile boolean closed;

    Batcher(ServedModel model, int maxBatchSize, Duration maxWait, ServingMetrics metrics) {
        this.model = model;
        this.maxBatchSize = maxBatchSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.metrics = metrics;
        this.worker = Thread.ofPlatform().name("nabla-serving-batcher").daemon().start(this::loop);
    }

    /** A predict request has come in; {@link #submit} or {@link #withdraw} follows. */
    void announce() { arriving.incrementAndGet(); }

    /** An announced request will not be submitted (its body was refused). */
    void withdraw() { arriving.decrementAndGet(); }

    /** The model's outputs for the announced request's {@code inputs}, once the batch holding them has run. */
    CompletableFuture<Rows> submit(Rows inputs) {
        arriving.decrementAndGet();
        CompletableFuture<Rows> answer = new CompletableFuture<>();
        if (closed) {
            answer.completeExceptionally(new ServingException(503, "the server is shutting down"));
        } else {
            queue.add(new Job(inputs, answer));
        }
        return answer;
    }

    private void loop() {
        try {
            while (true) {
                Job first = carried != null ? carried : queue.take();
                carried = null;
                if (first == STOP) return;
                List<Job> batch = collect(first);
                run(batch);
                if (carried == STOP) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Whatever is still queued at shutdown is refused, never left hanging.
            for (Job j; (j = queue.poll()) != null; ) {
                if (j != STOP) j.answer.completeExceptionally(new ServingException(503, "the server is shutting down"));
            }
        }
    }

    /** {@code first} and the requests arriving within the wait that fit with it. */
    private List<Job> collect(Job first) throws InterruptedException {
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        int rows = first.inputs.count();
        long deadline = System.nanoTime() + maxWaitNanos;
        while (rows < maxBatchSize) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || queue.isEmpty() && arriving.get() <= 0) left = 0;
            // Short polls, so that the wait notices when nothing more is on its way.
            Job next = left > 0 ? queue.poll(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null && left > 0) continue;
            if (next == null) break;
            if (next == STOP || rows + next.inputs.count() > maxBatchSize || !next.inputs.stacksWith(first.inputs)) {
                carried = next;
                break;
            }
            batch.add(next);
            rows += next.inputs.count();
        }
        return batch;
    }

    private void run(List<Job> batch) {
        try {
            Rows stacked = Rows.stack(batch.stream().map(Job::inputs).toList());
            Rows out = model.predict(stacked);
            metrics.batch(batch.size(), stacked.count());
            int at = 0;
            for (Job j : batch) {
                j.answer.complete(out.slice(at, j.inputs.count()));
                at += j.inputs.count();
            }
        } catch (RuntimeException e) {
            for (Job j : batch) j.answer.completeExceptionally(e);
        }
    }

    /** Stops taking requests, lets the queued ones run, and waits for the worker to finish. */
    @Override
    public void close() {
        closed = true;
        queue.add(STOP);
        try {
            worker.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
