package org.nabla.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.device.Device;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.kernels.Rendezvous;
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
public final class Plan {
    /** Plan compilation (DEBUG): graph sizes and time; see docs/configuration.md for turning it on. */
    private static final System.Logger LOG = System.getLogger("org.nabla.runtime");

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

    /**
     * Prepares {@code graph} to run with these feeds, fetches and targets on {@code devices} (steps 1 to 7 above).
     * Public for the distributed runtime, whose workers prepare the partition a master registered with them the way a
     * session prepares a graph.
     */
    public static Plan prepare(Graph graph, List<Output> feeds, List<Output> fetches, List<Node> targets,
                               List<Device> devices, SessionOptions options) {
        // (1)-(4) prune, check feeds, copy, optimize
        long t0 = System.nanoTime();
        PrunedGraph p = PrunedGraph.of(graph, feeds, fetches, targets, options.optimizerOptions());
        Graph pruned = p.graph();
        List<Output> feedOutputs = p.feeds();
        List<Output> prunedFetches = p.fetches();

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
        LOG.log(System.Logger.Level.DEBUG, () -> String.format(java.util.Locale.ROOT,
                "plan: %d graph nodes -> %d after pruning and optimization, %d partition(s), %.1f ms",
                graph.size(), pruned.size(), np, (System.nanoTime() - t0) / 1e6));
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

    /** Number of partitions (devices that got nodes). */
    public int partitionCount() { return executors.size(); }

    /** Bytes of dead result buffers the partitions' executors hold for their next runs (tests). */
    long pooledBytes() { return executors.stream().mapToLong(Executor::pooledBytes).sum(); }

    /** The graph each partition's executor runs, with its Send/Recv nodes. */
    public List<Graph> partitionGraphs() { return executors.stream().map(Executor::graph).toList(); }

    /**
     * The value for feed {@code i}: a tensor of the fed output's dtype, or a Java value converted to it, with a shape
     * compatible with the output's (partly known) shape. Errors name the placeholder.
     */
    public Tensor checkFeed(int i, Object value) {
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

    /**
     * Runs every partition as one step driven from outside a {@link Session} (a worker of the distributed runtime):
     * {@code stepId} is what kernels see as {@link org.nabla.kernels.KernelContext#stepId()}, the partitions'
     * variables live in {@code resources}, their Send and Recv nodes meet in {@code rendezvous} (which the step
     * aborts when a node fails), and ready nodes run as {@code mode} says (parallel: on the process-wide inter-op
     * pool). {@code feedValues} are checked values (see {@link #checkFeed}), in feed order; returns the fetches in
     * order.
     */
    public List<Tensor> run(long stepId, Tensor[] feedValues, ResourceManager resources, Rendezvous rendezvous,
                            ExecutionMode mode) {
        return run(stepId, feedValues, resources, rendezvous, mode, null);
    }

    /**
     * {@link #run(long, Tensor[], ResourceManager, Rendezvous, ExecutionMode)} whose kernels call functions (control
     * flow) through {@code functions} (null: each function on its own CPU devices), so a function may place nodes on
     * other devices and tasks.
     */
    public List<Tensor> run(long stepId, Tensor[] feedValues, ResourceManager resources, Rendezvous rendezvous,
                            ExecutionMode mode, FunctionRuntime functions) {
        Step step = new Step(stepId, partitionCount(), mode, mode == ExecutionMode.PARALLEL ? Session.sharedPool()
                : null, resources, rendezvous, false, functions, null);
        return run(step, feedValues);
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
