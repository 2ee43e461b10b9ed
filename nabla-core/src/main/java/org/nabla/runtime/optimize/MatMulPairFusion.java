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
import org.nabla.ops.FusedOps;

/**
 * Fuses two FusedMatMul (made by {@link MatMulBiasActivationFusion}) where the second reads the first's output as
 * its untransposed A and nothing else reads it (a hidden layer and a classifier): the second is rebuilt (keeping its
 * name) as one FusedMatMulPair, whose kernel takes each block of rows through both products, so the hidden
 * activations are never stored. Only a narrow second layer (at most {@link #MAX_SECOND_COLUMNS} columns, known) fuses:
 * its kernel is built for that shape. The first's output must not be pinned or a control input, on the second's
 * device. In a training graph the gradients read that output, so only inference graphs fuse.
 */
final class MatMulPairFusion implements Pass {
    /** Columns of the second layer up to which the pair fuses (a 10-class logits layer; one AVX-512 vector). */
    static final int MAX_SECOND_COLUMNS = 16;
    /** {@code -Dnabla.fuse.matMulPair=false} keeps the two FusedMatMul apart. */
    static final boolean ENABLED = !"false".equals(System.getProperty("nabla.fuse.matMulPair"));

    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        Uses counted = Uses.of(graph.nodes());
        Map<Node, Node> firstOf = new HashMap<>();
        for (Node n : graph.nodes()) {
            Node first = fusibleFirst(n, pinned, counted);
            // In a chain of three the middle one is either a second or a first, never both.
            if (first != null && !firstOf.containsKey(first)) firstOf.put(n, first);
        }
        GraphRewriter rw = new GraphRewriter(graph);
        Set<Node> absorbed = new HashSet<>(firstOf.values());
        for (Node n : graph.nodes()) {
            Node first = firstOf.get(n);
            if (first != null) {
                List<Output> in = List.of(rw.map(first.inputs().get(0)), rw.map(first.inputs().get(1)),
                        rw.map(first.inputs().get(2)), rw.map(n.inputs().get(1)), rw.map(n.inputs().get(2)));
                Attrs attrs = Attrs.of("transposeA", first.attrs().getBool("transposeA"), "transposeB1",
                        first.attrs().getBool("transposeB"), "activation1", first.attrs().getString("activation"),
                        "transposeB2", n.attrs().getBool("transposeB"), "activation2",
                        n.attrs().getString("activation"));
                rw.rebuild(n, FusedOps.FUSED_MAT_MUL_PAIR, attrs, in);
            } else if (!absorbed.contains(n)) {
                rw.copy(n);
            }
        }
        return rw.finish();
    }

    /** The FusedMatMul that {@code second} (a FusedMatMul) can absorb, or null. */
    private static Node fusibleFirst(Node second, Set<Node> pinned, Uses uses) {
        if (!second.op().name().equals("FusedMatMul") || second.attrs().getBool("transposeA")) return null;
        int n2 = second.outputSpec(0).shape().dim(1);
        if (n2 < 1 || n2 > MAX_SECOND_COLUMNS) return null; // unknown (negative) or wide
        Output in = second.inputs().get(0);
        Node first = in.node();
        if (!first.op().name().equals("FusedMatMul") || pinned.contains(first) || uses.controlUsed().contains(first)
                || uses.outputs().getOrDefault(in, 0) != 1 || !first.controlInputs().isEmpty()
                || !Objects.equals(first.device(), second.device())) {
            return null;
        }
        return first;
    }
}
