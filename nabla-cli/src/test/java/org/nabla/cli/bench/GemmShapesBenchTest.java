package org.nabla.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-shape GEMM benchmark measures and names its rows (no timing assertions). */
class GemmShapesBenchTest {
    @Test
    void oneShapeGivesAPositiveRateAndAStableKey() {
        GemmShapesBench.Shape s = new GemmShapesBench.Shape("mlp h^T·dlogits", true, false, 128, 10, 32, 1f);
        BenchResult r = GemmShapesBench.measure(s, new Timing.Plan(0.01, 2, 0.001));
        assertEquals("gemm_tn_128x10x32", r.key());
        assertEquals("GFLOP/s", r.unit());
        assertTrue(r.nabla() > 0, r.toString());
        assertTrue(GemmShapesBench.SHAPES.stream().anyMatch(x -> x.m() == 32 && x.n() == 128 && x.k() == 784));
    }
}
