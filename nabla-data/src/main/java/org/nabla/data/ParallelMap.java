package org.nabla.data;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * One pass of {@link Dataset#map(Function, int)}: upstream is read on the consumer's thread (so its order is fixed),
 * {@code fn} runs on a pool of daemon threads with up to {@code 2 * threads} elements in flight, and results are
 * returned in input order. The pool is stopped when the pass ends, fails or is closed.
 */
final class ParallelMap<T, R> extends Stages.Unary<T, R> {
    private final Function<? super T, ? extends R> fn;
    private final int maxInFlight;
    private final ExecutorService pool;
    private final ArrayDeque<Future<R>> inFlight = new ArrayDeque<>();
    private boolean upDone;
    private long index;

    ParallelMap(DatasetIterator<T> up, Function<? super T, ? extends R> fn, int threads) {
        super(up);
        this.fn = fn;
        this.maxInFlight = 2 * threads;
        this.pool = Executors.newFixedThreadPool(threads, Threads.daemons("map"));
    }

    @Override
    protected R computeNext() {
        while (!upDone && inFlight.size() < maxInFlight) {
            if (!up.hasNext()) {
                upDone = true;
                break;
            }
            T x = up.next();
            long i = index++;
            inFlight.add(pool.submit(() -> {
                R r = fn.apply(x);
                if (r == null) throw new DatasetException("map: the function returned null for element " + i);
                return r;
            }));
        }
        Future<R> head = inFlight.poll();
        if (head == null) return endOfData();
        try {
            return head.get();
        } catch (ExecutionException e) {
            throw DatasetException.of("parallel map (element " + (index - inFlight.size() - 1) + ")", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("parallel map: interrupted while waiting for a result", e);
        }
    }

    @Override
    protected void release() {
        for (Future<R> f : inFlight) f.cancel(true);
        inFlight.clear();
        Threads.stop(pool);
        super.release();
    }
}
