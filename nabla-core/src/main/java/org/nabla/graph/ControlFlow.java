package org.nabla.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.ControlFlowOps;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * What {@code Ops.cond}, {@code Ops.caseOf} and {@code Ops.whileLoop} do. Eagerly they are plain Java control flow:
 * evaluate the predicate, run the chosen lambda, loop while the condition holds. Inside a graph (or a traced
 * function) they trace each lambda into a {@link FuncGraph} (branches with no parameters, loop condition and body on
 * the loop vars), make all sub-graphs of the op take the same captured outer tensors, and add one Cond/Case/While
 * node.
 */
public final class ControlFlow {
    private static final AtomicLong COUNTER = new AtomicLong();

    private ControlFlow() {}

    /** A branch with one result (the single-output forms of cond and caseOf). */
    @FunctionalInterface
    public interface Branch {
        Tensor get();
    }

    /**
     * True when op calls on this thread build a graph rather than compute (also under a gradient tape recording
     * graph-building code: the tape's target context decides).
     */
    public static boolean building() { return ExecutionContext.current().target() instanceof GraphContext; }

    /** Runs a control-flow op in the current context (directly, not through the {@code Ops} front door above). */
    private static Tensor[] execute(OpDef op, Attrs attrs, Tensor... inputs) {
        return ExecutionContext.current().execute(op, attrs, inputs);
    }

    // ---------------------------------------------------------------- cond

    public static Tensor[] cond(Tensor pred, Supplier<Tensor[]> thenFn, Supplier<Tensor[]> elseFn) {
        if (pred.dtype() != DType.BOOL || pred.rank() != 0) {
            throw new OpException("Cond", "pred must be a bool scalar, got " + pred.spec());
        }
        if (!building()) {
            return results("Cond: a branch", eagerValue("Cond", pred).booleanValue() ? thenFn.get() : elseFn.get());
        }
        long id = COUNTER.incrementAndGet();
        List<FuncGraph> branches = new ArrayList<>(List.of(
                traceBranch("cond_then_" + id, thenFn), traceBranch("cond_else_" + id, elseFn)));
        List<Tensor> captures = FuncGraph.alignCaptures(branches);
        return execute(ControlFlowOps.COND, Attrs.of("thenBranch", branches.get(0), "elseBranch",
                branches.get(1)), prepend(pred, captures));
    }

    // ---------------------------------------------------------------- case

    /** Runs {@code branches[index]}; an out-of-range index runs the last branch (the default). */
    public static Tensor[] switchCase(Tensor index, List<Supplier<Tensor[]>> branches) {
        if (branches.isEmpty()) throw new IllegalArgumentException("Case: needs at least one branch");
        if (index.dtype() != DType.INT32 || index.rank() != 0) {
            throw new OpException("Case", "branchIndex must be an int32 scalar, got " + index.spec());
        }
        if (!building()) {
            int i = eagerValue("Case", index).intValue();
            int taken = i < 0 || i >= branches.size() ? branches.size() - 1 : i;
            return results("Case: a branch", branches.get(taken).get());
        }
        long id = COUNTER.incrementAndGet();
        List<FuncGraph> traced = new ArrayList<>();
        for (int b = 0; b < branches.size(); b++) {
            traced.add(traceBranch("case_" + id + "_branch" + b, branches.get(b)));
        }
        List<Tensor> captures = FuncGraph.alignCaptures(traced);
        return execute(ControlFlowOps.CASE, Attrs.of("branches", traced.toArray(GraphFunction[]::new)),
                prepend(index, captures));
    }

    // ---------------------------------------------------------------- while

    /**
     * Loops {@code vars = body(vars)} while {@code cond(vars)} is true, at most {@code maximumIterations} times (-1:
     * no limit). In a graph, {@code shapeInvariants} (null: the loop vars' shapes) are the shapes the loop vars may
     * take; when invariants are not given and the body changes a dimension, that dimension becomes unknown.
     */
    public static Tensor[] whileLoop(Function<Tensor[], Tensor> cond, Function<Tensor[], Tensor[]> body,
                                     Tensor[] loopVars, int maximumIterations, Shape[] shapeInvariants) {
        if (loopVars.length == 0) throw new IllegalArgumentException("While: needs at least one loop var");
        if (maximumIterations < -1) {
            throw new IllegalArgumentException("While: maximumIterations must be >= 0 or -1 (no limit), got "
                    + maximumIterations);
        }
        if (shapeInvariants != null && shapeInvariants.length != loopVars.length) {
            throw new IllegalArgumentException("While: " + shapeInvariants.length + " shape invariants for "
                    + loopVars.length + " loop vars");
        }
        return building() ? whileGraph(cond, body, loopVars, maximumIterations, shapeInvariants)
                : whileEager(cond, body, loopVars, maximumIterations);
    }

    private static Tensor[] whileEager(Function<Tensor[], Tensor> cond, Function<Tensor[], Tensor[]> body,
                                       Tensor[] loopVars, int max) {
        Tensor[] vars = loopVars.clone();
        for (int it = 0; max < 0 || it < max; it++) {
            Tensor c = cond.apply(vars.clone());
            if (c == null || c.dtype() != DType.BOOL || c.rank() != 0) {
                throw new OpException("While", "cond must return one bool scalar, got " + (c == null ? null
                        : c.spec()));
            }
            if (!c.booleanValue()) break;
            Tensor[] next = body.apply(vars.clone());
            checkEagerBody(loopVars, next);
            vars = next;
        }
        return vars;
    }

    private static Tensor[] whileGraph(Function<Tensor[], Tensor> cond, Function<Tensor[], Tensor[]> body,
                                       Tensor[] loopVars, int max, Shape[] invariants) {
        long id = COUNTER.incrementAndGet();
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < loopVars.length; i++) {
            Shape s = invariants == null ? loopVars[i].shape() : invariants[i];
            if (!s.isCompatibleWith(loopVars[i].shape())) {
                throw new OpException("While", "loop var " + i + " has shape " + loopVars[i].shape()
                        + ", which does not fit its shape invariant " + s);
            }
            specs.add(TensorSpec.of(loopVars[i].dtype(), s));
        }
        FuncGraph bodyGraph;
        while (true) {
            bodyGraph = FuncGraph.trace("while_body_" + id, specs,
                    Effects.ordered(args -> results("While: body", body.apply(args))));
            List<TensorSpec> relaxed = checkBody(loopVars, bodyGraph.outputSpecs(), specs, invariants != null);
            if (relaxed.equals(specs)) break;
            specs = relaxed; // the body changed some dimension: retrace with it unknown, as with a -1 invariant
        }
        FuncGraph condGraph = FuncGraph.trace("while_cond_" + id, specs,
                Effects.ordered(args -> results("While: cond", new Tensor[] {cond.apply(args)})));
        List<FuncGraph> graphs = new ArrayList<>(List.of(condGraph, bodyGraph));
        List<Tensor> captures = FuncGraph.alignCaptures(graphs);
        List<Tensor> inputs = new ArrayList<>(Arrays.asList(loopVars));
        inputs.addAll(captures);
        Tensor[] out = execute(ControlFlowOps.WHILE, Attrs.of("cond", graphs.get(0), "body", graphs.get(1),
                "maximumIterations", max), inputs.toArray(Tensor[]::new));
        return Arrays.copyOf(out, loopVars.length);
    }

    /** Eager check of the body's results: one per loop var, same dtypes. */
    private static void checkEagerBody(Tensor[] loopVars, Tensor[] next) {
        if (next == null || next.length != loopVars.length) {
            throw new OpException("While", "body must return " + loopVars.length + " loop vars, returned "
                    + (next == null ? "null" : next.length + " values"));
        }
        for (int i = 0; i < next.length; i++) {
            if (next[i] == null) throw new OpException("While", "body returned null for loop var " + i);
            if (next[i].dtype() != loopVars[i].dtype()) {
                throw new OpException("While", "loop var " + i + " enters the body as " + loopVars[i].spec()
                        + " but the body returns " + next[i].spec() + "; the body must keep each loop var's dtype");
            }
        }
    }

    /**
     * Checks traced body outputs against the loop vars' specs and returns the specs relaxed to fit them (unknown
     * dims where they differ); with explicit invariants a change is an error.
     */
    private static List<TensorSpec> checkBody(Tensor[] loopVars, List<TensorSpec> out, List<TensorSpec> specs,
                                              boolean explicit) {
        if (out.size() != specs.size()) {
            throw new OpException("While", "body must return " + specs.size() + " loop vars, returned "
                    + out.size() + " values");
        }
        List<TensorSpec> relaxed = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            TensorSpec in = specs.get(i);
            TensorSpec o = out.get(i);
            if (o.dtype() != in.dtype()) {
                throw new OpException("While", "loop var " + i + " enters the body as " + in + " but the body returns "
                        + o + "; the body must keep each loop var's dtype");
            }
            if (o.shape().rank() != in.shape().rank() || (explicit && !o.shape().isCompatibleWith(in.shape()))) {
                throw new OpException("While", "loop var " + i + " enters the body as " + in + " but the body returns "
                        + o + (explicit ? "; it does not fit the shape invariant" : "; the rank must not change"));
            }
            int[] dims = in.shape().dims();
            for (int d = 0; d < dims.length; d++) if (dims[d] != o.shape().dim(d)) dims[d] = Shape.UNKNOWN;
            relaxed.add(TensorSpec.of(in.dtype(), Shape.of(dims)));
        }
        return relaxed;
    }

    // ---------------------------------------------------------------- inlining

    /**
     * Replays the nodes of {@code f} on {@code args} (declared parameters, then captured values) in the current
     * context: inside a graph this copies the function's nodes into it (keeping control edges among effectful ones),
     * eagerly it computes. (Gradient rules replay only a function's data path instead, so that variable writes are
     * not repeated: {@code org.nabla.autodiff.ControlFlowGradients}.)
     */
    public static Tensor[] inline(FuncGraph f, Tensor... args) {
        if (args.length != f.params().size()) {
            throw new IllegalArgumentException("inline " + f.name() + ": takes " + f.params().size()
                    + " arguments (including captures), got " + args.length);
        }
        java.util.Map<Output, Tensor> values = new java.util.HashMap<>();
        java.util.Map<Node, Node> copies = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) values.put(f.params().get(i), args[i]);
        java.util.Set<Node> needed = Graph.ancestors(concat(f.results().stream().map(Output::node).toList(),
                Effects.effectfulNodes(f.graph())));
        ExecutionContext ctx = ExecutionContext.current();
        Graph target = ctx instanceof GraphContext gc ? gc.graph() : null;
        for (Node n : f.graph().nodes()) {
            if (!needed.contains(n) || (n.numOutputs() > 0 && values.containsKey(new Output(n, 0)))) continue;
            Tensor[] in = new Tensor[n.inputs().size()];
            for (int i = 0; i < in.length; i++) in[i] = values.get(n.inputs().get(i));
            List<Node> control = new ArrayList<>();
            for (Node c : n.controlInputs()) if (copies.containsKey(c)) control.add(copies.get(c));
            int before = target == null ? 0 : target.size();
            Tensor[] out;
            if (target != null && !control.isEmpty()) {
                try (Graph.ControlScope s = target.withControlDependencies(control)) {
                    out = ctx.execute(n.op(), n.attrs(), in);
                }
            } else {
                out = ctx.execute(n.op(), n.attrs(), in);
            }
            for (int i = 0; i < out.length; i++) values.put(new Output(n, i), out[i]);
            if (target != null && target.size() > before) {
                copies.put(n, out.length > 0 ? target.outputOf(out[0]).node() : target.nodes().getLast());
            }
        }
        Tensor[] results = new Tensor[f.results().size()];
        for (int i = 0; i < results.length; i++) results[i] = values.get(f.results().get(i));
        return results;
    }

    private static List<Node> concat(List<Node> a, List<Node> b) {
        List<Node> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    // ---------------------------------------------------------------- helpers

    private static Tensor eagerValue(String op, Tensor t) {
        if (t.isSymbolic()) {
            throw new OpException(op, "got graph tensor " + t.symbol() + " but no graph is being built; build the "
                    + "op inside the graph's context");
        }
        return t;
    }

    private static FuncGraph traceBranch(String name, Supplier<Tensor[]> fn) {
        return FuncGraph.trace(name, List.of(), Effects.ordered(args -> results("branch " + name, fn.get())));
    }

    private static Tensor[] results(String what, Tensor[] r) {
        if (r == null) throw new IllegalArgumentException(what + " returned null");
        for (int i = 0; i < r.length; i++) {
            if (r[i] == null) throw new IllegalArgumentException(what + " returned null as value " + i);
        }
        return r;
    }

    private static Tensor[] prepend(Tensor first, List<Tensor> rest) {
        Tensor[] all = new Tensor[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) all[i + 1] = rest.get(i);
        return all;
    }
}
