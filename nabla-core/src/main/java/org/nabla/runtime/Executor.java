package org.nabla.runtime;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.nabla.Tensor;
import org.nabla.device.Device;
import org.nabla.eager.EagerContext;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.NumericsCheck;
import org.nabla.kernels.Rendezvous;
import org.nabla.profiler.Profiler;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;
import org.nabla.ops.TransferOps;

/**
 * Runs one partition graph (every node on one device) by dataflow. Built once per prepared plan: it numbers the
 * value slots (one per node output), counts each node's distinct predecessors (data and control) and each slot's
 * consumers, and looks the kernels up for its device, so a missing kernel fails before anything runs. A run keeps, per
 * node, a pending count: a node whose count drops to zero is ready and goes to the step's dispatcher (the inter-op
 * pool, or the caller's queue in serial modes). After a node ran, each input slot whose last consumer it was is
 * dropped, so intermediates die as early as possible, and a result buffer no slot holds any more goes back to this
 * executor's {@link GraphBufferPool} for the next allocation of its size ({@link FrameBuffers}); the live bytes and
 * their peak are tracked.
 *
 * <p>A Recv never blocks a thread: it registers a callback on the rendezvous, and whoever completes the Send finishes
 * the Recv node and dispatches its successors. Stateful nodes are ordered only by their data and control edges, as in
 * TensorFlow.
 *
 * <p>Threading: per-run state lives in a {@link Frame}; slots are plain array cells published through the atomic
 * pending counters (a consumer reads a slot only after the producer's decrement made it ready).
 */
public final class Executor {
    private final Graph graph;
    private final Device device;
    private final int partitionIndex;
    private final Node[] nodes;
    private final int[] slotBase;
    private final int[][] inputSlots;
    private final int[][] successors;
    private final int[] initialPending;
    private final int[] consumers;
    private final boolean[] fetchedSlot;
    /** Slots whose value outlives the step: fetched, or read by a node that may keep it (see {@link #keepsInputs}). */
    private final boolean[] escapingSlot;
    /** Where this partition's dead result buffers wait for the next allocation (null: not recycled). */
    private final GraphBufferPool pool;
    private final boolean[] fedNode;
    private final KernelRegistry.Entry[] kernels;
    private final TensorSpec[][] staticSpecs;
    private final String[] recvKeys;
    private final int[] feedSlots;
    private final int[] fetchSlots;
    private final int runnable;
    /** Nodes so cheap that handing them to another thread costs more than running them on the current one. */
    private final boolean[] cheap;

    /** Ops that only look up or relabel values (no element loop worth a thread hand-off). */
    private static final Set<String> CHEAP_OPS = Set.of("Const", "ReadVariable", "Identity", "Reshape", "ExpandDims",
            "Squeeze", "Shape", "Size", "Rank", "NoOp", "StopGradient", "Placeholder", "Send");
    /**
     * Nodes whose inputs and outputs have at most this many elements in all count as cheap (a few microseconds of
     * work: less than a thread hand-off costs on a busy machine); below the kernels' own parallel grain.
     */
    private static final long CHEAP_ELEMENTS = 16384;
    /** Matrix products count as cheap up to this many multiply-adds (m * n * k, all batches). */
    private static final long CHEAP_MULTIPLY_ADDS = 1 << 17;

    /**
     * Whether executors built from now on recycle result buffers by liveness ({@code -Dnabla.graphBufferReuse},
     * default true); off, every result is fresh memory, as a reference for tests.
     */
    static boolean recycleBuffers() { return !"false".equals(System.getProperty("nabla.graphBufferReuse")); }

    /**
     * Compiles {@code graph} for {@code device}. Every node runs, except the nodes of {@code feeds} (each such node
     * must have all its outputs fed); {@code fetches} are kept until the end of the run.
     */
    public Executor(Graph graph, Device device, int partitionIndex, List<Output> feeds, List<Output> fetches) {
        this.graph = graph;
        this.device = device;
        this.partitionIndex = partitionIndex;
        this.nodes = graph.nodes().toArray(Node[]::new);
        int n = nodes.length;
        slotBase = new int[n + 1];
        for (int i = 0; i < n; i++) slotBase[i + 1] = slotBase[i] + nodes[i].numOutputs();
        int slots = slotBase[n];
        consumers = new int[slots];
        fetchedSlot = new boolean[slots];
        escapingSlot = new boolean[slots];
        pool = recycleBuffers() && device instanceof org.nabla.device.CpuDevice ? new GraphBufferPool() : null;
        fedNode = new boolean[n];
        inputSlots = new int[n][];
        initialPending = new int[n];
        kernels = new KernelRegistry.Entry[n];
        staticSpecs = new TensorSpec[n][];
        recvKeys = new String[n];
        cheap = new boolean[n];
        feedSlots = new int[feeds.size()];
        for (int i = 0; i < feeds.size(); i++) {
            Output f = check(feeds.get(i), "feed");
            fedNode[f.node().id()] = true;
            feedSlots[i] = slot(f);
        }
        Set<Output> fedSet = Set.copyOf(feeds);
        // only recycling frames lend variable values, so only they can update in place
        int[][] extraPreds = pool != null ? ReadsBeforeWrites.edges(nodes, fedNode) : null;
        List<List<Integer>> succ = new ArrayList<>();
        for (int i = 0; i < n; i++) succ.add(new ArrayList<>());
        int toRun = 0;
        for (Node node : nodes) {
            int id = node.id();
            if (fedNode[id]) {
                for (int k = 0; k < node.numOutputs(); k++) {
                    if (!fedSet.contains(new Output(node, k))) {
                        throw new IllegalArgumentException("node '" + node.name() + "' is fed only in part; feed "
                                + "all its outputs or none");
                    }
                }
                inputSlots[id] = new int[0];
                continue;
            }
            toRun++;
            int[] ins = new int[node.inputs().size()];
            Set<Integer> preds = new LinkedHashSet<>();
            TensorSpec[] inSpecs = new TensorSpec[ins.length];
            boolean keeps = keepsInputs(node);
            for (int k = 0; k < ins.length; k++) {
                Output o = node.inputs().get(k);
                ins[k] = slot(o);
                consumers[ins[k]]++;
                escapingSlot[ins[k]] |= keeps;
                inSpecs[k] = o.spec();
                preds.add(o.node().id());
            }
            for (Node c : node.controlInputs()) preds.add(c.id());
            if (extraPreds != null) for (int p : extraPreds[id]) preds.add(p);
            inputSlots[id] = ins;
            initialPending[id] = preds.size();
            for (int p : preds) succ.get(p).add(id);
            TensorSpec[] outSpecs = new TensorSpec[node.numOutputs()];
            // Shapes known at build time for inputs and outputs stay true at run time (feeds and variable reads are
            // checked against them), so inference need not run again; otherwise it runs on the actual inputs.
            boolean known = true;
            for (TensorSpec in : inSpecs) known &= in.shape().isFullyDefined();
            for (int k = 0; k < outSpecs.length; k++) {
                outSpecs[k] = node.outputSpec(k);
                known &= outSpecs[k].shape().isFullyDefined();
            }
            staticSpecs[id] = known ? outSpecs : null;
            cheap[id] = isCheap(node, inSpecs, outSpecs, known);
            if (node.op() == TransferOps.RECV) {
                recvKeys[id] = Rendezvous.key(node.attrs());
            } else {
                try {
                    kernels[id] = KernelRegistry.global().lookup(node.op(), device.type(),
                            node.op().kernelDType(inSpecs, node.attrs(), outSpecs));
                } catch (OpException e) {
                    throw nodeError(node, e);
                }
            }
        }
        successors = new int[n][];
        for (int i = 0; i < n; i++) successors[i] = succ.get(i).stream().mapToInt(Integer::intValue).toArray();
        fetchSlots = new int[fetches.size()];
        for (int i = 0; i < fetchSlots.length; i++) {
            fetchSlots[i] = slot(check(fetches.get(i), "fetch"));
            fetchedSlot[fetchSlots[i]] = true;
            escapingSlot[fetchSlots[i]] = true;
        }
        runnable = toRun;
    }

    /**
     * Whether {@code node}'s kernel may hold on to an input after it returns (then that input's buffer is never
     * recycled): stateful ops (a variable assignment stores its input) unless they only read their inputs (optimizer
     * updates), function calls (a function may assign its
     * arguments), transfers (a Send leaves its input in the rendezvous). Pure kernels only read their inputs, or
     * return them or views of them, which the frame counts as holders like any slot.
     */
    private static boolean keepsInputs(Node node) {
        if (node.op().mayKeepInputs() || node.op() == TransferOps.SEND || node.op() == TransferOps.RECV) return true;
        for (Object v : node.attrs().asMap().values()) {
            if (v instanceof org.nabla.ops.GraphFunction || v instanceof org.nabla.ops.GraphFunction[]) return true;
        }
        return false;
    }

    private static boolean isCheap(Node node, TensorSpec[] in, TensorSpec[] out, boolean known) {
        if (CHEAP_OPS.contains(node.op().name())) return true;
        if (!known || node.op() == TransferOps.RECV) return false;
        for (Object v : node.attrs().asMap().values()) {
            if (v instanceof org.nabla.ops.GraphFunction || v instanceof org.nabla.ops.GraphFunction[]) return false;
        }
        long elements = 0;
        for (TensorSpec t : in) elements += t.shape().size();
        for (TensorSpec t : out) elements += t.shape().size();
        if (elements > CHEAP_ELEMENTS) return false;
        String op = node.op().name();
        // few elements, much work: convolutions and dense linear algebra count by their arithmetic, or not at all
        if (op.startsWith("Conv") || op.startsWith("Matrix") || op.contains("Cholesky") || op.startsWith("Qr")
                || op.startsWith("Svd") || op.contains("Eig") || op.contains("Solve") || op.equals("Einsum")) {
            return false;
        }
        if ((op.equals("MatMul") || op.equals("BatchMatMul")) && in.length == 2 && in[0].shape().rank() >= 2
                && out.length == 1) {
            boolean ta = node.attrs().asMap().get("transposeA") instanceof Boolean b && b;
            long k = in[0].shape().dim(ta ? -2 : -1);
            return out[0].shape().size() * k <= CHEAP_MULTIPLY_ADDS;
        }
        return true;
    }

    private Output check(Output o, String what) {
        if (o.graph() != graph) throw new IllegalArgumentException(what + " " + o + " is not in this partition");
        return o;
    }

    private int slot(Output o) { return slotBase[o.node().id()] + o.index(); }

    public Graph graph() { return graph; }

    public Device device() { return device; }

    /** Bytes of dead result buffers held for the next runs (0 when results are not recycled). */
    long pooledBytes() { return pool == null ? 0 : pool.bytes(); }

    /** Nodes this executor runs per step (fed nodes excluded). */
    public int runnableNodes() { return runnable; }

    /** Starts this partition's part of {@code step} with the values of the feeds, in feed order. */
    Frame start(Step step, Tensor[] feedValues) { return new Frame(step, feedValues); }

    private OpException nodeError(Node node, Throwable e) {
        if (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) e = e.getCause();
        String op = node.op().name();
        String msg = String.valueOf(e.getMessage());
        if (msg.startsWith(op + ": ")) msg = msg.substring(op.length() + 2);
        OpException ex = new OpException(op, "in node '" + node.name() + "' on " + device.name() + ": " + msg);
        ex.initCause(e);
        return ex;
    }

    private static long bytes(Tensor t) { return t == null ? 0 : Math.max(0, t.size()) * t.dtype().byteSize(); }

    /** The state of one run of this partition. */
    final class Frame {
        private final Step step;
        private final Tensor[] values;
        private final AtomicIntegerArray pending;
        private final AtomicIntegerArray remaining;
        private final AtomicInteger left;
        /** Liveness of the result buffers this run's kernels allocate (null: not recycled). */
        private final FrameBuffers buffers;

        private Frame(Step step, Tensor[] feedValues) {
            this.step = step;
            this.buffers = pool == null ? null : new FrameBuffers(pool);
            this.values = new Tensor[slotBase[nodes.length]];
            this.pending = new AtomicIntegerArray(initialPending);
            this.remaining = new AtomicIntegerArray(consumers);
            this.left = new AtomicInteger(runnable);
            // a value fed to a node placed on another device type is copied there once, as a Recv would
            for (int i = 0; i < feedSlots.length; i++) values[feedSlots[i]] = feedValues[i].to(device);
        }

        /** Adds the nodes ready at the start to {@code ready} (or reports an empty partition done). */
        void begin(List<Task> ready) {
            if (runnable == 0) {
                step.partitionDone();
                return;
            }
            for (Node node : nodes) {
                int id = node.id();
                if (fedNode[id]) {
                    for (int s : successors[id]) {
                        if (pending.decrementAndGet(s) == 0) ready.add(new Task(this, s, partitionIndex));
                    }
                } else if (initialPending[id] == 0) {
                    ready.add(new Task(this, id, partitionIndex));
                }
            }
        }

        /** Whether node {@code id} is cheap enough to run on whichever thread made it ready. */
        boolean isCheap(int id) { return cheap[id]; }

        Tensor[] fetched() {
            Tensor[] out = new Tensor[fetchSlots.length];
            for (int i = 0; i < out.length; i++) out[i] = values[fetchSlots[i]];
            return out;
        }

        private void dispatch(int id) { step.dispatcher.dispatch(new Task(this, id, partitionIndex)); }

        /**
         * Runs node {@code id}, then on this thread too the nodes that became ready and are cheap, plus one more
         * expensive one (the others go to the dispatcher).
         */
        void process(int id) { process(new int[] {id}); }

        /** Runs {@code ids} (ready nodes of this frame) and what they make ready, as {@link #process(int)}. */
        void process(int[] ids) {
            Inline local = new Inline();
            for (int id : ids) if (!cheap[id]) local.push(id, true);
            for (int id : ids) if (cheap[id]) local.push(id, false);
            while (local.size > 0 && !step.failed()) {
                int id = local.pop();
                Node node = nodes[id];
                long t0 = step.stats != null ? System.nanoTime() : 0L;
                if (recvKeys[id] != null) {
                    receive(id, t0);
                    continue;
                }
                Tensor[] out;
                try {
                    out = compute(id);
                } catch (Throwable e) {
                    step.fail(nodeError(node, e));
                    return;
                }
                finish(id, out, t0, local);
            }
        }

        private void receive(int id, long t0) {
            Node node = nodes[id];
            step.rendezvous.recv(recvKeys[id]).whenComplete((t, e) -> {
                if (e != null) {
                    step.fail(nodeError(node, e));
                } else if (t.dtype() != node.outputSpec(0).dtype()) {
                    step.fail(nodeError(node, new IllegalStateException("received " + t.spec() + " but "
                            + node.outputSpec(0) + " was expected")));
                } else if (!step.failed()) {
                    Tensor here;
                    try {
                        here = t.to(device); // the copy between device types happens on the receiving side
                    } catch (RuntimeException copyFailed) {
                        step.fail(nodeError(node, copyFailed));
                        return;
                    }
                    Inline next = new Inline();
                    next.expensive = 1; // dispatch every expensive successor: this callback may run anywhere
                    finish(id, new Tensor[] {here}, t0, next);
                    while (next.size > 0) dispatch(next.pop());
                }
            });
        }

        private Tensor[] compute(int id) {
            Node node = nodes[id];
            int[] ins = inputSlots[id];
            Tensor[] in = new Tensor[ins.length];
            for (int k = 0; k < ins.length; k++) {
                in[k] = values[ins[k]];
                if (in[k] == null) {
                    throw new IllegalStateException("input " + node.inputs().get(k) + " has no value (executor bug)");
                }
            }
            TensorSpec[] outSpecs = staticSpecs[id];
            if (outSpecs == null) {
                TensorSpec[] inSpecs = new TensorSpec[in.length];
                for (int k = 0; k < in.length; k++) inSpecs[k] = in[k].spec();
                outSpecs = node.op().infer(inSpecs, node.attrs());
            }
            KernelRegistry.Entry entry = kernels[id];
            long t0 = Profiler.begin();
            Tensor[] out = entry.kernel().compute(new NodeKernelContext(step, node.op(), entry.prepare(in),
                    node.attrs(), outSpecs, device, buffers));
            if (t0 != 0) Profiler.record(t0, node.op().name(), node.name(), device.name(), in, out);
            if (out.length != node.numOutputs()) {
                throw new IllegalStateException("kernel returned " + out.length + " outputs, the op declares "
                        + node.numOutputs());
            }
            if (NumericsCheck.enabled()) NumericsCheck.check(node.op().name(), node.name(), in, out);
            return out;
        }

        /**
         * Stores the outputs, drops inputs whose last consumer this was, and makes successors ready. When the
         * dispatcher allows it, the cheap ready nodes and one expensive one go to {@code local} for the caller to
         * run; the others are dispatched.
         */
        private void finish(int id, Tensor[] out, long t0, Inline local) {
            long outBytes = 0;
            int base = slotBase[id];
            for (int k = 0; k < out.length; k++) {
                long b = bytes(out[k]);
                outBytes += b;
                step.allocated(b);
                if (remaining.get(base + k) > 0 || fetchedSlot[base + k]) {
                    values[base + k] = out[k];
                    if (buffers != null) buffers.stored(out[k], escapingSlot[base + k]);
                } else {
                    step.released(b);
                }
            }
            if (buffers != null) {
                // after every stored output was counted: an output also stored elsewhere stays
                for (int k = 0; k < out.length; k++) {
                    if (remaining.get(base + k) == 0 && !fetchedSlot[base + k]) buffers.unstored(out[k]);
                }
            }
            if (step.stats != null) {
                Node node = nodes[id];
                long now = System.nanoTime();
                step.stats.add(new RunMetadata.NodeStats(node.name(), node.op().name(), device.name(),
                        t0 - step.startNanos, now - t0, outBytes, Thread.currentThread().getName()));
            }
            for (int s : inputSlots[id]) {
                if (remaining.decrementAndGet(s) == 0 && !fetchedSlot[s]) {
                    Tensor t = values[s];
                    values[s] = null;
                    if (!fedNode[nodeOfSlot(s)]) step.released(bytes(t));
                    if (buffers != null) buffers.dropped(t);
                }
            }
            boolean inline = step.dispatcher.allowsInline();
            for (int s : successors[id]) {
                if (pending.decrementAndGet(s) == 0) {
                    if (inline && cheap[s]) {
                        local.push(s, false);
                    } else if (inline && local.expensive == 0) {
                        local.push(s, true);
                    } else {
                        dispatch(s);
                    }
                }
            }
            if (left.decrementAndGet() == 0) step.partitionDone();
        }

        private int nodeOfSlot(int s) {
            int lo = 0;
            int hi = nodes.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (slotBase[mid] <= s) lo = mid;
                else hi = mid - 1;
            }
            return lo;
        }
    }

    /**
     * A small stack of nodes one thread runs itself: the cheap ones that became ready, and at most one expensive one
     * waiting at a time, run after them (further expensive ones go to other threads).
     */
    private static final class Inline {
        int[] ids = new int[8];
        boolean[] costly = new boolean[8];
        int size;
        int expensive;

        void push(int id, boolean isExpensive) {
            if (size == ids.length) {
                ids = java.util.Arrays.copyOf(ids, size * 2);
                costly = java.util.Arrays.copyOf(costly, size * 2);
            }
            if (isExpensive) {
                // at the bottom: the cheap ones run first, so the expensive nodes they make ready reach other threads
                // before this one starts its long node
                System.arraycopy(ids, 0, ids, 1, size);
                System.arraycopy(costly, 0, costly, 1, size);
                ids[0] = id;
                costly[0] = true;
                expensive++;
                size++;
                return;
            }
            costly[size] = false;
            ids[size++] = id;
        }

        int pop() {
            size--;
            if (costly[size]) expensive--;
            return ids[size];
        }
    }

    /** One ready node of one partition; ordered by (partition, node id) for the deterministic mode. */
    record Task(Frame frame, int node, int partition) implements Runnable, Comparable<Task> {
        @Override
        public void run() { run(frame, new int[] {node}); }

        /** Runs ready nodes {@code ids} of {@code frame} (and what they make ready) on this thread. */
        static void run(Frame frame, int[] ids) {
            Step step = frame.step;
            // Kernels get the step through their context; eager is entered only for code a kernel calls that builds
            // ops through the front door (user kernels), so it never records into a graph being built on this thread.
            try (ExecutionContext.Scope e = ExecutionContext.enter(EagerContext.INSTANCE)) {
                frame.process(ids);
            } catch (Throwable t) {
                step.fail(t);
            }
        }

        @Override
        public int compareTo(Task o) {
            return partition != o.partition ? Integer.compare(partition, o.partition) : Integer.compare(node, o.node);
        }
    }
}
