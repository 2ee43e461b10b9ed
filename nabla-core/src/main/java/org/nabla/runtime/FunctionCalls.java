package org.nabla.runtime;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.graph.Effects;
import org.nabla.graph.FuncGraph;
import org.nabla.kernels.FunctionLibrary;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.GraphFunction;

/**
 * Calls function graphs (control-flow branches and bodies): feeds the parameters, fetches the results and also runs
 * every effectful node ({@link Effects#effectfulNodes}), so variable updates inside a function happen even though
 * nothing fetches them. Each function graph is prepared once ({@link FunctionRunner}: pruned, optimized, compiled)
 * and cached while the graph lives; calls run inline on the calling thread (they come from kernels, often on an
 * inter-op worker, which must not wait on its own pool).
 */
public final class FunctionCalls implements FunctionLibrary {
    private static final Map<FuncGraph, FunctionRunner> RUNNERS = Collections.synchronizedMap(new WeakHashMap<>());

    /** For ServiceLoader: kernels reach the function runtime as a {@link FunctionLibrary}. */
    public FunctionCalls() {}

    @Override
    public Tensor[] call(GraphFunction function, Tensor[] args, KernelContext caller) {
        return call(function, args, caller, 0);
    }

    /**
     * A kernel of a step with a {@link FunctionRuntime} (a session's run, a worker's partition) calls through that
     * runtime: the function may place nodes on any device of the session or cluster, and runs as a sub-step of the
     * caller's step. Other callers (eager kernels, traced functions) run the function on its own CPU devices.
     */
    @Override
    public Tensor[] call(GraphFunction function, Tensor[] args, KernelContext caller, long iteration) {
        if (caller instanceof NodeKernelContext node && node.step().functions != null) {
            FuncGraph g = funcGraph(function, args);
            return node.step().functions.call(g, args, node.step(), node.device(), iteration);
        }
        return call(function, caller.resources(), args);
    }

    /** Runs {@code f} on concrete arguments (declared parameters, then captured values) over the eager variables. */
    public static Tensor[] call(GraphFunction f, Tensor... args) { return call(f, ResourceManager.eager(), args); }

    /** Runs {@code f} on concrete arguments with the variables of {@code resources}. */
    public static Tensor[] call(GraphFunction f, ResourceManager resources, Tensor... args) {
        return runner(funcGraph(f, args)).callInline(resources, args);
    }

    private static FuncGraph funcGraph(GraphFunction f, Tensor[] args) {
        if (!(f instanceof FuncGraph g)) {
            throw new IllegalArgumentException("cannot call " + f.name() + ": not a function graph ("
                    + f.getClass().getSimpleName() + ")");
        }
        if (args.length != g.params().size()) {
            throw new IllegalArgumentException("function " + g.name() + " takes " + g.params().size()
                    + " arguments (including captures), got " + args.length);
        }
        return g;
    }

    /** The cached preparation of {@code g} (made now if missing, or if nodes were added since). */
    public static FunctionRunner runner(FuncGraph g) {
        FunctionRunner r = RUNNERS.get(g);
        if (r == null || !r.isCurrent()) {
            r = FunctionRunner.prepare(g);
            RUNNERS.put(g, r);
        }
        return r;
    }
}
