package org.nabla.distributed.worker;

import org.nabla.distributed.DistributedException;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.rpc.Channels;
import org.nabla.distributed.rpc.Rpc;
import org.nabla.distributed.rpc.TensorWire;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.device.Device;
import org.nabla.device.DeviceSpec;
import org.nabla.distributed.proto.AbortRequest;
import org.nabla.distributed.proto.AbortResponse;
import org.nabla.distributed.proto.CleanupGraphRequest;
import org.nabla.distributed.proto.CleanupGraphResponse;
import org.nabla.distributed.proto.DeregisterGraphRequest;
import org.nabla.distributed.proto.DeregisterGraphResponse;
import org.nabla.distributed.proto.DeviceAttributes;
import org.nabla.distributed.proto.GetStatusRequest;
import org.nabla.distributed.proto.GetStatusResponse;
import org.nabla.distributed.proto.NamedTensor;
import org.nabla.distributed.proto.PeerTask;
import org.nabla.distributed.proto.RecvTensorRequest;
import org.nabla.distributed.proto.RecvTensorResponse;
import org.nabla.distributed.proto.RegisterGraphRequest;
import org.nabla.distributed.proto.RegisterGraphResponse;
import org.nabla.distributed.proto.RunGraphRequest;
import org.nabla.distributed.proto.RunGraphResponse;
import org.nabla.distributed.proto.WorkerServiceGrpc;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.graph.Output;
import org.nabla.kernels.Rendezvous;
import org.nabla.runtime.ExecutionMode;
import org.nabla.runtime.FunctionRuntime;
import org.nabla.runtime.Plan;
import org.nabla.runtime.SessionOptions;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * The worker service of one task (TensorFlow's Worker + GraphMgr): it hosts the task's CPU devices under the task's
 * name ({@code /job:worker/replica:0/task:1/device:CPU:0}), keeps the partitions a master registers (each prepared
 * once as a {@link Plan} over its devices: the worker's level of the two-level partitioning), runs them per step with
 * a {@link RemoteRendezvous}, and serves the tensors its steps send to the RecvTensor calls of other workers.
 *
 * <p>A worker has an incarnation, a random 64-bit number drawn at start: requests carry the incarnation the master
 * saw, and a worker with another one (a restarted process on the same address) refuses them instead of answering for
 * its old self. Variables live per master session ({@link ResourceManager}) until the session is deregistered.
 */
public final class Worker extends WorkerServiceGrpc.WorkerServiceImplBase {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Finished step ids remembered, so a late RecvTensor for one fails at once instead of waiting to its deadline. */
    private static final int FINISHED_REMEMBERED = 4096;

    private final DeviceSpec task;
    private final long incarnation;
    private final List<Device> devices;
    private final Channels channels;
    private final DistributedOptions options;
    private final Map<String, WorkerSession> sessions = new ConcurrentHashMap<>();
    private final Map<Long, StepTensors> steps = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> finished = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override protected boolean removeEldestEntry(Map.Entry<Long, Boolean> e) {
            return size() > FINISHED_REMEMBERED;
        }
    });
    private final AtomicLong graphs = new AtomicLong();

    /**
     * One master session's state on this worker: its variables, registered graphs, and the runtime of the functions
     * its partitions call (made with the session's first graph, from the peers that graph's registration lists).
     */
    private record WorkerSession(ResourceManager resources, Map<String, RegisteredGraph> graphs,
                                 FunctionRuntime functions) {}

    /** A registered partition, prepared to run. */
    private record RegisteredGraph(Plan plan, int feeds, int fetches, Map<String, RemoteRendezvous.Peer> peers,
                                   ExecutionMode mode) {}

    public Worker(String job, int taskIndex, int cpuDevices, Channels channels) {
        if (cpuDevices < 1) throw new IllegalArgumentException("a worker needs at least 1 CPU device");
        this.task = new DeviceSpec(job, 0, taskIndex, null, -1);
        long inc;
        do {
            inc = RANDOM.nextLong();
        } while (inc == 0);
        this.incarnation = inc;
        List<Device> ds = new ArrayList<>();
        for (int i = 0; i < cpuDevices; i++) ds.add(CpuDevice.forTask(job, taskIndex, i));
        this.devices = List.copyOf(ds);
        this.channels = channels;
        this.options = channels.options();
    }

    public DeviceSpec task() { return task; }

    public long incarnation() { return incarnation; }

    public List<Device> devices() { return devices; }

    /** Steps with state on this worker (for tests: cleanup leaves none). */
    public int liveSteps() { return steps.size(); }

    /** Graphs registered with this worker, by masters and by peers running function shares here (for tests). */
    public int registeredGraphs() {
        int n = 0;
        for (WorkerSession s : sessions.values()) n += s.graphs().size();
        return n;
    }

    // ---------------------------------------------------------------- service

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<GetStatusResponse> out) {
        Rpc.serve(out, () -> {
            GetStatusResponse.Builder b = GetStatusResponse.newBuilder().setTask(task.toString())
                    .setIncarnation(incarnation);
            for (Device d : devices) {
                b.addDevices(DeviceAttributes.newBuilder().setName(d.name()).setType(d.type())
                        .setIncarnation(incarnation));
            }
            return b.build();
        });
    }

    @Override
    public void registerGraph(RegisterGraphRequest request, StreamObserver<RegisterGraphResponse> out) {
        Rpc.serve(out, () -> {
            checkIncarnation(request.getWorkerIncarnation(), "RegisterGraph");
            Graph graph;
            try {
                graph = GraphIO.fromBytes(request.getGraph().toByteArray());
            } catch (IOException e) {
                throw new IllegalArgumentException(task + ": the registered graph does not read: " + e.getMessage(), e);
            }
            List<Output> feeds = outputs(graph, request.getFeedsList(), "feed");
            List<Output> fetches = outputs(graph, request.getFetchesList(), "fetch");
            ExecutionMode mode = mode(request.getExecutionMode());
            // The master already pruned and optimized; this level places on the task's devices and splits per device.
            Plan plan = Plan.prepare(graph, feeds, fetches, graph.nodes(), devices, SessionOptions.defaults()
                    .optimizerOptions(OptimizerOptions.NONE).mode(mode));
            Map<String, RemoteRendezvous.Peer> peers = new LinkedHashMap<>();
            for (PeerTask p : request.getPeersList()) {
                peers.put(p.getTask(), new RemoteRendezvous.Peer(p.getTask(), p.getAddress(), p.getIncarnation()));
            }
            String handle = "graph-" + graphs.incrementAndGet();
            sessions.computeIfAbsent(request.getSessionHandle(), h -> new WorkerSession(new ResourceManager(),
                    new ConcurrentHashMap<>(), new FunctionRuntime(devices, new PeerTasks(h, task,
                    request.getPeersList(), channels, request.getExecutionMode()), null)))
                    .graphs().put(handle, new RegisteredGraph(plan, feeds.size(), fetches.size(), Map.copyOf(peers),
                            mode));
            return RegisterGraphResponse.newBuilder().setGraphHandle(handle).build();
        });
    }

    public static ExecutionMode mode(String name) {
        if (name.isEmpty()) return ExecutionMode.PARALLEL;
        try {
            return ExecutionMode.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown execution mode '" + name + "' (PARALLEL, SERIAL, "
                    + "DETERMINISTIC)");
        }
    }

    private List<Output> outputs(Graph graph, List<String> names, String what) {
        List<Output> out = new ArrayList<>();
        for (String n : names) {
            try {
                out.add((Output) graph.tensor(n).symbol());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(task + ": " + what + " '" + n + "' is not in the registered graph: "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public void deregisterGraph(DeregisterGraphRequest request, StreamObserver<DeregisterGraphResponse> out) {
        Rpc.serve(out, () -> {
            if (request.getGraphHandle().isEmpty()) {
                WorkerSession s = sessions.remove(request.getSessionHandle());
                if (s != null) s.resources().close();
            } else {
                WorkerSession s = sessions.get(request.getSessionHandle());
                if (s != null) s.graphs().remove(request.getGraphHandle());
            }
            return DeregisterGraphResponse.getDefaultInstance();
        });
    }

    @Override
    public void runGraph(RunGraphRequest request, StreamObserver<RunGraphResponse> out) {
        Rpc.serve(out, () -> {
            checkIncarnation(request.getWorkerIncarnation(), "RunGraph");
            WorkerSession session = sessions.get(request.getSessionHandle());
            RegisteredGraph g = session == null ? null : session.graphs().get(request.getGraphHandle());
            if (g == null) {
                throw new IllegalStateException(task + " has no graph '" + request.getGraphHandle() + "' of session '"
                        + request.getSessionHandle() + "' (never registered, or deregistered)");
            }
            if (request.getFeedsCount() != g.feeds()) {
                throw new IllegalArgumentException(task + ": RunGraph gives " + request.getFeedsCount()
                        + " feeds, the graph was registered with " + g.feeds());
            }
            long stepId = request.getStepId();
            Tensor[] feeds = new Tensor[g.feeds()];
            for (int i = 0; i < feeds.length; i++) {
                NamedTensor nt = request.getFeeds(i);
                try {
                    feeds[i] = g.plan().checkFeed(i, TensorWire.decode(nt.getTensor().asReadOnlyByteBuffer(),
                            options.maxTensorBytes()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(task + ": feed '" + nt.getName() + "': " + e.getMessage(), e);
                }
            }
            StepTensors tensors = step(stepId);
            Deadline deadline = io.grpc.Context.current().getDeadline();
            if (deadline == null) deadline = Deadline.after(options.stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
            RemoteRendezvous rendezvous = new RemoteRendezvous(tensors, task, g.peers(), channels, deadline);
            // a function's share runs once per call, its keys in the call's frame
            String frame = request.getFrame();
            List<Tensor> fetched;
            try {
                fetched = g.plan().run(stepId, feeds, session.resources(), frame.isEmpty() ? rendezvous
                        : Rendezvous.inFrame(rendezvous, frame), g.mode(), session.functions());
            } finally {
                rendezvous.close();
            }
            RunGraphResponse.Builder b = RunGraphResponse.newBuilder();
            for (Tensor t : fetched) b.addFetches(NamedTensor.newBuilder().setTensor(ByteString.copyFrom(
                    TensorWire.encode(t))));
            return b.build();
        });
    }

    /**
     * The step's tensors, created by whoever comes first (RunGraph, a peer's RecvTensor, an Abort). A step already
     * cleaned up gets an aborted table that is not kept: a late call fails at once and leaves nothing behind.
     */
    public StepTensors step(long stepId) {
        StepTensors t = steps.computeIfAbsent(stepId, StepTensors::new);
        // CleanupGraph marks the step finished before removing it, so an entry made while it ran is removed here
        if (finished.containsKey(stepId)) {
            steps.remove(stepId, t);
            t.abort(new IllegalStateException("step " + stepId + " has already finished on " + task));
        }
        return t;
    }

    @Override
    public void recvTensor(RecvTensorRequest request, StreamObserver<RecvTensorResponse> responses) {
        ServerCallStreamObserver<RecvTensorResponse> out = (ServerCallStreamObserver<RecvTensorResponse>) responses;
        Pump pump = new Pump(out, options.chunkBytes());
        out.setOnReadyHandler(pump::drain);
        out.setOnCancelHandler(() -> {});
        if (request.getWorkerIncarnation() != incarnation) {
            pump.fail(Status.FAILED_PRECONDITION.withDescription(staleMessage(request.getWorkerIncarnation(),
                    "RecvTensor")));
            return;
        }
        String key = request.getRendezvousKey();
        step(request.getStepId()).take(key).whenComplete((t, e) -> {
            if (e != null) {
                pump.fail(Status.ABORTED.withDescription(task + ": step " + request.getStepId() + " aborted before '"
                        + key + "' was sent: " + Rpc.message(e)));
            } else {
                byte[] bytes;
                try {
                    bytes = TensorWire.encode(t);
                } catch (RuntimeException x) {
                    pump.fail(Status.INTERNAL.withDescription(task + ": cannot encode '" + key + "': " + x.getMessage()));
                    return;
                }
                pump.start(bytes);
            }
        });
    }

    /**
     * Streams one encoded tensor in chunks as fast as the receiver's flow control allows (gRPC calls {@link #drain}
     * again whenever the stream can take more), so a large tensor is never queued whole in the transport.
     */
    private static final class Pump {
        private final ServerCallStreamObserver<RecvTensorResponse> out;
        private final int chunk;
        private byte[] bytes;
        private int offset;
        private boolean done;

        Pump(ServerCallStreamObserver<RecvTensorResponse> out, int chunk) {
            this.out = out;
            this.chunk = chunk;
        }

        synchronized void start(byte[] b) {
            bytes = b;
            drain();
        }

        synchronized void fail(Status s) {
            if (done) return;
            done = true;
            if (!out.isCancelled()) out.onError(s.asRuntimeException());
        }

        synchronized void drain() {
            if (done || bytes == null) return;
            if (out.isCancelled()) {
                done = true;
                return;
            }
            while (out.isReady() && !done) {
                int n = Math.min(chunk, bytes.length - offset);
                RecvTensorResponse.Builder r = RecvTensorResponse.newBuilder()
                        .setChunk(ByteString.copyFrom(bytes, offset, n));
                if (offset == 0) r.setTotalBytes(bytes.length);
                out.onNext(r.build());
                offset += n;
                if (offset == bytes.length) {
                    done = true;
                    out.onCompleted();
                }
            }
        }
    }

    @Override
    public void cleanupGraph(CleanupGraphRequest request, StreamObserver<CleanupGraphResponse> out) {
        Rpc.serve(out, () -> {
            long id = request.getStepId();
            finished.put(id, Boolean.TRUE);
            StepTensors t = steps.remove(id);
            if (t != null) t.abort(new IllegalStateException("step " + id + " has finished on " + task));
            return CleanupGraphResponse.getDefaultInstance();
        });
    }

    @Override
    public void abort(AbortRequest request, StreamObserver<AbortResponse> out) {
        Rpc.serve(out, () -> {
            step(request.getStepId()).abort(new DistributedException(task + ": step " + request.getStepId()
                    + " aborted by the master: " + request.getReason()));
            return AbortResponse.getDefaultInstance();
        });
    }

    private void checkIncarnation(long expected, String call) {
        if (expected != incarnation) throw new Rpc.StaleIncarnationException(staleMessage(expected, call));
    }

    private String staleMessage(long expected, String call) {
        return call + " expected incarnation " + Long.toHexString(expected) + " of " + task + ", but this worker is "
                + "incarnation " + Long.toHexString(incarnation) + ": the task restarted since the master saw it "
                + "(create a new session)";
    }

    /** Drops every session and step (the server is shutting down). */
    public void close() {
        for (WorkerSession s : sessions.values()) s.resources().close();
        sessions.clear();
        for (StepTensors t : steps.values()) t.abort(new IllegalStateException(task + " is shutting down"));
        steps.clear();
    }
}
