package org.nabla.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.device.Device;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphOps;
import org.nabla.ops.TensorSpec;
import org.nabla.runtime.optimize.GraphOptimizer;
import org.nabla.runtime.optimize.Optimized;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * A run prepared once per (feeds, fetches, targets), the way TensorFlow's DirectSession prepares an executors-and-keys
 * entry: (1) prune the graph to the nodes the fetches and targets need, cutting the walk at fed tensors; (2) check
 * that every placeholder left is fed (listing all that are not); (3) copy the pruned nodes into a fresh graph where
 * each fed tensor is a placeholder; (4) optimize it ({@link GraphOptimizer}); (5) place every node on a device; (6) partition per
 * device with Send/Recv pairs; (7) compile an {@link Executor} per partition. Immutable; runs share it.
 */
final class Plan {
    private final List<Output> feeds;
    private final List<Executor> executors;
    /** Per feed: (partition, position in that partition's feed list). */
    private final int[][] feedRoute;
    /** Per fetch: (partition, position in that partition's fetch list). */
    private final int[][] fetchRoute;
    private final int[] feedCounts;

    private Plan(List<Output> feeds, List<Executor> executors, int[][] feedRoute, int[][] fetchRoute,
                 int[] feedCounts) {
        this.feeds = feeds;
        this.executors = executors;
        this.feedRoute = feedRoute;
        this.fetchRoute = fetchRoute;
        this.feedCounts = feedCounts;
    }

    static Plan prepare(Graph graph, List<Output> feeds, List<Output> fetches, List<Node> targets,
                        List<Device> devices, SessionOptions options) {
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
        OptimizerOptions passes = options.optimizerOptions() == null ? OptimizerOptions.DEFAULT
                : options.optimizerOptions();
        List<Output> keep = new ArrayList<>(feedOutputs);
        keep.addAll(prunedFetches);
        List<Node> prunedTargets = targets.stream().map(copies::get).toList();
        Optimized optimized = GraphOptimizer.optimize(pruned, keep, prunedTargets, passes);
        pruned = optimized.graph();
        feedOutputs.replaceAll(optimized::output);
        prunedFetches.replaceAll(optimized::output);

        // (5) place, (6) partition, (7) compile
        Map<Node, Device> placement = Placer.place(pruned, devices);
        Partitioner.Result parts = Partitioner.partition(pruned, placement, devices);
        int np = parts.partitions().size();
        List<List<Output>> partFeeds = new ArrayList<>();
        List<List<Output>> partFetches = new ArrayList<>();
        for (int i = 0; i < np; i++) {
            partFeeds.add(new ArrayList<>());
            partFetches.add(new ArrayList<>());
        }
        int[][] feedRoute = route(feedOutputs, parts, partFeeds);
        int[][] fetchRoute = route(prunedFetches, parts, partFetches);
        List<Executor> executors = new ArrayList<>();
        int[] feedCounts = new int[np];
        for (int i = 0; i < np; i++) {
            Partitioner.Partition part = parts.partitions().get(i);
            executors.add(new Executor(part.graph(), part.device(), i, partFeeds.get(i), partFetches.get(i)));
            feedCounts[i] = partFeeds.get(i).size();
        }
        return new Plan(List.copyOf(feeds), List.copyOf(executors), feedRoute, fetchRoute, feedCounts);
    }

    /**
     * Hands each of {@code outputs} to the partition holding it, appending its copy there to
     * {@code perPartition}; returns, for each, {partition, index in that partition's list}. Feeds and fetches are
     * routed alike.
     */
    private static int[][] route(List<Output> outputs, Partitioner.Result parts, List<List<Output>> perPartition) {
        int[][] route = new int[outputs.size()][];
        for (int i = 0; i < route.length; i++) {
            Output o = outputs.get(i);
            int p = parts.partitionOf(o.node());
            route[i] = new int[] {p, perPartition.get(p).size()};
            perPartition.get(p).add(parts.map(o));
        }
        return route;
    }

    int partitionCount() { return executors.size(); }

    List<Graph> partitionGraphs() { return executors.stream().map(Executor::graph).toList(); }

    /**
     * The value for feed {@code i}: a tensor of the fed output's dtype, or a Java value converted to it, with a shape
     * compatible with the output's (partly known) shape. Errors name the placeholder.
     */
    Tensor checkFeed(int i, Object value) {
        Output o = feeds.get(i);
        TensorSpec spec = o.spec();
        String what = o.node().op() == GraphOps.PLACEHOLDER ? "placeholder '" + o.node().name() + "'"
                : "fed tensor '" + o + "'";
        Tensor t;
        if (value instanceof Tensor given) {
            if (given.isSymbolic()) {
                throw new IllegalArgumentException("Session.run: the value fed to " + what + " is a graph tensor "
                        + given.symbol() + "; feed a concrete tensor or Java value");
            }
            if (given.dtype() != spec.dtype()) {
                throw new IllegalArgumentException("Session.run: " + what + " expects dtype " + spec.dtype()
                        + ", the fed value has dtype " + given.dtype());
            }
            t = given;
        } else {
            try {
                t = Tensors.convert(value, spec.dtype());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Session.run: cannot feed " + what + " (" + spec + "): "
                        + e.getMessage(), e);
            }
        }
        if (!t.shape().isCompatibleWith(spec.shape())) {
            throw new IllegalArgumentException("Session.run: " + what + " has shape " + spec.shape()
                    + ", the fed value's shape " + t.shape() + " is not compatible");
        }
        return t;
    }

    /** Runs every partition as one step and returns the fetches in the caller's order. */
    List<Tensor> run(Step step, Tensor[] feedValues) {
        List<Tensor[]> perPartFeeds = new ArrayList<>();
        for (int c : feedCounts) perPartFeeds.add(new Tensor[c]);
        for (int i = 0; i < feedValues.length; i++) perPartFeeds.get(feedRoute[i][0])[feedRoute[i][1]] = feedValues[i];
        List<Executor.Frame> frames = new ArrayList<>();
        for (int i = 0; i < executors.size(); i++) frames.add(executors.get(i).start(step, perPartFeeds.get(i)));
        List<Tensor[]> fetched = step.run(frames);
        List<Tensor> out = new ArrayList<>(fetchRoute.length);
        for (int[] r : fetchRoute) out.add(fetched.get(r[0])[r[1]]);
        return out;
    }
}
