package org.nabla.runtime.optimize;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nabla.DType;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.FusedOps;

/**
 * Fuses a 2-D float32 MatMul with the bias and ReLU that follow it (a dense layer) into one {@code FusedMatMul}:
 * MatMul -> BiasRelu, MatMul -> BiasAdd, and MatMul -> BiasAdd -> Relu, under the same conditions as
 * {@link ConvBiasActivationFusion} (each intermediate used only by the next op, not pinned, no node's control input,
 * one device). The last op of the pattern is rebuilt as the fused node, keeping its name. MatMul's gradients read its
 * inputs, not its output, and BiasRelu's reads the activation, which the fused node still produces, so training
 * graphs fuse too.
 */
final class MatMulBiasActivationFusion implements Pass {
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
            if (m == null || absorbed.contains(m.matmul) || m.biasAdd != null && absorbed.contains(m.biasAdd)) continue;
            roots.put(n, m);
            absorbed.add(m.matmul);
            if (m.biasAdd != null) absorbed.add(m.biasAdd);
        }
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : nodes) {
            Match m = roots.get(n);
            if (m != null) {
                List<Output> in = List.of(rw.map(m.matmul.inputs().get(0)), rw.map(m.matmul.inputs().get(1)),
                        rw.map(m.bias));
                Attrs attrs = Attrs.of("transposeA", m.matmul.attrs().getBool("transposeA"), "transposeB",
                        m.matmul.attrs().getBool("transposeB"), "activation", m.relu ? "RELU" : "NONE");
                rw.rebuild(n, FusedOps.FUSED_MAT_MUL, attrs, in);
            } else if (!absorbed.contains(n)) {
                rw.copy(n);
            }
        }
        return rw.finish();
    }

    /** A pattern ending at its root: the MatMul, the BiasAdd when separate from the root, the bias, the ReLU. */
    private record Match(Node matmul, Node biasAdd, Output bias, boolean relu) {}

    /** The pattern ending at {@code root}, or null. */
    private static Match match(Node root, Set<Node> pinned, Map<Output, Integer> uses, Set<Node> controlUsed) {
        String op = root.op().name();
        if (op.equals("Relu")) {
            Node add = ConvBiasActivationFusion.inner(root, "BiasAdd", pinned, uses, controlUsed);
            if (add == null) return null;
            Node mm = ConvBiasActivationFusion.inner(add, "MatMul", pinned, uses, controlUsed);
            return mm == null || !fusible(mm, root, add.inputs().get(1)) ? null
                    : new Match(mm, add, add.inputs().get(1), true);
        }
        boolean biasRelu = op.equals("BiasRelu");
        if (!biasRelu && !op.equals("BiasAdd")) return null;
        Node mm = ConvBiasActivationFusion.inner(root, "MatMul", pinned, uses, controlUsed);
        return mm == null || !fusible(mm, root, root.inputs().get(1)) ? null
                : new Match(mm, null, root.inputs().get(1), biasRelu);
    }

    /** A MatMul of two float32 matrices whose bias is a float32 vector, on the root's device. */
    private static boolean fusible(Node mm, Node root, Output bias) {
        for (int i = 0; i < 2; i++) {
            var spec = mm.inputs().get(i).spec();
            if (spec.dtype() != DType.FLOAT32 || spec.shape().rank() != 2) return false;
        }
        return mm.outputSpec(0).dtype() == DType.FLOAT32 && root.outputSpec(0).dtype() == DType.FLOAT32
                && bias.spec().dtype() == DType.FLOAT32 && bias.spec().shape().rank() == 1
                && Objects.equals(mm.device(), root.device());
    }
}
