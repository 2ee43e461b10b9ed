package org.nabla.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.device.Device;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;

/**
 * The bridge between a graph and its execution: {@code run(fetches, feeds, targets)} computes the fetched tensors
 * (and runs the target nodes) with the fed values, TensorFlow 1 style. For each distinct (feeds, fetches, targets) the
 * session prepares a plan once and caches it (see {@link Plan}): prune to what is needed, check the feeds, place on the
 * session's devices, partition with Send/Recv pairs, compile one {@link Executor} per device.
 *
 * <p>A session owns the values of the graph's variables (its {@link ResourceManager}), so two sessions on one graph
 * have independent variables, and its inter-op thread pool if it asked for one of its own (otherwise it uses the
 * process-wide pool). Close it (try-with-resources) to release them; a closed session refuses to run. Runs may be
 * issued from several threads at once.
 */
public final class Session implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Graph graph;
    private final SessionOptions options;
    private final List<Device> devices;
    private final ResourceManager resources;
    private final boolean ownsResources;
    private final Map<PlanKey, Plan> plans = new ConcurrentHashMap<>();
    private final FunctionRuntime functions;
    private volatile ExecutorService pool;
    private volatile boolean closed;

    /** A session over {@code graph} with {@link SessionOptions#defaults()}; close it to free its pools and values. */
    public Session(Graph graph) { this(graph, SessionOptions.defaults()); }

    /** A session over {@code graph} running as {@code options} say; it owns its own variables' values. */
    public Session(Graph graph, SessionOptions options) { this(graph, options, null); }

    /**
     * A session whose variable ops use {@code resources} instead of a manager of its own, e.g.
     * {@link ResourceManager#eager()} for a traced function over eager variables. Closing the session leaves a
     * borrowed manager open. {@code resources} null means a manager of its own.
     */
    public Session(Graph graph, SessionOptions options, ResourceManager resources) {
        if (graph == null) throw new IllegalArgumentException("Session: graph is null");
        if (options == null) throw new IllegalArgumentException("Session: options is null");
        this.ownsResources = resources == null;
        this.resources = resources == null ? new ResourceManager() : resources;
        this.graph = graph;
        this.options = options;
        List<Device> ds = new ArrayList<>();
        for (int i = 0; i < options.cpuDevices(); i++) ds.add(CpuDevice.of(i));
        ds.addAll(options.devices());
        this.devices = List.copyOf(ds);
        this.functions = new FunctionRuntime(devices, RemoteTasks.NONE, options.optimizerOptions());
    }

    /** The graph this session runs (nodes may still be added to it). */
    public Graph graph() { return graph; }

    /** The options it was made with. */
    public SessionOptions options() { return options; }

    /** The devices nodes can be placed on. */
    public List<Device> devices() { return devices; }

    /** The values of this session's variables. */
    public ResourceManager resources() { return resources; }

    /** The runtime the kernels of this session's runs call functions through (for tests). */
    FunctionRuntime functions() { return functions; }

    /** Number of prepared plans cached (one per distinct feeds/fetches/targets combination). */
    public int cachedPlans() { return plans.size(); }

    // ---------------------------------------------------------------- running

    /** The outputs and what the run did. */
    public record Result(List<Tensor> outputs, RunMetadata metadata) {
        /** The {@code i}-th fetched value. */
        public Tensor get(int i) { return outputs.get(i); }
    }

    /** Computes one tensor. */
    public Tensor run(Tensor fetch) { return run(List.of(fetch), Map.of(), List.of()).get(0); }

    /** Computes the fetches with no feeds. */
    public List<Tensor> run(List<Tensor> fetches) { return run(fetches, Map.of(), List.of()); }

    /** Computes the fetches with the fed values. */
    public List<Tensor> run(List<Tensor> fetches, Map<Tensor, ?> feeds) { return run(fetches, feeds, List.of()); }

    /**
     * Computes {@code fetches} (graph tensors), replacing the outputs in {@code feeds} (graph tensor -> tensor or
     * Java value of the right dtype and a compatible shape) and also running {@code targets} (nodes, graph tensors
     * standing for their node, or node names), whose outputs are not returned.
     */
    public List<Tensor> run(List<Tensor> fetches, Map<Tensor, ?> feeds, List<?> targets) {
        return execute(fetches, feeds, targets, false).outputs();
    }

    /** Like {@link #run(List, Map, List)}, also returning per-node timings, the peak bytes and partition graphs. */
    public Result runWithMetadata(List<Tensor> fetches, Map<Tensor, ?> feeds, List<?> targets) {
        return execute(fetches, feeds, targets, true);
    }

    /** A builder for one run: {@code session.runner().feed(x, value).fetch(y).addTarget(op).run()}. */
    public Runner runner() { return new Runner(graph, this::run, this::runWithMetadata); }

    private Result execute(List<Tensor> fetchTensors, Map<Tensor, ?> feedMap, List<?> targetObjects, boolean stats) {
        checkOpen();
        List<Output> fetches = new ArrayList<>();
        for (Tensor t : fetchTensors) fetches.add(outputOf(t, "fetch"));
        Map<Output, Object> feedValues = new LinkedHashMap<>();
        for (Map.Entry<Tensor, ?> e : feedMap.entrySet()) {
            if (feedValues.put(outputOf(e.getKey(), "feed key"), e.getValue()) != null) {
                throw new IllegalArgumentException("Session.run: " + e.getKey().symbol() + " is fed twice");
            }
        }
        List<Node> targets = new ArrayList<>();
        for (Object t : targetObjects) targets.add(targetNode(t));
        List<Output> feeds = new ArrayList<>(feedValues.keySet());
        feeds.sort(Comparator.comparingInt((Output o) -> o.node().id()).thenComparingInt(Output::index));
        PlanKey key = new PlanKey(List.copyOf(feeds), List.copyOf(fetches), List.copyOf(targets));
        Plan plan = plans.computeIfAbsent(key, k -> Plan.prepare(graph, k.feeds(), k.fetches(), k.targets(),
                devices, options));
        Tensor[] values = new Tensor[feeds.size()];
        for (int i = 0; i < values.length; i++) values[i] = plan.checkFeed(i, feedValues.get(feeds.get(i)));
        long t0 = System.nanoTime();
        Step step = new Step(Step.nextId(), plan.partitionCount(), options.mode(),
                options.mode() == ExecutionMode.PARALLEL ? pool() : null, resources, new LocalRendezvous(), stats,
                functions, null);
        List<Tensor> outputs = plan.run(step, values);
        RunMetadata md = stats ? new RunMetadata(step.peakBytes(), System.nanoTime() - t0, List.copyOf(step.stats),
                plan.partitionGraphs()) : new RunMetadata(step.peakBytes(), System.nanoTime() - t0, List.of(),
                List.of());
        return new Result(outputs, md);
    }

    private Output outputOf(Tensor t, String what) {
        if (t == null) throw new IllegalArgumentException("Session.run: a " + what + " is null");
        if (!(t.symbol() instanceof Output o)) {
            throw new IllegalArgumentException("Session.run: " + what + " " + t.spec() + " is not a graph tensor");
        }
        if (o.graph() != graph) {
            throw new IllegalArgumentException("Session.run: " + what + " " + o + " belongs to another graph than "
                    + "this session's");
        }
        return o;
    }

    private Node targetNode(Object t) {
        if (t instanceof Node n) {
            if (n.graph() != graph) {
                throw new IllegalArgumentException("Session.run: target node '" + n.name() + "' belongs to another "
                        + "graph than this session's");
            }
            return n;
        }
        if (t instanceof Tensor tensor) return outputOf(tensor, "target").node();
        if (t instanceof String name) return graph.node(name.contains(":") ? name.substring(0, name.indexOf(':'))
                : name);
        throw new IllegalArgumentException("Session.run: a target must be a node, a graph tensor or a node name, got "
                + t);
    }

    /**
     * The inter-op pool: a process-wide one shared by all sessions (as TensorFlow does by default), or the session's
     * own when {@link SessionOptions#interOpThreads()} asks for a size.
     */
    private ExecutorService pool() {
        if (options.interOpThreads() == 0) return SharedPool.POOL;
        ExecutorService p = pool;
        if (p == null) {
            synchronized (this) {
                checkOpen();
                p = pool;
                if (p == null) {
                    p = newPool(options.interOpThreads(), "nabla-inter-op-" + POOLS.incrementAndGet() + "-");
                    pool = p;
                }
            }
        }
        return p;
    }

    private static ExecutorService newPool(int threads, String prefix) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread th = new InterOpThread(r, prefix + n.getAndIncrement());
            th.setDaemon(true);
            return th;
        });
    }

    /** The threads of inter-op pools: a run started on one must not wait on a pool (it would hold a worker). */
    private static final class InterOpThread extends Thread {
        InterOpThread(Runnable r, String name) { super(r, name); }
    }

    /** Whether the current thread is an inter-op pool worker (nested runs then stay inline on it). */
    static boolean onInterOpThread() { return Thread.currentThread() instanceof InterOpThread; }

    /** The process-wide inter-op pool (traced functions run on it too). */
    static ExecutorService sharedPool() { return SharedPool.POOL; }

    /** The process-wide inter-op pool, created on first use. */
    private static final class SharedPool {
        static final ExecutorService POOL = newPool(SessionOptions.defaults().effectiveInterOpThreads(),
                "nabla-inter-op-shared-");
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("this Session is closed; create a new one to run the graph");
    }

    /** Whether {@link #close()} was called; a closed session refuses to run. */
    public boolean isClosed() { return closed; }

    /** Releases the variables' values (if its own), the cached plans and its own thread pool. Later runs fail. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            if (pool != null) pool.shutdownNow();
            pool = null;
        }
        plans.clear();
        if (ownsResources) resources.close();
    }

    /** A plan's identity: the fed outputs (sorted), the fetches (in order) and the targets. */
    record PlanKey(List<Output> feeds, List<Output> fetches, List<Node> targets) {}

    /** Nodes reachable backwards from the fetches and targets, not crossing fed edges. */
    static Set<Node> prune(List<Output> feeds, List<Output> fetches, List<Node> targets) {
        Set<Output> fed = Set.copyOf(feeds);
        Set<Node> needed = new LinkedHashSet<>();
        List<Node> stack = new ArrayList<>(targets);
        for (Output f : fetches) if (!fed.contains(f)) stack.add(f.node());
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            if (!needed.add(n)) continue;
            for (Output o : n.inputs()) if (!fed.contains(o)) stack.add(o.node());
            stack.addAll(n.controlInputs());
        }
        return needed;
    }
}
