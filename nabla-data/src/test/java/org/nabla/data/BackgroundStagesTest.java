package org.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Parallel map and prefetch: order, determinism under random thread timing, failures and thread clean-up. */
class BackgroundStagesTest {
    /** Pipeline threads alive now. */
    private static List<Thread> pipelineThreads() {
        List<Thread> live = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(Threads.PREFIX) && t.isAlive()) live.add(t);
        }
        return live;
    }

    /** Pipeline threads still alive; waits a bounded time for threads that are finishing their last instructions. */
    private static List<Thread> liveThreads() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<Thread> live = pipelineThreads();
            if (live.isEmpty() || System.nanoTime() > deadline) return live;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @AfterEach
    void noThreadLeft() { assertEquals(List.of(), liveThreads()); }

    private static void jitter() {
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
    }

    @Test
    void parallelMapKeepsOrder() {
        List<Long> out = Dataset.range(200).map(x -> {
            jitter();
            return x * 3;
        }, 4).toList();
        for (int i = 0; i < 200; i++) assertEquals(3L * i, out.get(i));
        assertEquals(List.of(0L, 2L), Dataset.range(2).map(x -> x * 2, Dataset.AUTOTUNE).toList());
        assertThrows(IllegalArgumentException.class, () -> Dataset.range(2).map(x -> x, 0));
    }

    @Test
    void parallelMapRunsOnBackgroundThreads() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        Dataset.range(64).map(x -> {
            names.add(Thread.currentThread().getName());
            return x;
        }, 3).toList();
        assertTrue(names.stream().allMatch(n -> n.startsWith("nabla-data-map-")), names.toString());
    }

    private static List<float[]> epochs(long seed) {
        float[] xs = new float[300 * 3];
        for (int i = 0; i < xs.length; i++) xs[i] = i;
        Tensor x = Tensors.of(xs, 300, 3);
        Tensor y = Tensors.of(new int[300], 300);
        Dataset<Tensor[]> d = Dataset.fromTensorSlices(x, y)
                .shuffle(100, seed)
                .map(t -> {
                    jitter();
                    return new Tensor[] {t[0].mul(2f), t[1]};
                }, 4)
                .batch(32)
                .repeat(2)
                .prefetch(3);
        List<float[]> out = new ArrayList<>();
        for (Tensor[] b : d) out.add(b[0].toFloatArray());
        return out;
    }

    @Test
    void deterministicGivenTheSeedRegardlessOfThreadTiming() {
        List<float[]> a = epochs(123), b = epochs(123);
        assertEquals(a.size(), b.size());
        assertEquals(20, a.size()); // 10 batches per epoch (9 of 32 and one of 12), 2 epochs
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), "batch " + i);
        List<float[]> c = epochs(124);
        boolean differ = false;
        for (int i = 0; i < a.size(); i++) differ |= !java.util.Arrays.equals(a.get(i), c.get(i));
        assertTrue(differ, "another seed gives another order");
    }

    @Test
    void prefetchRunsAheadOnABackgroundThread() throws Exception {
        Set<String> names = ConcurrentHashMap.newKeySet();
        java.util.concurrent.CountDownLatch produced = new java.util.concurrent.CountDownLatch(3);
        Dataset<Long> d = Dataset.range(10).map(x -> {
            names.add(Thread.currentThread().getName());
            produced.countDown();
            return x;
        }).prefetch(3);
        try (DatasetIterator<Long> it = d.iterator()) {
            // before the consumer asks for anything, the producer fills the buffer
            assertTrue(produced.await(30, TimeUnit.SECONDS));
            assertEquals(0L, it.next());
        }
        assertTrue(names.stream().allMatch(n -> n.startsWith("nabla-data-prefetch-")), names.toString());
        assertEquals(Dataset.range(100).toList(), Dataset.range(100).prefetch(1).toList());
        assertEquals(Dataset.range(100).toList(), Dataset.range(100).prefetch(Dataset.AUTOTUNE).toList());
    }

    @Test
    void failuresSurfaceWithTheirCause() {
        IllegalStateException boom = new IllegalStateException("bad element 7");
        Dataset<Long> parallel = Dataset.range(20).map(x -> {
            if (x == 7) throw boom;
            return x;
        }, 3);
        List<Long> seen = new ArrayList<>();
        DatasetException e = assertThrows(DatasetException.class, () -> parallel.forEach(seen::add));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), seen); // everything before the failure arrives in order
        assertEquals(boom, e.getCause());
        assertTrue(e.getMessage().contains("element 7") && e.getMessage().contains("bad element 7"), e.getMessage());

        DatasetException p = assertThrows(DatasetException.class, () -> parallel.prefetch(2).toList());
        assertEquals(boom, p.getCause());

        DatasetException q = assertThrows(DatasetException.class, () -> Dataset.range(5).map(x -> {
            if (x == 3) throw new ArithmeticException("division");
            return x;
        }).prefetch(2).toList());
        assertInstanceOf(ArithmeticException.class, q.getCause());
        assertTrue(q.getMessage().contains("prefetch") && q.getMessage().contains("division"), q.getMessage());
    }

    @Test
    void closingEarlyStopsTheThreads() {
        Dataset<Long> endless = Dataset.range(1_000).repeat().map(x -> {
            jitter();
            return x;
        }, 4).prefetch(4).map(x -> x, 2).prefetch(2);
        try (DatasetIterator<Long> it = endless.iterator()) {
            for (int i = 0; i < 50; i++) assertEquals(i % 1000, it.next());
            assertTrue(pipelineThreads().size() >= 4, pipelineThreads().toString());
        }
        // @AfterEach checks that none is left; so does an abandoned-after-exhaustion for-each
        for (Long ignored : Dataset.range(10).map(x -> x, 2).prefetch(2)) {
            // runs to the end: the pass closes itself
        }
    }

    @Test
    void closingWhileTheProducerIsBlockedOnAFullBuffer() {
        try (DatasetIterator<Long> it = Dataset.range(1_000_000).prefetch(1).iterator()) {
            it.next();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
