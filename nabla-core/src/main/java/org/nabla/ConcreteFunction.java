package org.nabla;

import java.util.List;
import org.nabla.graph.Effects;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Node;
import org.nabla.ops.TensorSpec;
import org.nabla.runtime.FunctionRunner;

/**
 * One trace of a {@link TracedFunction}: the function graph built for one input signature, and the means to run it.
 * Variables are read and written by name when it runs (through the current resource manager), so it never needs
 * retracing when they change; effectful nodes run in program order even when no result depends on them.
 */
public final class ConcreteFunction {
    private final FuncGraph graph;
    private final List<TensorSpec> signature;
    private volatile FunctionRunner runner;

    ConcreteFunction(FuncGraph graph, List<TensorSpec> signature) {
        this.graph = graph;
        this.signature = List.copyOf(signature);
    }

    /**
     * The prepared execution (optimized graph compiled for the executor), made on the first call and reused by
     * every later one.
     */
    public FunctionRunner runner() {
        FunctionRunner r = runner;
        if (r == null) {
            synchronized (this) {
                r = runner;
                if (r == null) runner = r = FunctionRunner.prepare(graph);
            }
        }
        return r;
    }

    /** The traced graph (parameters are the placeholders {@code arg0, arg1, ...}). */
    public FuncGraph graph() { return graph; }

    /** The input signature it was traced for (-1 dims accept any size). */
    public List<TensorSpec> inputSignature() { return signature; }

    /** The result specs. */
    public List<TensorSpec> outputSpecs() { return graph.outputSpecs(); }

    /** The nodes every call runs besides those the results need (variable updates, reads, random ops...). */
    public List<Node> effectfulNodes() { return Effects.effectfulNodes(graph.graph()); }

    /** Runs the graph on concrete arguments matching the signature. */
    public Tensor[] call(Tensor... args) {
        if (args.length != signature.size()) {
            throw new IllegalArgumentException("function " + graph.name() + " takes " + signature.size()
                    + " arguments " + signature + ", got " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            TensorSpec s = signature.get(i);
            if (args[i] == null) throw new IllegalArgumentException("function " + graph.name() + ": argument " + i
                    + " is null");
            if (args[i].isSymbolic()) {
                throw new IllegalArgumentException("function " + graph.name() + ": argument " + i + " is a graph "
                        + "tensor; call the Function itself inside a graph to inline it");
            }
            if (args[i].dtype() != s.dtype() || !args[i].shape().isCompatibleWith(s.shape())) {
                throw new IllegalArgumentException("function " + graph.name() + ": argument " + i + " is "
                        + args[i].spec() + " but the signature expects " + s);
            }
        }
        return runner().call(args);
    }

    /**
     * The signature, the result specs and the graph's nodes (with their control inputs), one per line, followed by the
     * sub-graphs of control-flow nodes, indented.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ConcreteFunction " + graph.name() + signature + " -> "
                + graph.outputSpecs() + "\n");
        print(graph, "    ", sb);
        return sb.toString();
    }

    private static void print(FuncGraph f, String indent, StringBuilder sb) {
        for (Node n : f.graph().nodes()) {
            sb.append(indent).append(n);
            if (!n.controlInputs().isEmpty()) {
                sb.append(" after ").append(n.controlInputs().stream().map(Node::name).toList());
            }
            sb.append('\n');
            for (Object v : n.attrs().asMap().values()) {
                if (v instanceof FuncGraph sub) printSub(sub, indent, sb);
                if (v instanceof org.nabla.ops.GraphFunction[] subs) {
                    for (org.nabla.ops.GraphFunction g : subs) {
                        if (g instanceof FuncGraph sub) printSub(sub, indent, sb);
                    }
                }
            }
        }
        sb.append(indent).append("results: ").append(f.results()).append('\n');
    }

    private static void printSub(FuncGraph sub, String indent, StringBuilder sb) {
        sb.append(indent).append("  ").append(sub.name()).append(sub.params()).append(":\n");
        print(sub, indent + "    ", sb);
    }
}
