package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-site choice between a split and a serial run, driven by made-up times (no clock involved). */
class SplitChoicesTest {
    /** Runs {@code calls} calls of {@code site} where a parallel call costs {@code par} and a serial one {@code ser}. */
    private static int parallelCalls(SplitChoices.Site site, int calls, long par, long ser) {
        int parallel = 0;
        for (int i = 0; i < calls; i++) {
            boolean p = site.chooseParallel();
            if (p) parallel++;
            site.record(p, p ? par : ser);
        }
        return parallel;
    }

    @Test
    void measuresBothWaysThenKeepsTheFasterOne() {
        SplitChoices.Site site = new SplitChoices().site(Runnable.class, 1000, 2);
        assertTrue(site.chooseParallel(), "the parallel way is measured first");
        site.record(true, 100);
        for (int i = 0; i < SplitChoices.TRY_CALLS; i++) {
            assertFalse(site.chooseParallel(), "then the serial way, " + SplitChoices.TRY_CALLS + " calls");
            site.record(false, i == SplitChoices.TRY_CALLS - 1 ? 60 : 1_000_000); // only the last call counts
        }
        assertEquals(60, site.serialNanos);
        assertFalse(site.parallelIsFaster());
        int parallel = parallelCalls(site, 10_000, 100, 60);
        assertTrue(parallel < 10_000 / 20, "the losing way runs only now and then: " + parallel);
    }

    @Test
    void followsAChangeOfTheMachine() {
        SplitChoices.Site site = new SplitChoices().site(Runnable.class, 1000, 2);
        parallelCalls(site, 2000, 50, 100);
        assertTrue(site.parallelIsFaster());
        // the cores move apart: parallel calls now cost 3x the serial one
        parallelCalls(site, 100, 300, 100);
        assertFalse(site.parallelIsFaster(), "flips within 100 calls");
        // and back together: found again by the tries of the losing way (at most every MAX_INTERVAL calls)
        parallelCalls(site, 4 * SplitChoices.MAX_INTERVAL, 50, 100);
        assertTrue(site.parallelIsFaster());
    }

    @Test
    void oneSlowCallDoesNotFlipTheChoice() {
        SplitChoices.Site site = new SplitChoices().site(Runnable.class, 1000, 2);
        parallelCalls(site, 1000, 50, 100);
        assertTrue(site.chooseParallel());
        site.record(true, 10_000_000); // descheduled once
        assertTrue(site.parallelIsFaster());
    }

    @Test
    void workersWithChoicesCoverEveryItemOnceEitherWay() {
        String before = System.getProperty("nabla.adaptiveSplit");
        System.setProperty("nabla.adaptiveSplit", "true");
        SpinningWorkers workers;
        try {
            workers = new SpinningWorkers(1);
        } finally {
            if (before == null) System.clearProperty("nabla.adaptiveSplit");
            else System.setProperty("nabla.adaptiveSplit", before);
        }
        int[] hits = new int[1001];
        for (int rep = 0; rep < 2000; rep++) { // enough calls for tries of both ways
            workers.run(hits.length, 2, (from, to) -> {
                for (int i = from; i < to; i++) hits[i]++;
            });
        }
        for (int i = 0; i < hits.length; i++) assertEquals(2000, hits[i], "item " + i);
    }

    @Test
    void longCallsAlwaysSplit() {
        SplitChoices.Site site = new SplitChoices().site(Runnable.class, 1000, 2);
        long slow = SplitChoices.ALWAYS_SPLIT_NANOS * 2;
        assertEquals(1000, parallelCalls(site, 1000, slow, slow / 10), "never tried serially");
    }

    @Test
    void sitesAreKeyedByBodyClassSizeAndChunks() {
        SplitChoices choices = new SplitChoices();
        SplitChoices.Site a = choices.site(Runnable.class, 1000, 2);
        assertSame(a, choices.site(Runnable.class, 1000, 2));
        assertNotSame(a, choices.site(Runnable.class, 1001, 2));
        assertNotSame(a, choices.site(Runnable.class, 1000, 4));
        assertNotSame(a, choices.site(String.class, 1000, 2));
    }
}
