package org.nabla.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.Graph;
import org.nabla.runtime.optimize.OptimizerOptions;

/** The Session optimizes each plan: same values as the unoptimized run, fewer nodes executed. */
class SessionOptimizationTest {
    @Test
    void optimizedRunsMatchUnoptimizedAndRunFewerNodes() {
        Graph g = new Graph();
        Tensor x, y;
        try (var scope = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 4));
            Tensor w = Ops.mul(Ops.constant(new float[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}}), 0.5f); // foldable
            Tensor h = Ops.matmul(x, w);
            Tensor a = Ops.tanh(Ops.add(Ops.mul(h, 2f), 1f));                                       // fusable
            Tensor b = Ops.tanh(Ops.add(Ops.mul(h, 2f), 1f));                                       // duplicate
            y = Ops.add(Ops.mul(a, 1f), b);                                                          // x*1
        }
        float[][] feed = {{1, 0, -1, 2}, {0.5f, 0.25f, 0, -2}};
        Session.Result plain;
        Session.Result optimized;
        try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE))) {
            plain = s.runWithMetadata(List.of(y), Map.of(x, feed), List.of());
        }
        try (Session s = new Session(g)) {
            optimized = s.runWithMetadata(List.of(y), Map.of(x, feed), List.of());
        }
        float[] expected = plain.get(0).toFloatArray();
        float[] got = optimized.get(0).toFloatArray();
        assertArrayEquals(expected, got, 1e-5f);
        int before = plain.metadata().nodeStats().size();
        int after = optimized.metadata().nodeStats().size();
        assertTrue(after < before, "optimized run executed " + after + " nodes, unoptimized " + before);
    }
}
