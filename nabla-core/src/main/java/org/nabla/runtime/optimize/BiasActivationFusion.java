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

/**
 * Fuses a producer op (Conv2D, MatMul) with the bias and ReLU that follow it: producer -> BiasRelu, producer ->
 * BiasAdd, and producer -> BiasAdd -> Relu, each intermediate used only by the next op, not pinned, no node's control
 * input, all on one device. The last op of the pattern is rebuilt as the fused node (keeping its name), so the
 * producer's output is never written without its bias. Subclasses say which producers and layouts fuse and which
 * fused op they become.
 */
abstract class BiasActivationFusion implements Pass {
    private final String producerOp;

    BiasActivationFusion(String producerOp) { this.producerOp = producerOp; }

    /** Whether a BiasAdd with these attributes can join the producer (Conv2D: NHWC only). */
    abstract boolean biasAddFits(Node biasAdd);

    /** Whether {@code producer} with {@code bias}, ending at {@code root}, has the dtypes and shapes the fused op takes. */
    abstract boolean fusible(Node producer, Node root, Output bias);

    /** Rebuilds {@code root} as the fused op of {@code producer}, its inputs mapped into {@code rw}. */
    abstract void rebuild(GraphRewriter rw, Node root, Node producer, Output bias, boolean relu);

    @Override
    public final Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        List<Node> nodes = graph.nodes();
        Uses counted = Uses.of(nodes);
        Map<Output, Integer> uses = counted.outputs();
        Set<Node> controlUsed = counted.controlUsed();
        Map<Node, Match> roots = new HashMap<>();
        Set<Node> absorbed = new HashSet<>();
        for (int i = nodes.size() - 1; i >= 0; i--) { // last ops first: BiasAdd -> Relu fuses whole
            Node n = nodes.get(i);
            if (absorbed.contains(n)) continue;
            Match m = match(n, pinned, uses, controlUsed);
            if (m == null || absorbed.contains(m.producer) || m.biasAdd != null && absorbed.contains(m.biasAdd)) {
                continue;
            }
            roots.put(n, m);
            absorbed.add(m.producer);
            if (m.biasAdd != null) absorbed.add(m.biasAdd);
        }
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : nodes) {
            Match m = roots.get(n);
            if (m != null) rebuild(rw, n, m.producer, m.bias, m.relu);
            else if (!absorbed.contains(n)) rw.copy(n);
        }
        return rw.finish();
    }

    /** A pattern ending at its root: the producer, the BiasAdd when separate from the root, the bias, the ReLU. */
    private record Match(Node producer, Node biasAdd, Output bias, boolean relu) {}

    /** The pattern ending at {@code root}, or null. */
    private Match match(Node root, Set<Node> pinned, Map<Output, Integer> uses, Set<Node> controlUsed) {
        String op = root.op().name();
        if (op.equals("Relu")) {
            Node add = inner(root, "BiasAdd", pinned, uses, controlUsed);
            if (add == null || !biasAddFits(add)) return null;
            Node p = inner(add, producerOp, pinned, uses, controlUsed);
            return p == null || !fusible(p, root, add.inputs().get(1)) ? null
                    : new Match(p, add, add.inputs().get(1), true);
        }
        boolean biasRelu = op.equals("BiasRelu");
        if (!biasRelu && !(op.equals("BiasAdd") && biasAddFits(root))) return null;
        Node p = inner(root, producerOp, pinned, uses, controlUsed);
        return p == null || !fusible(p, root, root.inputs().get(1)) ? null
                : new Match(p, null, root.inputs().get(1), biasRelu);
    }

    /** The producer of {@code n}'s first input if it is a {@code op} whose output only {@code n} uses. */
    static Node inner(Node n, String op, Set<Node> pinned, Map<Output, Integer> uses, Set<Node> controlUsed) {
        if (n.inputs().isEmpty()) return null;
        Output in = n.inputs().get(0);
        Node p = in.node();
        if (!p.op().name().equals(op) || pinned.contains(p) || controlUsed.contains(p) || p.numOutputs() != 1
                || uses.getOrDefault(in, 0) != 1 || !p.controlInputs().isEmpty()
                || !Objects.equals(p.device(), n.device())) {
            return null;
        }
        return p;
    }
}
