package org.nabla.runtime.optimize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.Tensor;
import org.nabla.eager.EagerContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.GraphOps;

/**
 * Computes, at optimization time with the eager kernels, every node whose inputs are all constants, and replaces it
 * by Const nodes holding its outputs (the first under the node's own name). Never folded: stateful ops, Placeholders,
 * nodes with control inputs or sub-graph attributes, nodes whose outputs would exceed
 * {@link OptimizerOptions#maxFoldedElements()} elements, and nodes whose kernel fails (the error then surfaces at
 * run time as it would have). A pinned node may itself be folded, but its consumers never fold through it, because
 * its value may be fed.
 */
final class ConstantFolding implements Pass {
    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        GraphRewriter rw = new GraphRewriter(graph);
        Map<Output, Tensor> known = new HashMap<>(); // values consumers may fold through
        for (Node n : graph.nodes()) {
            if (n.op() == GraphOps.CONST) {
                rw.copy(n);
                if (!pinned.contains(n)) known.put(new Output(n, 0), (Tensor) n.attrs().get("value"));
                continue;
            }
            Tensor[] values = foldable(n, known, options) ? evaluate(n, known) : null;
            if (values == null) {
                rw.copy(n);
                continue;
            }
            List<Output> consts = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                String name = i == 0 ? n.name() : rw.freshName(n.name() + "/output_" + i);
                consts.add(new Output(rw.target().addNodeExact(GraphOps.CONST, Attrs.of("value", values[i]),
                        List.of(), List.of(), name, n.device()), 0));
                if (!pinned.contains(n)) known.put(new Output(n, i), values[i]);
            }
            rw.replace(n, consts);
        }
        return rw.finish();
    }

    private static boolean foldable(Node n, Map<Output, Tensor> known, OptimizerOptions options) {
        if (n.op().isStateful() || n.op() == GraphOps.PLACEHOLDER || n.numOutputs() == 0
                || !n.controlInputs().isEmpty()) {
            return false;
        }
        for (Object v : n.attrs().asMap().values()) if (v instanceof GraphFunction) return false;
        for (Output o : n.inputs()) if (!known.containsKey(o)) return false;
        long elements = 0;
        for (int i = 0; i < n.numOutputs(); i++) {
            long size = n.outputSpec(i).shape().size();
            if (size < 0) return false;
            elements += size;
        }
        return elements <= options.maxFoldedElements();
    }

    /** The node's outputs computed now, or null if its kernel fails (left for run time to report). */
    private static Tensor[] evaluate(Node n, Map<Output, Tensor> known) {
        Tensor[] in = new Tensor[n.inputs().size()];
        for (int i = 0; i < in.length; i++) in[i] = known.get(n.inputs().get(i));
        try {
            return EagerContext.INSTANCE.execute(n.op(), n.attrs(), in);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
