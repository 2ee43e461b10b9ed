package org.nabla.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.eager.ExecutionContext;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;
import org.nabla.runtime.SerialExecutor;

class GraphTest {
    @Test
    void sameOpCallsBuildNodesInsideAGraphAndComputeOutside() {
        Graph g = new Graph();
        Tensor x, y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
            Tensor w = Ops.constant(new float[][] {{1}, {2}, {3}});
            y = Ops.relu(Ops.matmul(x, w));
        }
        assertTrue(y.isSymbolic());
        assertEquals(Shape.of(-1, 1), y.shape());
        assertEquals("Relu", g.outputOf(y).node().name());
        Tensor feed = Tensors.of(new float[][] {{1, 1, 1}, {-1, 0, 0}});
        List<Tensor> out = SerialExecutor.run(g, Map.of(g.outputOf(x), feed), List.of(g.outputOf(y)), List.of());
        assertArrayEquals(new float[] {6, 0}, out.get(0).toFloatArray());
        // The same code outside the graph computes at once.
        assertArrayEquals(new float[] {6, 0}, Ops.relu(Ops.matmul(feed, Ops.constant(new float[][] {{1}, {2}, {3}})))
                .toFloatArray());
    }

    @Test
    void namesAreUniqueAndScoped() {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor a = g.constant("a", 1f);
            Tensor b = Ops.add(a, a);
            Tensor c = Ops.add(a, b);
            try (Graph.ControlScope ns = g.nameScope("layer1")) {
                Tensor d = Ops.add(c, c);
                assertEquals("layer1/Add", g.outputOf(d).node().name());
            }
            assertEquals("Add", g.outputOf(b).node().name());
            assertEquals("Add_1", g.outputOf(c).node().name());
            assertEquals(g.outputOf(c), g.outputOf(g.tensor("Add_1:0")));
        }
    }

    @Test
    void shapeMismatchFailsAtBuildTimeNamingTheNode() {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
            Tensor w = g.placeholder("w", DType.FLOAT32, Shape.of(4, 2));
            OpException e = assertThrows(OpException.class, () -> Ops.matmul(x, w));
            assertTrue(e.getMessage().startsWith("MatMul: while building node 'MatMul':"), e.getMessage());
        }
    }

    @Test
    void controlDependenciesAreRecorded() {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor a = g.constant("a", 1f);
            try (Graph.ControlScope c = g.withControlDependencies(List.of(a))) {
                Tensor b = g.constant("b", 2f);
                assertEquals(List.of(g.outputOf(a).node()), g.outputOf(b).node().controlInputs());
            }
        }
    }

    @Test
    void funcGraphTracesALambdaAndCapturesOuterTensors() {
        Graph outer = new Graph();
        try (ExecutionContext.Scope s = outer.asDefault()) {
            Tensor k = outer.placeholder("k", DType.FLOAT32, Shape.SCALAR);
            FuncGraph f = FuncGraph.trace("scale", List.of(TensorSpec.of(DType.FLOAT32, Shape.of(2))),
                    args -> new Tensor[] {Ops.mul(args[0], k)});
            assertEquals(List.of(k), f.capturedOuter());
            assertEquals(2, f.params().size());
            Tensor[] r = SerialExecutor.call(f, Tensors.of(new float[] {1, 2}), Tensors.scalar(3f));
            assertArrayEquals(new float[] {3, 6}, r[0].toFloatArray());
        }
    }
}
