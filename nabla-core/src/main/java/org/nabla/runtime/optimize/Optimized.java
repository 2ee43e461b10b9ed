package org.nabla.runtime.optimize;

import java.util.Map;
import org.nabla.Tensor;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;

/**
 * The result of optimizing a graph: the new graph, and where each original output and node went. Every kept output
 * (fetched or fed) maps to the output of the new graph that computes the same value; an output or node that was
 * removed (dead, folded into a constant that nothing else uses, absorbed into a fused op) has no mapping.
 *
 * @param outputs original output -> output computing the same value in {@link #graph()}
 * @param nodes original node -> the node that now does its work (for control dependencies and targets)
 */
public record Optimized(Graph graph, Map<Output, Output> outputs, Map<Node, Node> nodes) {
    public Optimized {
        outputs = Map.copyOf(outputs);
        nodes = Map.copyOf(nodes);
    }

    /** The new output standing for {@code original}, or an error saying it was optimized away. */
    public Output output(Output original) {
        Output o = outputs.get(original);
        if (o == null) {
            throw new IllegalArgumentException("output " + original + " is not in the optimized graph (removed by "
                    + "optimization); list it among the kept outputs to keep it");
        }
        return o;
    }

    /** The new graph tensor standing for a symbolic tensor of the original graph. */
    public Tensor tensor(Tensor original) {
        if (!(original.symbol() instanceof Output o)) {
            throw new IllegalArgumentException("tensor " + original.spec() + " is not a graph tensor");
        }
        Output n = output(o);
        return n.node().output(n.index());
    }

    /** The new node doing the work of {@code original}, or an error saying it was optimized away. */
    public Node node(Node original) {
        Node n = nodes.get(original);
        if (n == null) {
            throw new IllegalArgumentException("node " + original.name() + " is not in the optimized graph (removed "
                    + "by optimization); list it among the targets to keep it");
        }
        return n;
    }
}
