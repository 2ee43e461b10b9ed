package org.nabla.runtime.optimize;

import java.util.Set;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;

/**
 * One optimization pass: rewrites a graph into a new one computing the same values. {@code pinned} holds the nodes
 * whose outputs are fetched or fed and the targets: a pass keeps each of them as a node of its own (never merged,
 * simplified away or absorbed) and never looks through one (its value may be fed), so feeds and fetches keep their
 * meaning.
 */
interface Pass {
    Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options);
}
