package org.nabla.runtime.optimize;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpRegistry;

/**
 * Fuses the backward pass of a ReLU layer followed by max pooling: {@code BiasReluGrad(ArgmaxScatter(g, argmax, y),
 * y)} where {@code (pooled, argmax) = MaxPoolWithArgmax(y)} becomes {@code MaxPoolBiasReluGrad(g, argmax, pooled,
 * y)}, which reads the ReLU mask from the pooled maxima instead of a second pass over the full-size gradient and
 * activation. The scatter must be used only by the BiasReluGrad, not pinned, no node's control input, and all three
 * on one device. These ops are nabla-nn's (matched by name, as ConvBiasActivationFusion matches BiasRelu).
 */
final class PoolReluGradFusion implements Pass {
    static final String FUSED = "MaxPoolBiasReluGrad";

    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        List<Node> nodes = graph.nodes();
        Uses counted = Uses.of(nodes);
        Map<Node, Node> scatterOf = new HashMap<>();
        for (Node n : nodes) {
            Node s = match(n, pinned, counted);
            if (s != null) scatterOf.put(n, s);
        }
        Set<Node> absorbed = new HashSet<>(scatterOf.values());
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : nodes) {
            Node s = scatterOf.get(n);
            if (s != null) {
                Node pool = s.inputs().get(1).node();
                List<Output> in = List.of(rw.map(s.inputs().get(0)), rw.map(s.inputs().get(1)),
                        rw.map(new Output(pool, 0)), rw.map(n.inputs().get(1)));
                rw.rebuild(n, OpRegistry.get(FUSED), Attrs.EMPTY, in);
            } else if (!absorbed.contains(n)) {
                rw.copy(n);
            }
        }
        return rw.finish();
    }

    /** The ArgmaxScatter that {@code n} (a BiasReluGrad) absorbs, or null. */
    private static Node match(Node n, Set<Node> pinned, Uses uses) {
        if (!n.op().name().equals("BiasReluGrad") || n.inputs().size() != 2) return null;
        Output grad = n.inputs().get(0), y = n.inputs().get(1);
        Node s = grad.node();
        if (!s.op().name().equals("ArgmaxScatter") || pinned.contains(s) || uses.controlUsed().contains(s)
                || uses.outputs().getOrDefault(grad, 0) != 1 || !s.controlInputs().isEmpty()) {
            return null;
        }
        Output argmax = s.inputs().get(1);
        Node pool = argmax.node();
        return pool.op().name().equals("MaxPoolWithArgmax") && argmax.index() == 1
                && pool.inputs().get(0).equals(y) && s.inputs().get(2).equals(y)
                && Objects.equals(s.device(), n.device()) && Objects.equals(pool.device(), n.device()) ? s : null;
    }
}
