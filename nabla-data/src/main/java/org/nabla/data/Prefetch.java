package org.nabla.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One pass of {@link Dataset#prefetch}: a daemon thread runs the upstream pipeline and fills a bounded queue, so the
 * next elements are computed while the consumer works. The producer owns the upstream pass (it creates, reads and
 * closes it); the consumer only takes from the queue. Closing sets {@code stopping}, interrupts the producer and
 * waits for it to end.
 */
final class Prefetch<T> extends Step<T> {
    private static final Object END = new Object();

    private record Failure(Throwable error) {}

    private final BlockingQueue<Object> queue;
    private final Thread producer;
    private volatile boolean stopping;

    Prefetch(Dataset<T> source, int bufferSize) {
        this.queue = new ArrayBlockingQueue<>(bufferSize);
        this.producer = Threads.daemons("prefetch").newThread(() -> produce(source));
        producer.start();
    }

    private void produce(Dataset<T> source) {
        try {
            try (DatasetIterator<T> up = source.iterator()) {
                while (!stopping && up.hasNext()) queue.put(up.next());
            }
            if (!stopping) queue.put(END);
        } catch (InterruptedException e) {
            // closed by the consumer
        } catch (Throwable t) {
            if (stopping) return;
            try {
                queue.put(new Failure(t));
            } catch (InterruptedException ignored) {
                // closed by the consumer while reporting: nobody is left to tell
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected T computeNext() {
        Object x;
        try {
            x = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("prefetch: interrupted while waiting for the next element", e);
        }
        if (x == END) return endOfData();
        if (x instanceof Failure f) throw DatasetException.of("prefetch (upstream pipeline)", f.error());
        return (T) x;
    }

    @Override
    protected void release() {
        stopping = true;
        producer.interrupt();
        Threads.join(producer);
        queue.clear();
    }
}
