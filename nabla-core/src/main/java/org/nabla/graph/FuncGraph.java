package org.nabla.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.TensorSpec;

/**
 * A graph with parameters (placeholders) and results: the body of a control-flow branch or loop, or a traced
 * function. {@link #trace} builds one by running a Java lambda on symbolic parameters. Symbolic tensors of an
 * enclosing graph that the lambda uses are captured: each becomes an extra parameter, listed in
 * {@link #capturedOuter()} so the caller can pass the outer values along.
 */
public final class FuncGraph implements GraphFunction {
    private final String name;
    private final Graph graph;
    private final List<Output> params;
    private final List<Output> results;
    private final List<Tensor> capturedOuter;

    private FuncGraph(String name, Graph graph, List<Output> params, List<Output> results, List<Tensor> captured) {
        this.name = name;
        this.graph = graph;
        this.params = List.copyOf(params);
        this.results = List.copyOf(results);
        this.capturedOuter = List.copyOf(captured);
    }

    /** Rebuilds a function graph from its parts (graph files; {@link GraphIO}). */
    static FuncGraph restore(String name, Graph graph, List<Output> params, List<Output> results,
                             List<Tensor> captured) {
        return new FuncGraph(name, graph, params, results, captured);
    }

    /** Traces {@code body} on placeholders of {@code inputSpecs} into a new graph. */
    public static FuncGraph trace(String name, List<TensorSpec> inputSpecs, Function<Tensor[], Tensor[]> body) {
        Graph g = new Graph();
        List<Output> params = new ArrayList<>();
        Tensor[] args = new Tensor[inputSpecs.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = g.placeholder("arg" + i, inputSpecs.get(i).dtype(), inputSpecs.get(i).shape());
            params.add(g.outputOf(args[i]));
        }
        CapturingContext ctx = new CapturingContext(g);
        Tensor[] out;
        try (ExecutionContext.Scope s = ExecutionContext.enter(ctx)) {
            out = body.apply(args);
        }
        List<Output> results = new ArrayList<>();
        try (ExecutionContext.Scope s = ExecutionContext.enter(ctx)) {
            for (Tensor t : out) results.add(ctx.toOutput(t));
        }
        params.addAll(ctx.captureParams);
        return new FuncGraph(name, g, params, results, ctx.captureOuter);
    }

    @Override public String name() { return name; }

    public Graph graph() { return graph; }

    /** Parameters: first the declared ones, then one per captured outer tensor. */
    public List<Output> params() { return params; }

    public List<Output> results() { return results; }

    /** The outer symbolic tensors the body used, in the order of the extra parameters. */
    public List<Tensor> capturedOuter() { return capturedOuter; }

    /**
     * This function with its capture parameters reordered to follow {@code outer}, a superset of
     * {@link #capturedOuter()}. Control-flow ops make every branch (or condition and body) take the same inputs, as
     * TensorFlow's cond_v2 does: an outer tensor that only another branch uses becomes an unused parameter here.
     */
    public FuncGraph withCaptures(List<Tensor> outer) {
        int declared = params.size() - capturedOuter.size();
        List<Output> p = new ArrayList<>(params.subList(0, declared));
        for (Tensor c : capturedOuter) {
            if (outer.stream().noneMatch(o -> o == c)) {
                throw new IllegalArgumentException("function " + name + " captures " + c.symbol()
                        + ", which is missing from " + outer.size() + " outer tensors");
            }
        }
        for (Tensor o : outer) {
            int i = 0;
            while (i < capturedOuter.size() && capturedOuter.get(i) != o) i++;
            p.add(i < capturedOuter.size() ? params.get(declared + i)
                    : graph.outputOf(graph.placeholder("capture", o.dtype(), o.shape())));
        }
        return new FuncGraph(name, graph, p, results, outer);
    }

    /**
     * Makes every function of {@code graphs} take the union of their captured outer tensors, in one order, by
     * replacing each element with its {@link #withCaptures} copy; returns that order (the extra inputs of the
     * control-flow op that calls them). Forward branches and loop parts and their gradient branches share this.
     */
    public static List<Tensor> alignCaptures(List<FuncGraph> graphs) {
        List<Tensor> union = new ArrayList<>();
        for (FuncGraph g : graphs) {
            for (Tensor t : g.capturedOuter()) if (union.stream().noneMatch(u -> u == t)) union.add(t);
        }
        for (int i = 0; i < graphs.size(); i++) graphs.set(i, graphs.get(i).withCaptures(union));
        return union;
    }

    @Override
    public List<TensorSpec> inputSpecs() { return params.stream().map(Output::spec).toList(); }

    @Override
    public List<TensorSpec> outputSpecs() { return results.stream().map(Output::spec).toList(); }

    @Override
    public String toString() { return "FuncGraph " + name + params + " -> " + results; }

    /** Captures outer symbolic tensors as extra placeholders of the function graph. */
    private static final class CapturingContext extends GraphContext {
        final List<Output> captureParams = new ArrayList<>();
        final List<Tensor> captureOuter = new ArrayList<>();
        private final java.util.IdentityHashMap<Tensor, Output> byOuter = new java.util.IdentityHashMap<>();

        CapturingContext(Graph g) { super(g); }

        @Override
        protected Output toOutput(Tensor t) { return super.toOutput(t); }

        @Override
        protected Output captureSymbolic(Tensor outer) {
            return byOuter.computeIfAbsent(outer, o -> {
                Tensor p = graph.placeholder("capture", o.dtype(), o.shape());
                captureParams.add(graph.outputOf(p));
                captureOuter.add(o);
                return graph.outputOf(p);
            });
        }
    }
}
