package org.nabla.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphOps;
import org.nabla.runtime.optimize.GraphOptimizer;
import org.nabla.runtime.optimize.Optimized;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * The part of a graph one run needs, ready to place: the first four steps of a {@link Plan} (prune to the fetches and
 * targets, check that every placeholder left is fed, copy into a fresh graph where each fed tensor is a placeholder
 * keeping the nodes' names and requested devices, optimize). A session places it on its devices; the distributed
 * master places it on the devices of every task and splits it by task.
 *
 * @param graph   the new graph
 * @param feeds   the placeholder standing for each fed tensor, in feed order
 * @param fetches the output computing each fetch, in fetch order
 */
public record PrunedGraph(Graph graph, List<Output> feeds, List<Output> fetches) {
    public PrunedGraph {
        feeds = List.copyOf(feeds);
        fetches = List.copyOf(fetches);
    }

    /**
     * Prunes {@code graph} for these feeds, fetches and targets and optimizes the result with {@code optimizerOptions}
     * (null: {@link OptimizerOptions#DEFAULT}). A placeholder the fetches or targets need that is not fed fails,
     * listing all such placeholders.
     */
    public static PrunedGraph of(Graph graph, List<Output> feeds, List<Output> fetches, List<Node> targets,
                                 OptimizerOptions optimizerOptions) {
        // (1) prune, (2) every placeholder reached must be fed
        Set<Node> needed = Session.prune(feeds, fetches, targets);
        Set<Output> fed = Set.copyOf(feeds);
        List<String> missing = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (needed.contains(n) && n.op() == GraphOps.PLACEHOLDER && !fed.contains(new Output(n, 0))) {
                missing.add("'" + n.name() + "' " + n.outputSpec(0));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Session.run: missing feed" + (missing.size() == 1 ? "" : "s")
                    + " for placeholder" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + "; the fetches and targets need " + (missing.size() == 1 ? "it" : "them"));
        }
        // (3) the pruned graph: fed tensors become placeholders, nodes keep their names and requested devices
        Graph pruned = new Graph();
        Map<Output, Output> outputs = new HashMap<>();
        Map<Node, Node> copies = new HashMap<>();
        List<Output> feedOutputs = new ArrayList<>();
        for (Output f : feeds) {
            Node n = f.node();
            String name = n.op() == GraphOps.PLACEHOLDER ? n.name()
                    : n.name() + "/_feed_" + f.index();
            Node p;
            try (Graph.ControlScope s = pruned.device(n.device())) {
                p = pruned.addNode(GraphOps.PLACEHOLDER, Attrs.of("dtype", f.spec().dtype(), "shape",
                        f.spec().shape()), List.of(), List.of(), name);
            }
            outputs.put(f, new Output(p, 0));
            feedOutputs.add(new Output(p, 0));
            // a fed placeholder that is also a target or control input stands for its feed node
            if (n.op() == GraphOps.PLACEHOLDER) copies.put(n, p);
        }
        for (Node n : graph.nodes()) {
            if (!needed.contains(n) || copies.containsKey(n)) continue;
            List<Output> ins = new ArrayList<>();
            for (Output o : n.inputs()) {
                Output mapped = outputs.get(o);
                ins.add(mapped != null ? mapped : new Output(copies.get(o.node()), o.index()));
            }
            List<Node> control = n.controlInputs().stream().map(copies::get).toList();
            Node copy;
            try (Graph.ControlScope s = pruned.device(n.device())) {
                copy = pruned.addNode(n.op(), n.attrs(), ins, control, n.name());
            }
            copies.put(n, copy);
        }
        List<Output> prunedFetches = new ArrayList<>();
        for (Output f : fetches) {
            Output mapped = outputs.get(f);
            prunedFetches.add(mapped != null ? mapped : new Output(copies.get(f.node()), f.index()));
        }

        // (4) optimize: folding, CSE, simplification, fusion, dead nodes; feeds, fetches and targets keep their meaning
        OptimizerOptions passes = optimizerOptions == null ? OptimizerOptions.DEFAULT : optimizerOptions;
        List<Output> keep = new ArrayList<>(feedOutputs);
        keep.addAll(prunedFetches);
        List<Node> prunedTargets = targets.stream().map(copies::get).toList();
        Optimized optimized = GraphOptimizer.optimize(pruned, keep, prunedTargets, passes);
        pruned = optimized.graph();
        feedOutputs.replaceAll(optimized::output);
        prunedFetches.replaceAll(optimized::output);
        return new PrunedGraph(pruned, List.copyOf(feedOutputs), List.copyOf(prunedFetches));
    }
}
