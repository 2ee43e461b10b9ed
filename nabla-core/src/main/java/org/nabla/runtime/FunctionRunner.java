package org.nabla.runtime;

import java.util.ArrayList;
import java.util.List;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.device.Device;
import org.nabla.device.DeviceSpec;
import org.nabla.graph.Effects;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * A function graph prepared once for repeated calls: the {@link Plan} a Session would make for feeding the
 * parameters, fetching the results and targeting every effectful node ({@link Effects#effectfulNodes}), so the graph
 * is pruned, optimized ({@link org.nabla.runtime.optimize.GraphOptimizer}), placed and compiled into an
 * {@link Executor} once and each call only runs it. Variable ops use the eager variables when the function is called
 * from Java, and the caller's (a session's, inside a run) when a kernel calls it, so variables are read and updated in
 * place. Immutable and thread-safe: concurrent calls get their own frames.
 *
 * <p>{@link #call} runs on the process-wide inter-op pool (independent nodes in parallel), except on an inter-op
 * worker itself, where it runs inline like {@link #callInline}: a nested call never waits on the pool it occupies.
 */
public final class FunctionRunner {
    // Not the FuncGraph itself: FunctionCalls caches runners in a map weak on the FuncGraph, which a strong reference
    // from the value would keep alive forever.
    private final String name;
    private final Graph graph;
    private final int paramCount;
    private final int nodeCount;
    private final Plan plan;

    private FunctionRunner(FuncGraph function, int nodeCount, Plan plan) {
        this.name = function.name();
        this.graph = function.graph();
        this.paramCount = function.params().size();
        this.nodeCount = nodeCount;
        this.plan = plan;
    }

    /** Prepares {@code f} with every optimization pass. */
    public static FunctionRunner prepare(FuncGraph f) { return prepare(f, OptimizerOptions.DEFAULT); }

    /** Prepares {@code f} with the given optimization passes. */
    public static FunctionRunner prepare(FuncGraph f, OptimizerOptions passes) {
        Graph g = f.graph();
        int count = g.nodes().size();
        List<Node> targets = Effects.effectfulNodes(g);
        SessionOptions options = SessionOptions.defaults().optimizerOptions(passes);
        Plan plan = Plan.prepare(g, f.params(), f.results(), targets, devicesFor(g), options);
        return new FunctionRunner(f, count, plan);
    }

    /** CPU:0, or CPU:0..n when the function's nodes ask for higher CPU indices. */
    private static List<Device> devicesFor(Graph g) {
        int max = 0;
        for (Node n : g.nodes()) {
            if (n.device().isEmpty()) continue;
            try {
                max = Math.max(max, DeviceSpec.parse(n.device()).index());
            } catch (IllegalArgumentException e) {
                // the placer reports it, naming the node
            }
        }
        List<Device> ds = new ArrayList<>();
        for (int i = 0; i <= max; i++) ds.add(CpuDevice.of(i));
        return ds;
    }

    /** The function graph's name. */
    public String name() { return name; }

    /** Whether this preparation still covers the whole graph (graphs are append-only). */
    boolean isCurrent() { return graph.nodes().size() == nodeCount; }

    /** The optimized graphs actually executed (one per device partition). */
    public List<Graph> executedGraphs() { return plan.partitionGraphs(); }

    /** Runs the function on concrete arguments (declared parameters, then captured values). */
    public Tensor[] call(Tensor... args) {
        boolean inline = Session.onInterOpThread();
        return run(args, inline ? ExecutionMode.SERIAL : ExecutionMode.PARALLEL);
    }

    /**
     * Runs the function on the calling thread only, with the variables of {@code resources} (for calls from kernels,
     * which run inside an executor or an eager op).
     */
    public Tensor[] callInline(ResourceManager resources, Tensor... args) {
        return run(args, ExecutionMode.SERIAL, resources);
    }

    private Tensor[] run(Tensor[] args, ExecutionMode mode) { return run(args, mode, ResourceManager.eager()); }

    private Tensor[] run(Tensor[] args, ExecutionMode mode, ResourceManager resources) {
        if (args.length != paramCount) {
            throw new IllegalArgumentException("function " + name + " takes " + paramCount
                    + " arguments (including captures), got " + args.length);
        }
        Tensor[] values = new Tensor[args.length];
        for (int i = 0; i < args.length; i++) values[i] = plan.checkFeed(i, args[i]);
        Step step = new Step(Step.nextId(), plan.partitionCount(), mode,
                mode == ExecutionMode.PARALLEL ? Session.sharedPool() : null, resources, new LocalRendezvous(), false);
        return plan.run(step, values).toArray(Tensor[]::new);
    }
}
