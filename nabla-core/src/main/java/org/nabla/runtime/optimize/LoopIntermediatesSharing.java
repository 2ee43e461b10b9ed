package org.nabla.runtime.optimize;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.ControlFlowOps;

/**
 * Runs a loop once when its gradient needs its intermediates. The gradient of a {@code While} node adds the node's
 * {@code keepIntermediates} twin (same inputs, same condition and body, plus the stacked per-iteration loop vars);
 * this pass replaces the pair by one node keeping intermediates, whose first outputs stand for the original loop's.
 * Pairs where either node is pinned (fetched or fed) or whose control inputs or devices differ are left alone.
 * Enabled with common-subexpression elimination, of which it is a case.
 */
final class LoopIntermediatesSharing implements Pass {
    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        Map<Node, Node> twinOf = new HashMap<>();
        Set<Node> twins = new HashSet<>();
        List<Node> all = graph.nodes();
        for (Node a : all) {
            if (!isLoop(a, false) || pinned.contains(a)) continue;
            for (Node k : all) {
                if (k.id() > a.id() && isLoop(k, true) && !pinned.contains(k) && !twins.contains(k) && isTwin(a, k)) {
                    twinOf.put(a, k);
                    twins.add(k);
                    break;
                }
            }
        }
        GraphRewriter rw = new GraphRewriter(graph);
        Map<Node, Node> merged = new HashMap<>();
        for (Node n : graph.nodes()) {
            Node twin = twinOf.get(n);
            if (twin != null) {
                Node m = rw.add(twin.op(), twin.attrs(), rw.inputsOf(n), rw.controlsOf(n), n.name(), n.device());
                merged.put(twin, m);
                rw.replace(n, IntStream.range(0, n.numOutputs()).mapToObj(i -> new Output(m, i)).toList());
            } else if (merged.containsKey(n)) {
                Node m = merged.get(n);
                rw.replace(n, IntStream.range(0, n.numOutputs()).mapToObj(i -> new Output(m, i)).toList());
            } else {
                rw.copy(n);
            }
        }
        return rw.finish();
    }

    private static boolean isLoop(Node n, boolean keeping) {
        return n.op() == ControlFlowOps.WHILE && n.attrs().getBool("keepIntermediates") == keeping;
    }

    /** {@code k} is {@code a} with keepIntermediates: same inputs, sub-graphs (by identity), attributes and scopes. */
    private static boolean isTwin(Node a, Node k) {
        return a.inputs().equals(k.inputs()) && a.attrs().get("cond") == k.attrs().get("cond")
                && a.attrs().get("body") == k.attrs().get("body")
                && a.attrs().getInt("maximumIterations") == k.attrs().getInt("maximumIterations")
                && a.attrs().getInt("parallelIterations") == k.attrs().getInt("parallelIterations")
                && new HashSet<>(a.controlInputs()).equals(new HashSet<>(k.controlInputs()))
                && a.device().equals(k.device());
    }
}
