package org.nabla.runtime.optimize;

import java.util.ArrayList;
import java.util.Set;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;

/** Drops every node that no kept output or target needs through data or control edges. */
final class DeadNodeRemoval implements Pass {
    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        Set<Node> needed = Graph.ancestors(new ArrayList<>(pinned));
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : graph.nodes()) if (needed.contains(n)) rw.copy(n);
        return rw.finish();
    }
}
