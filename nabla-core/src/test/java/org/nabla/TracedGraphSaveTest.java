package org.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.graph.Output;
import org.nabla.runtime.SerialExecutor;

/** A traced function's graph prints, saves to a graph file and runs again from the file alone. */
class TracedGraphSaveTest {
    @Test
    void tracedGraphRoundTripsThroughAGraphFile(@TempDir Path dir) throws Exception {
        Tensor w = Tensors.of(new float[][] {{1, -1}, {2, 0.5f}});
        TracedFunction f = TracedFunction.unary(x -> Ops.tanh(Ops.add(Ops.matmul(x, w), 0.25f)));
        Tensor x = Tensors.of(new float[][] {{0.5f, -1}, {2, 1}});
        Tensor expected = f.apply(x);
        FuncGraph traced = f.concreteFunction(x.spec()).graph();
        String printed = f.concreteFunction(x.spec()).toString();
        org.junit.jupiter.api.Assertions.assertTrue(printed.contains("MatMul") && printed.contains("Tanh"), printed);

        Path file = dir.resolve("traced.nabla");
        GraphIO.write(traced.graph(), file);
        Graph loaded = GraphIO.read(file);
        Output param = loaded.outputOf(loaded.tensor(traced.params().get(0).node().name()));
        Output result = loaded.outputOf(loaded.tensor(traced.results().get(0).toString()));
        Tensor again = SerialExecutor.run(loaded, Map.of(param, x), List.of(result), List.of()).get(0);
        assertArrayEquals(expected.toFloatArray(), again.toFloatArray());
    }
}
