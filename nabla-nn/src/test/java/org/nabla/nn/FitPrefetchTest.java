package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.nabla.Tensor;
import org.nabla.nn.callbacks.Callback;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.layers.Dropout;
import org.nabla.nn.optimizers.Adam;

class FitPrefetchTest {
    private static Sequential mlp() {
        Sequential m = new Sequential(new Dense(8, "relu"), new Dropout(0.2), new Dense(3));
        m.seed(5);
        m.input(2);
        m.compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        return m;
    }

    private static void assertSameTraining(Sequential a, History ha, Sequential b, History hb) {
        assertEquals(ha.asMap(), hb.asMap());   // Double.equals: bitwise
        List<Tensor> wa = a.getWeights(), wb = b.getWeights();
        assertEquals(wa.size(), wb.size());
        for (int i = 0; i < wa.size(); i++) assertArrayEquals(wa.get(i).toFloatArray(), wb.get(i).toFloatArray());
    }

    @Test
    void prefetchingGivesTheSameWeightsAndHistory() {
        Tensor[] d = ModelTest.blobs(100, 7);   // 100 = 6 batches of 16 and one of 4: the tail batch too
        FitOptions base = FitOptions.epochs(3).batchSize(16).seed(3).verbose(0);
        // the reference makes new arrays for every batch; fit(x, y) reuses row buffers (more so with prefetching)
        Sequential plain = mlp();
        History hp = plain.fit(Batches.make(16, true, 3, false, d[0], d[1]), FitOptions.epochs(3).verbose(0)
                .prefetch(0));
        for (int depth : new int[] {0, 1, 2, 5}) {
            Sequential ahead = mlp();
            History ha = ahead.fit(d[0], d[1], FitOptions.epochs(3).batchSize(16).seed(3).verbose(0).prefetch(depth));
            assertSameTraining(plain, hp, ahead, ha);
        }
        Sequential byDefault = mlp();   // tensors are prefetched by default
        assertEquals(2, base.prefetchFor(Batches.of(16, d[0], d[1])));
        assertSameTraining(plain, hp, byDefault, byDefault.fit(d[0], d[1], base));
        assertNoPrefetchThreadLeft();
    }

    @Test
    void recyclingBatchesReuseTheirBuffersAndHoldTheSameRows() {
        Tensor[] d = ModelTest.blobs(50, 9);   // 3 batches of 16 and one of 2
        Batches fresh = Batches.make(16, true, 4, false, d[0], d[1]);
        Batches reused = Batches.make(16, true, 4, false, d[0], d[1]).recycling(2);
        for (int epoch = 0; epoch < 2; epoch++) {
            List<Tensor[]> a = new java.util.ArrayList<>(), b = new java.util.ArrayList<>();
            for (Tensor[] t : fresh) a.add(t);
            Iterator<Tensor[]> it = reused.iterator();
            for (int k = 0; it.hasNext(); k++) {
                Tensor[] t = it.next();
                // compared before the iterator overwrites this buffer two batches later
                assertArrayEquals(a.get(k)[0].toFloatArray(), t[0].toFloatArray(), "batch " + k);
                assertArrayEquals(a.get(k)[1].toIntArray(), t[1].toIntArray(), "batch " + k);
                assertEquals(a.get(k)[0].shape(), t[0].shape());
                b.add(t);
            }
            assertEquals(4, b.size());
            assertSame(b.get(0)[0].data(), b.get(2)[0].data());   // full batches cycle through two buffers
            assertFalse(b.get(0)[0].data() == b.get(1)[0].data());
            assertFalse(b.get(3)[0].data() == b.get(1)[0].data());   // the short tail batch has its own array
        }
        assertThrows(IllegalArgumentException.class, () -> fresh.recycling(-1));
    }

    @Test
    void otherSourcesAreNotPrefetchedUnlessAsked() {
        Tensor[] d = ModelTest.blobs(40, 2);
        Set<String> makers = ConcurrentHashMap.newKeySet();   // the threads that made batches
        Iterable<Tensor[]> source = () -> new Iterator<>() {
            final Iterator<Tensor[]> in = Batches.of(8, d[0], d[1]).iterator();

            @Override public boolean hasNext() { return in.hasNext(); }

            @Override
            public Tensor[] next() {
                makers.add(Thread.currentThread().getName());
                return in.next();
            }
        };
        assertEquals(0, FitOptions.defaults().prefetchFor(source));
        assertEquals(1, FitOptions.defaults().prefetch(1).prefetchFor(source));
        Sequential plain = mlp(), ahead = mlp();
        History hp = plain.fit(source, FitOptions.epochs(2).verbose(0));
        assertEquals(Set.of(Thread.currentThread().getName()), makers);
        makers.clear();
        History ha = ahead.fit(source, FitOptions.epochs(2).verbose(0).prefetch(3));
        assertEquals(Set.of("nabla-fit-prefetch"), makers);
        assertSameTraining(plain, hp, ahead, ha);
        assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().prefetch(-1));
    }

    @Test
    void aFailureOfTheSourceReachesTheCallerAndTheThreadEnds() {
        Tensor[] d = ModelTest.blobs(64, 3);
        IllegalStateException boom = new IllegalStateException("the third batch is broken");
        Iterable<Tensor[]> failing = () -> new Iterator<>() {
            final Iterator<Tensor[]> in = Batches.of(8, d[0], d[1]).iterator();
            int made;

            @Override public boolean hasNext() { return in.hasNext(); }

            @Override
            public Tensor[] next() {
                if (++made == 3) throw boom;
                return in.next();
            }
        };
        Sequential m = mlp();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> m.fit(failing, FitOptions.epochs(1).verbose(0).prefetch(2)));
        assertSame(boom, e);
        assertEquals(2, m.optimizer().step());   // the two good batches were trained on, in order
        assertNoPrefetchThreadLeft();
    }

    @Test
    void aFailingCallbackStopsThePrefetchThread() {
        Tensor[] d = ModelTest.blobs(400, 4);
        Callback stop = new Callback() {
            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                if (batch == 1) throw new IllegalArgumentException("stop here");
            }
        };
        Sequential m = mlp();
        assertThrows(IllegalArgumentException.class,
                () -> m.fit(d[0], d[1], FitOptions.epochs(1).batchSize(4).verbose(0).prefetch(2).callbacks(stop)));
        assertNoPrefetchThreadLeft();
    }

    /** Fails when a prefetch thread is alive (fit joins it before returning or throwing). */
    private static void assertNoPrefetchThreadLeft() {
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("nabla-fit-prefetch") && t.isAlive()),
                "a nabla-fit-prefetch thread is still alive");
    }
}
