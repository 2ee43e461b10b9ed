package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** forRange covers every item exactly once, propagates failures, and tolerates nested and concurrent calls. */
class ParallelTest {
    @Test
    void coversEveryItemOnceForManySizes() throws Exception {
        for (int n : new int[] {0, 1, 2, 3, 7, 100, 1001}) {
            for (int grain : new int[] {1, 3, 1000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
                for (int rep = 0; rep < 50; rep++) {
                    Parallel.forRange(n, grain, (from, to) -> {
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                }
                for (int i = 0; i < n; i++) assertEquals(50, hits.get(i), "n=" + n + " grain=" + grain + " i=" + i);
            }
        }
        Thread.sleep(2); // let the workers park, then wake them again
        AtomicLong sum = new AtomicLong();
        Parallel.forRange(10, 1, (from, to) -> {
            for (int i = from; i < to; i++) sum.addAndGet(i);
        });
        assertEquals(45, sum.get());
    }

    @Test
    void failuresPropagateFromAnyChunk() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1,
                (from, to) -> {
                    if (to == 100) throw new IllegalStateException("last chunk failed");
                }));
        // The pool may rethrow a copy made in the joining thread, whose message includes the original's.
        assertTrue(e.getMessage().contains("last chunk failed"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> Parallel.forRange(100, 1, (from, to) -> {
            if (from == 0) throw new ArithmeticException("first");
        }));
        AtomicLong after = new AtomicLong();
        Parallel.forRange(100, 1, (from, to) -> after.addAndGet(to - from)); // still usable
        assertEquals(100, after.get());
    }

    @Test
    void nestedAndConcurrentCallsComplete() throws Exception {
        AtomicLong total = new AtomicLong();
        Parallel.forRange(8, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                Parallel.forRange(100, 1, (f, t) -> total.addAndGet(t - f));
            }
        });
        assertEquals(800, total.get());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            AtomicLong concurrent = new AtomicLong();
            Future<?>[] fs = new Future<?>[8];
            for (int t = 0; t < fs.length; t++) {
                fs[t] = pool.submit(() -> {
                    for (int r = 0; r < 200; r++) {
                        Parallel.forRange(64, 1, (f, to) -> concurrent.addAndGet(to - f));
                    }
                });
            }
            for (Future<?> f : fs) f.get();
            assertEquals(8L * 200 * 64, concurrent.get());
        } finally {
            pool.shutdown();
        }
    }
}
