package org.nabla.runtime.optimize;

import java.util.List;
import java.util.Set;
import org.nabla.Tensor;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphOps;
import org.nabla.ops.TensorSpec;

/**
 * Rewrites that remove work without changing values: {@code x*1, 1*x, x/1, x+0, 0+x, x-0 -> x} (only when the
 * result has exactly x's dtype and shape, so dropping the op cannot change a broadcast shape), {@code -(-x) -> x},
 * {@code Identity(x) -> x}, transpose of transpose -> one transpose (or x), reshape of reshape -> one reshape, and a
 * reshape or transpose that changes nothing -> x. Nodes with control inputs are left alone (their ordering would be
 * lost), and a pinned node is never removed nor looked through. One caveat, as in TensorFlow: {@code -0.0 + 0.0} is
 * {@code +0.0}, so {@code x + 0 -> x} may turn a +0.0 result into -0.0 (equal values, different sign bit).
 */
final class ArithmeticSimplification implements Pass {
    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : graph.nodes()) {
            if (pinned.contains(n) || !n.controlInputs().isEmpty() || !simplify(n, rw, pinned)) rw.copy(n);
        }
        return rw.finish();
    }

    /** Rewrites {@code n} if a rule applies; false leaves it to be copied. */
    private static boolean simplify(Node n, GraphRewriter rw, Set<Node> pinned) {
        List<Output> in = n.inputs();
        switch (n.op().name()) {
            case "Add", "Mul" -> {
                double unit = n.op().name().equals("Add") ? 0 : 1;
                if (isConstant(in.get(1), unit, pinned)) return forward(n, in.get(0), rw);
                if (isConstant(in.get(0), unit, pinned)) return forward(n, in.get(1), rw);
                return false;
            }
            case "Sub", "Div" -> {
                double unit = n.op().name().equals("Sub") ? 0 : 1;
                return isConstant(in.get(1), unit, pinned) && forward(n, in.get(0), rw);
            }
            case "Neg" -> {
                Node inner = lookThrough(in.get(0), "Neg", pinned);
                return inner != null && forward(n, inner.inputs().get(0), rw);
            }
            case "Identity" -> {
                return forward(n, in.get(0), rw);
            }
            case "Transpose" -> {
                int rank = n.outputSpec(0).shape().rank();
                int[] perm = normalized(n.attrs().getInts("perm"), rank);
                Output x = in.get(0);
                Node inner = lookThrough(x, "Transpose", pinned);
                if (inner != null) { // out axis i = inner axis perm[i] = x axis innerPerm[perm[i]]
                    int[] innerPerm = normalized(inner.attrs().getInts("perm"), rank);
                    int[] q = new int[rank];
                    for (int i = 0; i < rank; i++) q[i] = innerPerm[perm[i]];
                    perm = q;
                    x = inner.inputs().get(0);
                }
                if (isIdentity(perm)) return forward(n, x, rw);
                if (inner == null) return false;
                rw.rebuild(n, ArrayOps.TRANSPOSE, Attrs.of("perm", perm), List.of(rw.map(x)));
                return true;
            }
            case "Reshape" -> {
                Output x = in.get(0);
                Node inner = lookThrough(x, "Reshape", pinned);
                if (inner != null) x = inner.inputs().get(0);
                if (x.spec().shape().isFullyDefined() && x.spec().equals(n.outputSpec(0))) return forward(n, x, rw);
                if (inner == null || !sameSpec(n, ArrayOps.RESHAPE, n.attrs(), x)) return false;
                rw.rebuild(n, ArrayOps.RESHAPE, n.attrs(), List.of(rw.map(x)));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** True if {@code op} on {@code x} infers exactly n's output (so consumers' shapes cannot change). */
    private static boolean sameSpec(Node n, org.nabla.ops.OpDef op, Attrs attrs, Output x) {
        try {
            return op.infer(new TensorSpec[] {x.spec()}, attrs)[0].equals(n.outputSpec(0));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Replaces {@code n} by (the new counterpart of) {@code x} when that has exactly n's dtype and shape. */
    private static boolean forward(Node n, Output x, GraphRewriter rw) {
        if (!x.spec().equals(n.outputSpec(0))) return false;
        rw.replace(n, List.of(rw.map(x)));
        return true;
    }

    /** The producer of {@code o} if it is an unpinned, uncontrolled {@code op} node whose value we may look into. */
    private static Node lookThrough(Output o, String op, Set<Node> pinned) {
        Node p = o.node();
        return p.op().name().equals(op) && !pinned.contains(p) && p.controlInputs().isEmpty() ? p : null;
    }

    /** True if {@code o} is an unpinned Const whose every element equals {@code v} (NaN never does). */
    private static boolean isConstant(Output o, double v, Set<Node> pinned) {
        Node p = o.node();
        if (p.op() != GraphOps.CONST || pinned.contains(p)) return false;
        Tensor t = (Tensor) p.attrs().get("value");
        if (t.size() == 0 || t.size() > 1 << 20 || !t.dtype().isNumeric() || t.dtype().isComplex()) return false;
        for (double d : t.toDoubleArray()) if (d != v) return false;
        return true;
    }

    private static int[] normalized(int[] perm, int rank) {
        int[] p = perm.clone();
        for (int i = 0; i < p.length; i++) if (p[i] < 0) p[i] += rank;
        return p;
    }

    private static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) if (perm[i] != i) return false;
        return true;
    }
}
