package org.nabla.runtime.optimize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.DType;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.FusedOps;
import org.nabla.ops.FusedOps.Fn;
import org.nabla.ops.TensorSpec;

/**
 * Fuses chains of float32 elementwise ops into one {@code FusedElementwise} node whose kernel makes a single pass
 * over memory. Starting from the last op of a chain (the root), a producer is absorbed when it is itself fusible,
 * has the root's output shape, runs on the root's device, is used exactly once (by the chain), is not pinned and is
 * nobody's control input. The fused node takes the root's name; its program is the chain in postfix order over the
 * chain's distinct outside inputs. A chain of one op is left as it is.
 */
final class ElementwiseFusion implements Pass {
    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        List<Node> nodes = graph.nodes();
        Uses counted = Uses.of(nodes);
        Map<Output, Integer> uses = counted.outputs();
        Set<Node> controlUsed = counted.controlUsed();
        Map<Node, Chain> roots = new HashMap<>();
        Set<Node> absorbed = new HashSet<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node root = nodes.get(i);
            if (absorbed.contains(root) || fn(root) == null) continue;
            Chain c = new Chain(root);
            c.grow(root, pinned, uses, controlUsed, absorbed);
            if (c.members.size() >= 2 && c.build()) roots.put(root, c);
            else absorbed.removeAll(c.members);
        }
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : nodes) {
            Chain c = roots.get(n);
            if (c != null) {
                List<Output> in = new ArrayList<>();
                for (Output o : c.inputs) in.add(rw.map(o));
                rw.rebuild(n, FusedOps.FUSED_ELEMENTWISE, Attrs.of("program", c.program, "params", c.params),
                        in);
            } else if (!absorbed.contains(n)) {
                rw.copy(n);
            }
        }
        return rw.finish();
    }

    /** The fused instruction for a node, or null when it cannot join a chain. */
    private static Fn fn(Node n) {
        if (!n.controlInputs().isEmpty() || n.numOutputs() != 1 || n.outputSpec(0).dtype() != DType.FLOAT32
                || n.op().isStateful()) {
            return null;
        }
        for (Output o : n.inputs()) if (o.spec().dtype() != DType.FLOAT32) return null;
        if (n.op().name().equals("BiasAdd")) { // channels last: bias broadcasts like Add's second operand
            return "NHWC".equals(n.attrs().get("dataFormat")) ? Fn.ADD : null;
        }
        return Fn.forOp(n.op().name());
    }

    /** A fusion group: its root, its members, and (once built) its outside inputs in first-use order. */
    private static final class Chain {
        final Node root;
        final Set<Node> members = new HashSet<>();
        final List<Output> inputs = new ArrayList<>();
        private final List<Double> paramList = new ArrayList<>();
        int[] program;
        double[] params;

        Chain(Node root) { this.root = root; }

        void grow(Node n, Set<Node> pinned, Map<Output, Integer> uses, Set<Node> controlUsed, Set<Node> absorbed) {
            members.add(n);
            if (n != root) absorbed.add(n);
            for (Output o : n.inputs()) {
                Node p = o.node();
                if (fn(p) != null && !pinned.contains(p) && !controlUsed.contains(p) && !members.contains(p)
                        && !absorbed.contains(p) && uses.getOrDefault(o, 0) == 1
                        && p.outputSpec(0).shape().equals(root.outputSpec(0).shape())
                        && p.device().equals(root.device())) {
                    grow(p, pinned, uses, controlUsed, absorbed);
                }
            }
        }

        /** Builds the program; false if it would need a deeper stack than the kernel allows. */
        boolean build() {
            List<Integer> code = new ArrayList<>();
            emit(root, code);
            program = code.stream().mapToInt(Integer::intValue).toArray();
            params = paramList.stream().mapToDouble(Double::doubleValue).toArray();
            TensorSpec[] specs = inputs.stream().map(Output::spec).toArray(TensorSpec[]::new);
            try { // the fused op must infer exactly the root's output, or consumers' shapes could change
                Attrs attrs = FusedOps.FUSED_ELEMENTWISE.resolveAttrs(Attrs.of("program", program, "params", params));
                return FusedOps.FUSED_ELEMENTWISE.infer(specs, attrs)[0].equals(root.outputSpec(0));
            } catch (RuntimeException e) {
                return false; // e.g. a stack deeper than the kernel allows
            }
        }

        /** Postfix: each operand (a member's program or a LOAD of an outside input), then the op. */
        private void emit(Node n, List<Integer> code) {
            for (Output o : n.inputs()) {
                if (members.contains(o.node())) {
                    emit(o.node(), code);
                } else {
                    int k = inputs.indexOf(o);
                    if (k < 0) {
                        k = inputs.size();
                        inputs.add(o);
                    }
                    code.add(Fn.LOAD.code);
                    code.add(k);
                }
            }
            Fn f = fn(n);
            int arg = 0;
            if (f == Fn.LEAKY_RELU) {
                arg = paramList.size();
                paramList.add(n.attrs().getDouble("alpha"));
            }
            code.add(f.code);
            code.add(arg);
        }
    }
}
