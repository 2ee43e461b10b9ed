package org.nabla.nn;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.nabla.Tensor;

/**
 * One epoch's batches made ahead on a background thread, so that slicing, copying and shuffling the next batches
 * overlaps the training step: {@link Model#fit}'s input pipeline. The order is the source's (one producer, a FIFO
 * queue), so the batches and therefore the training are the same as without prefetching. A failure of the source
 * is rethrown on the consumer's thread; {@link #close} stops the thread (fit closes it when the epoch ends or fails).
 */
final class BatchPrefetcher implements Iterator<Tensor[]>, AutoCloseable {
    /** What the producer puts after the last batch: a failure, or none at the normal end. */
    private record End(Throwable failure) {}

    private final Iterator<Tensor[]> source;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** Batches the producer may make before the consumer takes one (the end marker needs no slot). */
    private final Semaphore slots;
    private final Thread thread;
    private Object head;
    private boolean finished;

    /** Reads {@code source} on a new daemon thread, at most {@code depth} batches ahead of the consumer. */
    BatchPrefetcher(Iterator<Tensor[]> source, int depth) {
        if (depth < 1) throw new IllegalArgumentException("prefetch depth must be >= 1, got " + depth);
        this.source = source;
        this.slots = new Semaphore(depth);
        this.thread = Thread.ofPlatform().daemon().name("nabla-fit-prefetch").unstarted(this::produce);
        thread.start();
    }

    private void produce() {
        Throwable failure = null;
        try {
            while (true) {
                slots.acquire();
                if (!source.hasNext()) break;
                Tensor[] batch = source.next();
                if (batch == null) throw new IllegalArgumentException("fit: the training data gave a null batch");
                queue.add(batch);
            }
        } catch (InterruptedException e) {
            return;  // closed by the consumer: nobody reads the end marker
        } catch (Throwable t) {
            failure = t;
        }
        queue.add(new End(failure));
    }

    @Override
    public boolean hasNext() {
        if (finished) return false;
        if (head == null) {
            try {
                head = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("fit: interrupted while waiting for the next batch", e);
            }
        }
        if (head instanceof End end) {
            finished = true;
            Throwable f = end.failure();
            if (f == null) return false;
            if (f instanceof RuntimeException r) throw r;
            if (f instanceof Error e) throw e;
            throw new IllegalStateException("fit: making a batch failed: " + f, f);
        }
        return true;
    }

    @Override
    public Tensor[] next() {
        if (!hasNext()) throw new NoSuchElementException();
        Tensor[] batch = (Tensor[]) head;
        head = null;
        slots.release();
        return batch;
    }

    /** Stops the producer (if still running) and waits for it to end. */
    @Override
    public void close() {
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
