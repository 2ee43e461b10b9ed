package org.nabla.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchRoundsTest {
    private static BenchResult row(String key, double nabla, double reference) {
        return new BenchResult(key, key, "GB/s", true, nabla, reference, "numpy", "");
    }

    @Test
    void mediansOfEachSideAndEveryRoundsRatio() {
        List<BenchResult> combined = BenchRounds.combine(List.of(
                List.of(row("add", 10, 20), row("sgemm_256", 100, 200)),
                List.of(row("add", 30, 20), row("sgemm_256", 150, 100)),
                List.of(row("add", 20, 40), row("sgemm_256", 120, Double.NaN))));
        BenchResult add = combined.get(0);
        assertEquals(20, add.nabla());
        assertEquals(20, add.reference());
        assertEquals(0.5, add.ratio(), "the median of the rounds' ratios, not the ratio of the medians");
        assertEquals("median of 3 rounds; ratios 0.50 1.50 0.50", add.note());
        BenchResult sgemm = combined.get(1);
        assertEquals(120, sgemm.nabla());
        assertEquals(150, sgemm.reference(), "median of the rounds that measured it");
        assertEquals(1.0, sgemm.ratio());
        assertEquals("median of 3 rounds; ratios 0.50 1.50 n/a", sgemm.note());
    }

    @Test
    void oneRoundIsReturnedUnchangedAndMismatchedRoundsFail() {
        List<BenchResult> one = List.of(row("add", 1, 2));
        assertEquals(one, BenchRounds.combine(List.of(one)));
        assertThrows(IllegalStateException.class, () -> BenchRounds.combine(List.of(one, List.of(row("x", 1, 2)))));
        assertEquals(2.5, BenchRounds.median(new double[] {4, 1, 3, 2}));
    }
}
