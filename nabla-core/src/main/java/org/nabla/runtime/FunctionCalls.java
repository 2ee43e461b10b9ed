package org.nabla.runtime;

import java.util.HashMap;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.graph.Effects;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Output;
import org.nabla.ops.GraphFunction;

/**
 * Calls function graphs (control-flow branches and bodies, traced functions): feeds the parameters, fetches the
 * results and also runs every effectful node ({@link Effects#effectfulNodes}), so variable updates inside a function
 * happen even though nothing fetches them. The one place that picks the executor for function calls.
 */
public final class FunctionCalls {
    private FunctionCalls() {}

    /** Runs {@code f} on concrete arguments: declared parameters, then captured values. */
    public static Tensor[] call(GraphFunction f, Tensor... args) {
        if (!(f instanceof FuncGraph g)) {
            throw new IllegalArgumentException("cannot call " + f.name() + ": not a function graph ("
                    + f.getClass().getSimpleName() + ")");
        }
        if (args.length != g.params().size()) {
            throw new IllegalArgumentException("function " + g.name() + " takes " + g.params().size()
                    + " arguments (including captures), got " + args.length);
        }
        Map<Output, Tensor> feeds = new HashMap<>();
        for (int i = 0; i < args.length; i++) feeds.put(g.params().get(i), args[i]);
        return SerialExecutor.run(g.graph(), feeds, g.results(), Effects.effectfulNodes(g.graph()))
                .toArray(Tensor[]::new);
    }
}
