package org.nabla.distributed;

import org.nabla.distributed.master.Master;
import org.nabla.distributed.master.MasterCalls;
import org.nabla.distributed.master.RemoteMaster;
import org.nabla.distributed.rpc.Channels;
import org.nabla.distributed.rpc.TensorWire;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.distributed.proto.CloseSessionRequest;
import org.nabla.distributed.proto.CreateSessionRequest;
import org.nabla.distributed.proto.CreateSessionResponse;
import org.nabla.distributed.proto.DeviceAttributes;
import org.nabla.distributed.proto.ExtendSessionRequest;
import org.nabla.distributed.proto.ListDevicesRequest;
import org.nabla.distributed.proto.NamedTensor;
import org.nabla.distributed.proto.RunStepRequest;
import org.nabla.distributed.proto.RunStepResponse;
import org.nabla.runtime.ExecutionMode;
import org.nabla.runtime.Runner;

/**
 * A session whose graph runs across the tasks of a cluster, used like {@link org.nabla.runtime.Session}:
 * {@code run(fetches, feeds, targets)} or {@code runner().feed(x, v).fetch(y).run()}. Nodes go to the devices their
 * scopes name ({@code g.device("/job:worker/task:1")}); the others to the first task of the chief (else worker) job.
 *
 * <ul>
 *   <li>{@link #connect(String, Graph)}: a server's master at {@code grpc://host:port} (TensorFlow's
 *       {@code tf.Session("grpc://...")}): the server prunes, partitions and drives the workers of its cluster.</li>
 *   <li>{@link #create(ClusterSpec, Graph)}: the master runs in this process and drives the cluster's workers
 *       itself.</li>
 * </ul>
 *
 * The graph travels in Nabla's graph format; nodes added after the session was created are sent before the next run
 * (ExtendSession). Variables live on the workers, per session, until {@link #close()}. Thread-safe.
 */
public final class DistributedSession implements AutoCloseable {
    private final Graph graph;
    private final MasterCalls master;
    private final AutoCloseable owned;
    private final DistributedOptions options;
    private final String handle;
    private long version;
    private volatile boolean closed;

    private DistributedSession(Graph graph, MasterCalls master, AutoCloseable owned, DistributedOptions options) {
        this.graph = graph;
        this.master = master;
        this.owned = owned;
        this.options = options;
        try {
            CreateSessionResponse r = master.createSession(CreateSessionRequest.newBuilder()
                    .setGraph(ByteString.copyFrom(GraphIO.toBytes(graph)))
                    .setExecutionMode(options.mode() == ExecutionMode.PARALLEL ? "" : options.mode().name()).build());
            this.handle = r.getSessionHandle();
            this.version = r.getGraphVersion();
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** A session on the master of the server at {@code target} ({@code grpc://host:port} or {@code host:port}). */
    public static DistributedSession connect(String target, Graph graph) {
        return connect(target, graph, DistributedOptions.defaults());
    }

    /**
     * {@link #connect(String, Graph)} with these options (deadlines, size limits, execution mode, and the cluster's
     * TLS and token: {@link DistributedOptions#security}).
     */
    public static DistributedSession connect(String target, Graph graph, DistributedOptions options) {
        check(graph, options);
        if (target == null) throw new IllegalArgumentException("DistributedSession: target is null");
        String address = target.startsWith("grpc://") ? target.substring("grpc://".length()) : target;
        if (address.contains("://")) {
            throw new IllegalArgumentException("DistributedSession: target '" + target + "' is not grpc://host:port");
        }
        RemoteMaster m = new RemoteMaster(address, options);
        return new DistributedSession(graph, m, m, options);
    }

    /** A session whose master runs in this process, over the tasks of {@code cluster}. */
    public static DistributedSession create(ClusterSpec cluster, Graph graph) {
        return create(cluster, graph, DistributedOptions.defaults());
    }

    /** {@link #create(ClusterSpec, Graph)} with these options. */
    public static DistributedSession create(ClusterSpec cluster, Graph graph, DistributedOptions options) {
        check(graph, options);
        if (cluster == null) throw new IllegalArgumentException("DistributedSession: cluster is null");
        Channels channels = new Channels(options);
        Master m = new Master(cluster, channels);
        return new DistributedSession(graph, m, channels, options);
    }

    private static void check(Graph graph, DistributedOptions options) {
        if (graph == null) throw new IllegalArgumentException("DistributedSession: graph is null");
        if (options == null) throw new IllegalArgumentException("DistributedSession: options is null");
    }

    public Graph graph() { return graph; }

    /** The full names of the devices of every task of the session, as the tasks reported them. */
    public List<String> devices() {
        checkOpen();
        List<String> out = new ArrayList<>();
        for (DeviceAttributes d : master.listDevices(ListDevicesRequest.newBuilder().setSessionHandle(handle).build())
                .getDevicesList()) {
            out.add(d.getName());
        }
        return out;
    }

    // ---------------------------------------------------------------- running

    /** Computes one tensor. */
    public Tensor run(Tensor fetch) { return run(List.of(fetch), Map.of(), List.of()).get(0); }

    /** Computes the fetches with no feeds. */
    public List<Tensor> run(List<Tensor> fetches) { return run(fetches, Map.of(), List.of()); }

    /** Computes the fetches with the fed values. */
    public List<Tensor> run(List<Tensor> fetches, Map<Tensor, ?> feeds) { return run(fetches, feeds, List.of()); }

    /**
     * Computes {@code fetches} (graph tensors) with {@code feeds} (graph tensor -> tensor or Java value of its dtype)
     * and also runs {@code targets} (nodes, graph tensors standing for their node, or node names).
     */
    public List<Tensor> run(List<Tensor> fetches, Map<Tensor, ?> feeds, List<?> targets) {
        checkOpen();
        RunStepRequest.Builder r = RunStepRequest.newBuilder().setSessionHandle(handle);
        for (Tensor f : fetches) r.addFetches(name(outputOf(f, "fetch")));
        for (Map.Entry<Tensor, ?> e : feeds.entrySet()) {
            Output o = outputOf(e.getKey(), "feed key");
            Tensor value;
            if (e.getValue() instanceof Tensor t) {
                value = t;
            } else {
                try {
                    value = Tensors.convert(e.getValue(), o.spec().dtype());
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("DistributedSession.run: cannot feed " + o + " (" + o.spec()
                            + "): " + ex.getMessage(), ex);
                }
            }
            if (value.isSymbolic()) {
                throw new IllegalArgumentException("DistributedSession.run: the value fed to " + o + " is a graph "
                        + "tensor; feed a concrete tensor or Java value");
            }
            r.addFeeds(NamedTensor.newBuilder().setName(name(o)).setTensor(ByteString.copyFrom(
                    TensorWire.encode(value))));
        }
        for (Object t : targets) r.addTargets(targetName(t));
        extendIfGrown();
        RunStepResponse resp = master.runStep(r.build());
        List<Tensor> out = new ArrayList<>();
        for (NamedTensor nt : resp.getFetchesList()) {
            out.add(TensorWire.decode(nt.getTensor().asReadOnlyByteBuffer(), options.maxTensorBytes()));
        }
        return out;
    }

    /** A builder for one run: {@code session.runner().feed(x, value).fetch(y).addTarget(op).run()}. */
    public Runner runner() { return new Runner(graph, this::run, null); }

    private synchronized void extendIfGrown() {
        if (graph.size() == version) return;
        version = master.extendSession(ExtendSessionRequest.newBuilder().setSessionHandle(handle)
                .setGraph(ByteString.copyFrom(GraphIO.toBytes(graph))).setCurrentGraphVersion(version).build())
                .getNewGraphVersion();
    }

    private Output outputOf(Tensor t, String what) {
        if (t == null) throw new IllegalArgumentException("DistributedSession.run: a " + what + " is null");
        if (!(t.symbol() instanceof Output o) || o.graph() != graph) {
            throw new IllegalArgumentException("DistributedSession.run: " + what + " " + t.spec() + " is not a tensor "
                    + "of this session's graph");
        }
        return o;
    }

    private String targetName(Object t) {
        if (t instanceof Node n) return n.name();
        if (t instanceof Tensor tensor) return outputOf(tensor, "target").node().name();
        if (t instanceof String s) return s;
        throw new IllegalArgumentException("DistributedSession.run: a target must be a node, a graph tensor or a node "
                + "name, got " + t);
    }

    private static String name(Output o) { return o.node().name() + ":" + o.index(); }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("this DistributedSession is closed; create a new one");
    }

    public boolean isClosed() { return closed; }

    /** Closes the session on the master (which frees its graphs and variables on every worker). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            master.closeSession(CloseSessionRequest.newBuilder().setSessionHandle(handle).build());
        } catch (RuntimeException e) {
            // the master or a worker is gone: nothing is left to free there
        } finally {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            master.close();
            if (owned != master) owned.close();
        } catch (Exception e) {
            // closing channels does not fail in ways a caller could act on
        }
    }
}
