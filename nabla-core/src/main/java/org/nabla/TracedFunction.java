package org.nabla;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.nabla.graph.Effects;
import org.nabla.graph.FuncGraph;
import org.nabla.eager.EagerContext;
import org.nabla.eager.ExecutionContext;
import org.nabla.ops.TensorSpec;

/**
 * tf.function: a Java lambda over tensors, traced into a graph on its first call for each input signature and then
 * run as that graph. The signature is the arguments' dtypes and shapes, or a declared one whose unknown (-1) dims let
 * one trace serve every size. While tracing, ops record nodes instead of computing, eager tensors the lambda uses
 * become constants, {@link Variable#read()} records a read resolved at each call (so new variable values are seen
 * without retracing), and Java control flow runs once (use {@link Ops#cond} and {@link Ops#whileLoop} for
 * data-dependent control flow). Called inside a graph being built (or under a gradient tape), the lambda is simply
 * inlined.
 */
public final class TracedFunction {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final java.util.function.Function<Tensor[], Tensor[]> body;
    private final List<TensorSpec> declared;
    private final Map<List<TensorSpec>, ConcreteFunction> traces = new ConcurrentHashMap<>();
    private final AtomicInteger traceCount = new AtomicInteger();

    private TracedFunction(String name, java.util.function.Function<Tensor[], Tensor[]> body, List<TensorSpec> declared) {
        this.name = name;
        this.body = body;
        this.declared = declared;
    }

    /** A function of several tensors with several results. */
    public static TracedFunction of(java.util.function.Function<Tensor[], Tensor[]> body) {
        return of("function_" + COUNTER.incrementAndGet(), body);
    }

    /** A named function (the name shows in its graphs and messages). */
    public static TracedFunction of(String name, java.util.function.Function<Tensor[], Tensor[]> body) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("TracedFunction: name is empty");
        if (body == null) throw new IllegalArgumentException("TracedFunction " + name + ": body is null");
        return new TracedFunction(name, body, null);
    }

    /** A function of one tensor with one result. */
    public static TracedFunction unary(UnaryOperator<Tensor> body) {
        if (body == null) throw new IllegalArgumentException("TracedFunction: body is null");
        return of(args -> new Tensor[] {body.apply(args[0])});
    }

    /**
     * This function with a declared input signature: every call must fit it (dtype equal, shape compatible) and one
     * trace, made with the declared (possibly unknown) dims, serves all calls.
     */
    public TracedFunction withInputSignature(TensorSpec... signature) {
        return new TracedFunction(name, body, List.of(signature));
    }

    /** The name its graphs and error messages use. */
    public String name() { return name; }

    /**
     * Runs the function: finds (or traces) the graph for the arguments' signature and executes it. Under any context
     * other than plain eager execution (a graph being built, another trace, a recording gradient tape) the lambda
     * runs directly in that context instead, so the graph or tape sees every op.
     */
    public Tensor[] call(Tensor... args) {
        if (ExecutionContext.current() != EagerContext.INSTANCE) return body.apply(args.clone());
        return concreteFunction(signatureOf(args)).call(args);
    }

    /** Runs a single-result function. */
    public Tensor apply(Tensor... args) {
        Tensor[] r = call(args);
        if (r.length != 1) {
            throw new IllegalArgumentException("function " + name + " returns " + r.length + " values; use call()");
        }
        return r[0];
    }

    /** The trace for {@code signature}, made now if there is none yet. */
    public ConcreteFunction concreteFunction(TensorSpec... signature) {
        return concreteFunction(List.of(signature));
    }

    /** The traced graph for {@code signature} (traced now if needed), for printing or inspection. */
    public FuncGraph graph(TensorSpec... signature) { return concreteFunction(signature).graph(); }

    /** How many times the lambda was traced (once per distinct signature). */
    public int traceCount() { return traceCount.get(); }

    /** The signatures traced so far. */
    public List<List<TensorSpec>> tracedSignatures() { return List.copyOf(traces.keySet()); }

    private ConcreteFunction concreteFunction(List<TensorSpec> signature) {
        List<TensorSpec> key = declared == null ? signature : fitDeclared(signature);
        ConcreteFunction f = traces.get(key);
        if (f != null) return f;
        synchronized (this) {
            f = traces.get(key);
            if (f == null) {
                f = trace(key);
                traces.put(key, f);
            }
        }
        return f;
    }

    private ConcreteFunction trace(List<TensorSpec> signature) {
        String traceName = name + "_" + traces.size();
        FuncGraph g = FuncGraph.trace(traceName, signature, Effects.ordered(args -> {
            Tensor[] r = body.apply(args);
            if (r == null) throw new IllegalArgumentException("function " + name + " returned null");
            for (int i = 0; i < r.length; i++) {
                if (r[i] == null) throw new IllegalArgumentException("function " + name + " returned null as "
                        + "result " + i);
            }
            return r;
        }));
        if (!g.capturedOuter().isEmpty()) {
            throw new IllegalArgumentException("function " + name + " uses tensors of another graph: "
                    + g.capturedOuter().stream().map(t -> String.valueOf(t.symbol())).toList()
                    + "; pass them as arguments");
        }
        traceCount.incrementAndGet();
        return new ConcreteFunction(g, signature);
    }

    private List<TensorSpec> fitDeclared(List<TensorSpec> actual) {
        if (actual.size() != declared.size()) {
            throw new IllegalArgumentException("function " + name + " takes " + declared.size() + " arguments "
                    + declared + ", got " + actual.size() + " " + actual);
        }
        for (int i = 0; i < actual.size(); i++) {
            TensorSpec a = actual.get(i);
            TensorSpec d = declared.get(i);
            if (a.dtype() != d.dtype() || !a.shape().isCompatibleWith(d.shape())) {
                throw new IllegalArgumentException("function " + name + ": argument " + i + " is " + a
                        + ", which does not fit the input signature's " + d);
            }
        }
        return declared;
    }

    private List<TensorSpec> signatureOf(Tensor[] args) {
        List<TensorSpec> specs = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                throw new IllegalArgumentException("function " + name + ": argument " + i + " is null");
            }
            specs.add(args[i].spec());
        }
        return specs;
    }

    @Override
    public String toString() {
        return "Function " + name + (declared == null ? "" : " " + declared) + " (" + traceCount() + " traces: "
                + Arrays.toString(traces.keySet().toArray()) + ")";
    }
}
