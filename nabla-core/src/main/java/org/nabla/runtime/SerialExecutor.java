package org.nabla.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.Tensor;
import org.nabla.eager.EagerContext;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.OpException;

/**
 * The simplest way to run a graph: prune to what the fetches and targets need, then run the nodes one by one in
 * creation order with the eager kernels. A reference for the parallel executor, and the runner of function graphs.
 */
public final class SerialExecutor {
    private SerialExecutor() {}

    /** Runs the subgraph behind {@code fetches} and {@code targets} with {@code feeds} replacing node outputs. */
    public static List<Tensor> run(Graph graph, Map<Output, Tensor> feeds, List<Output> fetches, List<Node> targets) {
        List<Node> roots = new ArrayList<>(targets);
        for (Output f : fetches) roots.add(f.node());
        Set<Node> needed = Graph.ancestors(roots);
        Map<Output, Tensor> values = new HashMap<>(feeds);
        for (Node n : graph.nodes()) {
            if (!needed.contains(n)) continue;
            boolean allFed = n.numOutputs() > 0;
            for (int i = 0; i < n.numOutputs() && allFed; i++) allFed = feeds.containsKey(new Output(n, i));
            if (allFed) continue;
            Tensor[] in = new Tensor[n.inputs().size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = values.get(n.inputs().get(i));
                if (in[i] == null) {
                    throw new IllegalStateException("node " + n.name() + ": input " + n.inputs().get(i)
                            + " has no value");
                }
            }
            Tensor[] out;
            try {
                out = EagerContext.INSTANCE.execute(n.op(), n.attrs(), in);
            } catch (OpException e) {
                throw new OpException(n.op().name(), "in node '" + n.name() + "': "
                        + e.getMessage().substring(n.op().name().length() + 2));
            }
            for (int i = 0; i < out.length; i++) values.putIfAbsent(new Output(n, i), out[i]);
        }
        List<Tensor> result = new ArrayList<>(fetches.size());
        for (Output f : fetches) result.add(values.get(f));
        return result;
    }

    /** Calls a function graph on concrete arguments (declared parameters, then captured values). */
    public static Tensor[] call(FuncGraph f, Tensor... args) {
        if (args.length != f.params().size()) {
            throw new IllegalArgumentException("function " + f.name() + " takes " + f.params().size()
                    + " arguments (including captures), got " + args.length);
        }
        Map<Output, Tensor> feeds = new HashMap<>();
        for (int i = 0; i < args.length; i++) feeds.put(f.params().get(i), args[i]);
        return run(f.graph(), feeds, f.results(), List.of()).toArray(Tensor[]::new);
    }
}
