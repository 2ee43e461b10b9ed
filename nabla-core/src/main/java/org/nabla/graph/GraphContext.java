package org.nabla.graph;

import java.util.ArrayList;
import java.util.List;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphOps;
import org.nabla.ops.OpDef;

/**
 * The execution context of graph building: each op call adds a node and returns its symbolic outputs. Concrete
 * (eager) tensors used as inputs are captured as Const nodes, once per tensor.
 */
public class GraphContext implements ExecutionContext {
    protected final Graph graph;
    private final java.util.IdentityHashMap<Tensor, Output> captured = new java.util.IdentityHashMap<>();

    public GraphContext(Graph graph) { this.graph = graph; }

    public Graph graph() { return graph; }

    @Override
    public Tensor[] execute(OpDef op, Attrs attrs, Tensor[] inputs) {
        List<Output> in = new ArrayList<>(inputs.length);
        for (Tensor t : inputs) in.add(toOutput(t));
        return graph.addNode(op, attrs, in, null).outputs();
    }

    /** The graph output standing for {@code t}: its own if symbolic in this graph, else a capture. */
    protected Output toOutput(Tensor t) {
        if (t.symbol() instanceof Output o && o.graph() == graph) return o;
        if (t.isSymbolic()) return captureSymbolic(t);
        return captured.computeIfAbsent(t, v -> new Output(graph.addNode(GraphOps.CONST, Attrs.of("value", v),
                List.of(), "Const"), 0));
    }

    /**
     * A symbolic tensor of another graph used here. Plain graphs refuse it; tracing contexts override this to
     * capture outer values as extra inputs.
     */
    protected Output captureSymbolic(Tensor t) {
        throw new IllegalArgumentException("tensor " + t.symbol() + " belongs to another graph than the one being "
                + "built; tensors cannot cross graphs");
    }
}
