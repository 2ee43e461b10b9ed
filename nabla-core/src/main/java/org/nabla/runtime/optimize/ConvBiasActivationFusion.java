package org.nabla.runtime.optimize;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.DType;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.FusedOps;

/**
 * Fuses a float32 NHWC Conv2D with the bias and ReLU that follow it into one {@code FusedConv2D}: Conv2D -> BiasRelu,
 * Conv2D -> BiasAdd, and Conv2D -> BiasAdd -> Relu, each intermediate used only by the next op, not pinned and no
 * node's control input, all on one device. The last op of the pattern is rebuilt as the fused node (keeping its name),
 * so the convolution's output is never written without its bias. Gradients are built before this runs; BiasRelu's
 * gradient reads the activation, which the fused node still produces.
 */
final class ConvBiasActivationFusion implements Pass {
    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
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
            if (m == null || absorbed.contains(m.conv) || m.biasAdd != null && absorbed.contains(m.biasAdd)) continue;
            roots.put(n, m);
            absorbed.add(m.conv);
            if (m.biasAdd != null) absorbed.add(m.biasAdd);
        }
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : nodes) {
            Match m = roots.get(n);
            if (m != null) {
                List<Output> in = List.of(rw.map(m.conv.inputs().get(0)), rw.map(m.conv.inputs().get(1)),
                        rw.map(m.bias));
                rw.rebuild(n, FusedOps.FUSED_CONV2D, m.conv.attrs().with("activation", m.relu ? "RELU" : "NONE"), in);
            } else if (!absorbed.contains(n)) {
                rw.copy(n);
            }
        }
        return rw.finish();
    }

    /** A pattern ending at its root: the Conv2D, the BiasAdd when separate from the root, the bias, the ReLU. */
    private record Match(Node conv, Node biasAdd, Output bias, boolean relu) {}

    /** The pattern ending at {@code root}, or null. */
    private static Match match(Node root, Set<Node> pinned, Map<Output, Integer> uses, Set<Node> controlUsed) {
        String op = root.op().name();
        if (op.equals("Relu")) {
            Node add = inner(root, "BiasAdd", pinned, uses, controlUsed);
            if (add == null || !nhwc(add)) return null;
            Node conv = inner(add, "Conv2D", pinned, uses, controlUsed);
            return conv == null || !fusible(conv, root, add.inputs().get(1)) ? null
                    : new Match(conv, add, add.inputs().get(1), true);
        }
        boolean biasRelu = op.equals("BiasRelu");
        if (!biasRelu && !(op.equals("BiasAdd") && nhwc(root))) return null;
        Node conv = inner(root, "Conv2D", pinned, uses, controlUsed);
        return conv == null || !fusible(conv, root, root.inputs().get(1)) ? null
                : new Match(conv, null, root.inputs().get(1), biasRelu);
    }

    /** The producer of {@code n}'s first input if it is a {@code op} whose output only {@code n} uses. */
    static Node inner(Node n, String op, Set<Node> pinned, Map<Output, Integer> uses, Set<Node> controlUsed) {
        if (n.inputs().isEmpty()) return null;
        Output in = n.inputs().get(0);
        Node p = in.node();
        if (!p.op().name().equals(op) || pinned.contains(p) || controlUsed.contains(p) || p.numOutputs() != 1
                || uses.getOrDefault(in, 0) != 1 || !p.controlInputs().isEmpty()
                || !java.util.Objects.equals(p.device(), n.device())) {
            return null;
        }
        return p;
    }

    private static boolean nhwc(Node n) { return "NHWC".equals(n.attrs().get("dataFormat")); }

    /** A float32 NHWC Conv2D whose bias is a float32 vector, on the root's device. */
    private static boolean fusible(Node conv, Node root, Output bias) {
        return nhwc(conv) && conv.outputSpec(0).dtype() == DType.FLOAT32
                && conv.inputs().get(0).spec().dtype() == DType.FLOAT32
                && bias.spec().dtype() == DType.FLOAT32 && bias.spec().shape().rank() == 1
                && root.outputSpec(0).dtype() == DType.FLOAT32
                && java.util.Objects.equals(conv.device(), root.device());
    }
}
