package org.nabla.runtime.optimize;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.DType;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.LinalgOps;
import org.nabla.ops.MathOps;
import org.nabla.ops.StateOps;
import org.nabla.ops.TensorSpec;

/**
 * Fuses the plain SGD update {@code AssignSubVariable(Mul(delta, alpha))}, alpha a scalar of delta's dtype (float32 or
 * float64), into one {@link StateOps#APPLY_GRADIENT_DESCENT} node (TensorFlow's ResourceApplyGradientDescent): the
 * scaled gradient is never materialized, so a weight update reads the gradient and the old value once and writes the
 * new value once. The assignment keeps its name, control inputs and result (the new value); the Mul is fused only if
 * the assignment is its single consumer and it is neither pinned nor under control dependencies (dead-node removal
 * drops it afterwards). Results are bitwise those of the unfused ops.
 *
 * <p>When the delta is itself a product of two matrices used only there (a dense layer's weight gradient), the update
 * becomes {@link StateOps#MATMUL_APPLY_GRADIENT_DESCENT}: one GEMM accumulates {@code -alpha * a b} onto a copy of the
 * weights, so the gradient is never written out (bitwise equal for inner dimensions up to 256, within rounding beyond).
 */
final class UpdateFusion implements Pass {
    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        Map<Node, Integer> uses = new HashMap<>();
        for (Node n : graph.nodes()) {
            for (Output o : n.inputs()) uses.merge(o.node(), 1, Integer::sum);
            for (Node c : n.controlInputs()) uses.merge(c, 1, Integer::sum);
        }
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : graph.nodes()) {
            Output[] parts = n.op() == StateOps.ASSIGN_SUB_VARIABLE ? scaled(n.inputs().get(0), pinned, uses) : null;
            Node product = parts == null ? null : matrixProduct(parts[0], pinned, uses);
            if (parts == null) {
                rw.copy(n);
            } else if (product != null) {
                Attrs attrs = Attrs.of("name", n.attrs().getString("name"), "transposeA",
                        product.attrs().getBool("transposeA"), "transposeB", product.attrs().getBool("transposeB"));
                rw.rebuild(n, StateOps.MATMUL_APPLY_GRADIENT_DESCENT, attrs, List.of(rw.map(parts[1]),
                        rw.map(product.inputs().get(0)), rw.map(product.inputs().get(1))));
            } else {
                rw.rebuild(n, StateOps.APPLY_GRADIENT_DESCENT, Attrs.of("name", n.attrs().getString("name")),
                        List.of(rw.map(parts[1]), rw.map(parts[0])));
            }
        }
        return rw.finish();
    }

    /** (delta, alpha) if {@code o} is a fusable {@code Mul} of a tensor by a scalar of its dtype; else null. */
    private static Output[] scaled(Output o, Set<Node> pinned, Map<Node, Integer> uses) {
        Node mul = o.node();
        if (mul.op() != MathOps.MUL || pinned.contains(mul) || !mul.controlInputs().isEmpty()
                || uses.getOrDefault(mul, 0) != 1) {
            return null;
        }
        DType dtype = o.spec().dtype();
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) return null;
        Output x = mul.inputs().get(0);
        Output y = mul.inputs().get(1);
        if (isScalar(y, dtype) && x.spec().equals(o.spec())) return new Output[] {x, y};
        if (isScalar(x, dtype) && y.spec().equals(o.spec())) return new Output[] {y, x};
        return null;
    }

    /** The MatMul of two matrices producing {@code delta}, if the update may absorb it; else null. */
    private static Node matrixProduct(Output delta, Set<Node> pinned, Map<Node, Integer> uses) {
        Node p = delta.node();
        if (p.op() != LinalgOps.MATMUL || pinned.contains(p) || !p.controlInputs().isEmpty()
                || uses.getOrDefault(p, 0) != 1) {
            return null;
        }
        TensorSpec a = p.inputs().get(0).spec(), b = p.inputs().get(1).spec();
        return a.shape().rank() == 2 && b.shape().rank() == 2 && a.dtype() == delta.spec().dtype()
                && b.dtype() == a.dtype() ? p : null;
    }

    private static boolean isScalar(Output o, DType dtype) {
        return o.spec().dtype() == dtype && o.spec().shape().rank() == 0;
    }
}
