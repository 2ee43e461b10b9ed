package org.nabla.ops;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;

/**
 * Functional control flow: ops that hold sub-graphs ({@link GraphFunction}s) and run only what the data selects,
 * as TensorFlow's If/Case/While. Inputs are the declared operands followed by the outer values the sub-graphs
 * captured; every sub-graph of one op takes exactly those inputs (in that order). The ops are marked stateful
 * because a sub-graph may read or write variables: graph passes must not fold or merge them (TensorFlow's If and
 * While, as opposed to StatelessIf). Whether a node really has effects is decided from its sub-graphs
 * ({@code org.nabla.graph.Effects}).
 */
public final class ControlFlowOps {
    private ControlFlowOps() {}

    public static final OpDef COND = OpDef.builder("Cond").inputs("pred").variadicInput("inputs", 0)
            .attr("thenBranch", AttrType.GRAPH)
            .attr("elseBranch", AttrType.GRAPH)
            .shape(ControlFlowOps::inferCond)
            .stateful()
            .summary("runs thenBranch if the bool scalar pred is true, else elseBranch, on the remaining inputs")
            .build();

    public static final OpDef CASE = OpDef.builder("Case").inputs("branchIndex").variadicInput("inputs", 0)
            .attr("branches", AttrType.GRAPHS)
            .shape(ControlFlowOps::inferCase)
            .stateful()
            .summary("runs branches[branchIndex] (the last branch when the int32 index is out of range)")
            .build();

    public static final OpDef WHILE = OpDef.builder("While").variadicInput("inputs", 1)
            .attr("cond", AttrType.GRAPH)
            .attr("body", AttrType.GRAPH)
            .attr("maximumIterations", AttrType.INT, -1)
            .attr("parallelIterations", AttrType.INT, 10)
            .attr("keepIntermediates", AttrType.BOOL, false)
            .shape(ControlFlowOps::inferWhile)
            .stateful()
            .summary("loop vars = body(loop vars) while cond(loop vars) is true (at most maximumIterations times, "
                    + "-1 = no limit); keepIntermediates also outputs each loop var stacked per iteration and the "
                    + "iteration count")
            .build();

    // ---------------------------------------------------------------- shape functions

    private static TensorSpec[] inferCond(TensorSpec[] in, Attrs a) {
        if (in[0].dtype() != DType.BOOL || in[0].shape().rank() != 0) {
            throw new OpException("Cond", "pred must be a bool scalar, got " + in[0]);
        }
        List<GraphFunction> branches = List.of(graph(a, "thenBranch"), graph(a, "elseBranch"));
        List<String> names = List.of("then", "else");
        for (int b = 0; b < 2; b++) checkArguments("Cond", "branch '" + names.get(b) + "'", branches.get(b), in, 1);
        return mergeOutputs("Cond", names, branches);
    }

    private static TensorSpec[] inferCase(TensorSpec[] in, Attrs a) {
        if (in[0].dtype() != DType.INT32 || in[0].shape().rank() != 0) {
            throw new OpException("Case", "branchIndex must be an int32 scalar, got " + in[0]);
        }
        GraphFunction[] branches = (GraphFunction[]) a.get("branches");
        if (branches.length == 0) throw new OpException("Case", "needs at least one branch");
        List<String> names = new ArrayList<>();
        for (int b = 0; b < branches.length; b++) {
            names.add(String.valueOf(b));
            checkArguments("Case", "branch " + b, branches[b], in, 1);
        }
        return mergeOutputs("Case", names, List.of(branches));
    }

    private static TensorSpec[] inferWhile(TensorSpec[] in, Attrs a) {
        GraphFunction cond = graph(a, "cond");
        GraphFunction body = graph(a, "body");
        checkArguments("While", "cond", cond, in, 0);
        checkArguments("While", "body", body, in, 0);
        List<TensorSpec> params = body.inputSpecs();
        List<TensorSpec> results = body.outputSpecs();
        int n = results.size();
        if (n == 0 || n > in.length) {
            throw new OpException("While", "body returns " + n + " values but the op has " + in.length
                    + " inputs; it must return one value per loop var (at least one)");
        }
        List<TensorSpec> condOut = cond.outputSpecs();
        if (condOut.size() != 1 || condOut.get(0).dtype() != DType.BOOL || condOut.get(0).shape().rank() != 0) {
            throw new OpException("While", "cond must return one bool scalar, got " + condOut);
        }
        for (int i = 0; i < n; i++) {
            TensorSpec p = params.get(i);
            TensorSpec r = results.get(i);
            if (r.dtype() != p.dtype()) {
                throw new OpException("While", "loop var " + i + " enters the body as " + p + " but the body returns "
                        + r + "; the body must keep each loop var's dtype");
            }
            if (!r.shape().isCompatibleWith(p.shape())) {
                throw new OpException("While", "loop var " + i + " enters the body as " + p + " but the body returns "
                        + r + "; declare the changing dimensions unknown (-1) in the shape invariants");
            }
        }
        int max = a.getInt("maximumIterations");
        if (max < -1) throw new OpException("While", "maximumIterations must be >= 0 or -1 (no limit), got " + max);
        boolean keep = a.getBool("keepIntermediates");
        TensorSpec[] out = new TensorSpec[keep ? 2 * n + 1 : n];
        for (int i = 0; i < n; i++) {
            out[i] = params.get(i);
            if (keep) {
                int[] dims = params.get(i).shape().dims();
                int[] stacked = new int[dims.length + 1];
                stacked[0] = Shape.UNKNOWN;
                System.arraycopy(dims, 0, stacked, 1, dims.length);
                out[n + i] = TensorSpec.of(params.get(i).dtype(), Shape.of(stacked));
            }
        }
        if (keep) out[2 * n] = TensorSpec.of(DType.INT32, Shape.SCALAR);
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private static GraphFunction graph(Attrs a, String name) { return (GraphFunction) a.get(name); }

    /** Checks that {@code f} takes inputs {@code in[from..]}: same count, same dtypes, compatible shapes. */
    private static void checkArguments(String op, String what, GraphFunction f, TensorSpec[] in, int from) {
        List<TensorSpec> params = f.inputSpecs();
        if (params.size() != in.length - from) {
            throw new OpException(op, what + " (" + f.name() + ") takes " + params.size() + " inputs but the op "
                    + "passes " + (in.length - from));
        }
        for (int i = 0; i < params.size(); i++) {
            TensorSpec p = params.get(i);
            TensorSpec x = in[from + i];
            if (p.dtype() != x.dtype() || !p.shape().isCompatibleWith(x.shape())) {
                throw new OpException(op, what + " (" + f.name() + ") takes " + p + " as input " + i + " but the op "
                        + "passes " + x);
            }
        }
    }

    /**
     * The output specs of a multi-branch op: every branch must return as many values, with equal dtypes and ranks;
     * dimensions on which branches differ become unknown.
     */
    private static TensorSpec[] mergeOutputs(String op, List<String> names, List<GraphFunction> branches) {
        List<TensorSpec> first = branches.get(0).outputSpecs();
        TensorSpec[] out = first.toArray(TensorSpec[]::new);
        for (int b = 1; b < branches.size(); b++) {
            List<TensorSpec> other = branches.get(b).outputSpecs();
            String here = "branch " + quote(op, names.get(b));
            String there = "branch " + quote(op, names.get(0));
            if (other.size() != first.size()) {
                throw new OpException(op, here + " returns " + other.size() + " values " + other + " but " + there
                        + " returns " + first.size() + " " + first + "; all branches must return as many values");
            }
            for (int i = 0; i < out.length; i++) {
                TensorSpec o = other.get(i);
                if (o.dtype() != out[i].dtype()) {
                    throw new OpException(op, here + " returns " + o + " as output " + i + " but " + there
                            + " returns " + first.get(i) + "; all branches must return the same dtypes");
                }
                if (o.shape().rank() != out[i].shape().rank()) {
                    throw new OpException(op, here + " returns " + o + " as output " + i + " but " + there
                            + " returns " + first.get(i) + "; all branches must return the same ranks");
                }
                int[] dims = out[i].shape().dims();
                for (int d = 0; d < dims.length; d++) if (dims[d] != o.shape().dim(d)) dims[d] = Shape.UNKNOWN;
                out[i] = TensorSpec.of(o.dtype(), Shape.of(dims));
            }
        }
        return out;
    }

    private static String quote(String op, String name) { return op.equals("Case") ? name : "'" + name + "'"; }
}
