package org.nabla.distributed;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.nabla.device.Device;
import org.nabla.device.DeviceSpec;
import org.nabla.distributed.proto.AbortRequest;
import org.nabla.distributed.proto.AbortResponse;
import org.nabla.distributed.proto.CleanupGraphRequest;
import org.nabla.distributed.proto.CleanupGraphResponse;
import org.nabla.distributed.proto.CloseSessionRequest;
import org.nabla.distributed.proto.CloseSessionResponse;
import org.nabla.distributed.proto.CreateSessionRequest;
import org.nabla.distributed.proto.CreateSessionResponse;
import org.nabla.distributed.proto.DeregisterGraphRequest;
import org.nabla.distributed.proto.DeregisterGraphResponse;
import org.nabla.distributed.proto.DeviceAttributes;
import org.nabla.distributed.proto.ExtendSessionRequest;
import org.nabla.distributed.proto.ExtendSessionResponse;
import org.nabla.distributed.proto.GetStatusRequest;
import org.nabla.distributed.proto.GetStatusResponse;
import org.nabla.distributed.proto.ListDevicesRequest;
import org.nabla.distributed.proto.ListDevicesResponse;
import org.nabla.distributed.proto.MasterServiceGrpc;
import org.nabla.distributed.proto.NamedTensor;
import org.nabla.distributed.proto.PeerTask;
import org.nabla.distributed.proto.RegisterGraphRequest;
import org.nabla.distributed.proto.RegisterGraphResponse;
import org.nabla.distributed.proto.RunGraphRequest;
import org.nabla.distributed.proto.RunGraphResponse;
import org.nabla.distributed.proto.RunStepRequest;
import org.nabla.distributed.proto.RunStepResponse;
import org.nabla.distributed.proto.WorkerServiceGrpc;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.runtime.Partitioner;
import org.nabla.runtime.Placer;
import org.nabla.runtime.PrunedGraph;

/**
 * The distributed master (TensorFlow's Master + MasterSession). A session holds the client's graph and the devices of
 * every task of the cluster (asked with GetStatus, which also gives each task's incarnation). For each distinct
 * (feeds, fetches, targets) it prepares a plan once: prune and optimize ({@link PrunedGraph}), place over the devices
 * of all tasks ({@link Placer}), split by task ({@link Partitioner#partitionByTask}: cross-task edges become Send/Recv
 * pairs) and register each task's partition with its worker. A step then draws a random step id, runs every task's
 * partition (RunGraph, in parallel, under the step's deadline), gathers the fetches and cleans up (CleanupGraph). When
 * a task's part fails, the master aborts the step on the others and reports the failure naming the task.
 */
final class Master implements MasterCalls {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Jobs whose first task gets the nodes that ask for no device, in this order of preference. */
    private static final List<String> DEFAULT_JOBS = List.of("chief", "master", "worker");

    private final ClusterSpec cluster;
    private final Channels channels;
    private final DistributedOptions options;
    private final Map<String, MasterSession> sessions = new ConcurrentHashMap<>();

    Master(ClusterSpec cluster, Channels channels) {
        this.cluster = cluster;
        this.channels = channels;
        this.options = channels.options();
    }

    /** A task as a session knows it. */
    record TaskState(DeviceSpec task, String address, long incarnation, List<DeviceAttributes> devices) {
        String describe() { return task + " (" + address + ")"; }

        WorkerServiceGrpc.WorkerServiceStub stub(Channels channels) {
            return WorkerServiceGrpc.newStub(channels.get(address));
        }
    }

    /** One task's share of a plan: its registered graph, which feeds go to it, how many fetches it returns. */
    private record TaskGraph(TaskState task, String graphHandle, List<Integer> feeds, int fetches) {}

    /** A prepared (feeds, fetches, targets): per task graph, and where each fetch comes from. */
    private record MasterPlan(List<TaskGraph> tasks, int[][] fetchRoute) {}

    private record PlanKey(List<String> feeds, List<String> fetches, List<String> targets) {}

    /** A client's session. */
    private static final class MasterSession {
        final String handle;
        final List<TaskState> tasks;
        final List<Device> devices;
        final String mode;
        final Map<PlanKey, MasterPlan> plans = new ConcurrentHashMap<>();
        volatile Graph graph;
        volatile boolean closed;

        MasterSession(String handle, Graph graph, List<TaskState> tasks, String mode) {
            this.handle = handle;
            this.graph = graph;
            this.tasks = tasks;
            this.mode = mode;
            List<Device> ds = new ArrayList<>();
            for (TaskState t : tasks) {
                for (DeviceAttributes d : t.devices()) ds.add(RemoteDevice.of(d.getName(), d.getType(), t.incarnation()));
            }
            this.devices = List.copyOf(ds);
        }
    }

    // ---------------------------------------------------------------- sessions

    @Override
    public CreateSessionResponse createSession(CreateSessionRequest request) {
        Graph graph = readGraph(request.getGraph());
        Worker.mode(request.getExecutionMode());
        List<TaskState> tasks = contactAll();
        String handle = HexFormat.of().toHexDigits(RANDOM.nextLong());
        sessions.put(handle, new MasterSession(handle, graph, tasks, request.getExecutionMode()));
        return CreateSessionResponse.newBuilder().setSessionHandle(handle).setGraphVersion(graph.size()).build();
    }

    private static Graph readGraph(ByteString bytes) {
        try {
            return GraphIO.fromBytes(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalArgumentException("the session's graph does not read: " + e.getMessage(), e);
        }
    }

    /** GetStatus of every task, in parallel; the tasks in placement order (the default job's first). */
    private List<TaskState> contactAll() {
        List<DeviceSpec> all = new ArrayList<>(cluster.allTasks());
        all.sort(Comparator.comparingInt((DeviceSpec t) -> {
            int i = DEFAULT_JOBS.indexOf(t.job());
            return i < 0 ? DEFAULT_JOBS.size() : i;
        }));
        List<CompletableFuture<GetStatusResponse>> calls = new ArrayList<>();
        for (DeviceSpec t : all) {
            String address = cluster.address(t);
            calls.add(Rpc.call(o -> WorkerServiceGrpc.newStub(channels.get(address))
                    .withDeadlineAfter(options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .getStatus(GetStatusRequest.getDefaultInstance(), o)));
        }
        List<TaskState> tasks = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            DeviceSpec t = all.get(i);
            String address = cluster.address(t);
            GetStatusResponse r;
            try {
                r = Rpc.await(calls.get(i));
            } catch (RuntimeException e) {
                throw taskError(t + " (" + address + ")", "GetStatus", e);
            }
            if (!r.getTask().equals(t.toString())) {
                throw new DistributedException("the server at " + address + " is task " + r.getTask() + ", but the "
                        + "cluster says " + t + " is there");
            }
            tasks.add(new TaskState(t, address, r.getIncarnation(), List.copyOf(r.getDevicesList())));
        }
        return List.copyOf(tasks);
    }

    /** The failure of {@code call} on {@code task}, in words a user can act on. */
    private DistributedException taskError(String task, String call, Throwable e) {
        Throwable t = Rpc.unwrap(e);
        String why = Rpc.message(t);
        if (t instanceof StatusRuntimeException s) {
            if (s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                return new DistributedException("task " + task + " is unreachable (" + call + "): " + why, t);
            }
            if (s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                return new DistributedException("task " + task + " did not answer " + call + " in time: " + why, t);
            }
        }
        return new DistributedException(call + " failed on task " + task + ": " + why, t);
    }

    private MasterSession session(String handle) {
        MasterSession s = sessions.get(handle);
        if (s == null || s.closed) {
            throw new IllegalArgumentException("no open session '" + handle + "' on this master (closed, or never "
                    + "created)");
        }
        return s;
    }

    @Override
    public ExtendSessionResponse extendSession(ExtendSessionRequest request) {
        MasterSession s = session(request.getSessionHandle());
        Graph graph = readGraph(request.getGraph());
        synchronized (s) {
            Graph old = s.graph;
            if (request.getCurrentGraphVersion() != old.size()) {
                throw new IllegalArgumentException("ExtendSession: the client extends version "
                        + request.getCurrentGraphVersion() + " but the session holds version " + old.size());
            }
            if (graph.size() < old.size()) {
                throw new IllegalArgumentException("ExtendSession: the new graph has " + graph.size()
                        + " nodes, fewer than the session's " + old.size());
            }
            for (int i = 0; i < old.size(); i++) {
                if (!old.nodes().get(i).name().equals(graph.nodes().get(i).name())) {
                    throw new IllegalArgumentException("ExtendSession: node " + i + " was '" + old.nodes().get(i)
                            .name() + "', the new graph has '" + graph.nodes().get(i).name() + "' there");
                }
            }
            s.graph = graph;
            dropPlans(s);
        }
        return ExtendSessionResponse.newBuilder().setNewGraphVersion(graph.size()).build();
    }

    @Override
    public CloseSessionResponse closeSession(CloseSessionRequest request) {
        MasterSession s = sessions.remove(request.getSessionHandle());
        if (s != null) {
            s.closed = true;
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (TaskState t : s.tasks) {
                calls.add(Rpc.<DeregisterGraphResponse>call(o -> t.stub(channels).withDeadlineAfter(
                        options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS).deregisterGraph(DeregisterGraphRequest.newBuilder()
                        .setSessionHandle(s.handle).build(), o)));
            }
            for (CompletableFuture<?> c : calls) c.exceptionally(e -> null).join(); // best effort: a task may be gone
        }
        return CloseSessionResponse.getDefaultInstance();
    }

    @Override
    public ListDevicesResponse listDevices(ListDevicesRequest request) {
        List<TaskState> tasks = request.getSessionHandle().isEmpty() ? contactAll()
                : session(request.getSessionHandle()).tasks;
        ListDevicesResponse.Builder b = ListDevicesResponse.newBuilder();
        for (TaskState t : tasks) b.addAllDevices(t.devices());
        return b.build();
    }

    @Override
    public void close() {
        for (String h : List.copyOf(sessions.keySet())) {
            closeSession(CloseSessionRequest.newBuilder().setSessionHandle(h).build());
        }
    }

    // ---------------------------------------------------------------- steps

    @Override
    public RunStepResponse runStep(RunStepRequest request) {
        MasterSession s = session(request.getSessionHandle());
        // feeds sorted by name make the plan key; the plan's feed indices refer to this order
        List<NamedTensor> feeds = new ArrayList<>(request.getFeedsList());
        feeds.sort(Comparator.comparing(NamedTensor::getName));
        PlanKey key = new PlanKey(feeds.stream().map(NamedTensor::getName).toList(),
                List.copyOf(request.getFetchesList()), List.copyOf(request.getTargetsList()));
        MasterPlan plan = s.plans.get(key);
        if (plan == null) {
            synchronized (s) {
                plan = s.plans.get(key);
                if (plan == null) {
                    plan = prepare(s, key);
                    s.plans.put(key, plan);
                }
            }
        }
        return run(s, plan, feeds);
    }

    private MasterPlan prepare(MasterSession s, PlanKey key) {
        Graph g = s.graph;
        List<Output> feeds = new ArrayList<>();
        for (String n : key.feeds()) feeds.add(output(g, n, "feed"));
        List<Output> fetches = new ArrayList<>();
        for (String n : key.fetches()) fetches.add(output(g, n, "fetch"));
        List<Node> targets = new ArrayList<>();
        for (String n : key.targets()) targets.add(g.node(n.contains(":") ? n.substring(0, n.indexOf(':')) : n));
        for (Output f : feeds) {
            if (feeds.stream().filter(f::equals).count() > 1) {
                throw new IllegalArgumentException("RunStep: " + f + " is fed twice");
            }
        }
        PrunedGraph p = PrunedGraph.of(g, feeds, fetches, targets, null);
        Partitioner.TaskResult parts = Partitioner.partitionByTask(p.graph(), Placer.place(p.graph(), s.devices),
                s.devices);
        int[][] fetchRoute = new int[fetches.size()][];
        List<CompletableFuture<String>> registered = new ArrayList<>();
        List<TaskState> owners = new ArrayList<>();
        List<List<Integer>> taskFeeds = new ArrayList<>();
        List<Integer> taskFetchCounts = new ArrayList<>();
        for (int ti = 0; ti < parts.partitions().size(); ti++) {
            Partitioner.TaskPartition part = parts.partitions().get(ti);
            TaskState task = s.tasks.stream().filter(t -> t.task().equals(part.task())).findFirst().orElseThrow();
            RegisterGraphRequest.Builder r = RegisterGraphRequest.newBuilder().setSessionHandle(s.handle)
                    .setWorkerIncarnation(task.incarnation()).setGraph(ByteString.copyFrom(GraphIO.toBytes(
                            part.graph()))).setExecutionMode(s.mode);
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < p.feeds().size(); i++) {
                if (parts.taskOf(p.feeds().get(i).node()).equals(part.task())) {
                    mine.add(i);
                    r.addFeeds(name(parts.map(p.feeds().get(i))));
                }
            }
            int fetchCount = 0;
            for (int i = 0; i < p.fetches().size(); i++) {
                if (parts.taskOf(p.fetches().get(i).node()).equals(part.task())) {
                    fetchRoute[i] = new int[] {ti, fetchCount++};
                    r.addFetches(name(parts.map(p.fetches().get(i))));
                }
            }
            for (TaskState peer : s.tasks) {
                if (peer != task) r.addPeers(PeerTask.newBuilder().setTask(peer.task().toString())
                        .setAddress(peer.address()).setIncarnation(peer.incarnation()));
            }
            RegisterGraphRequest req = r.build();
            owners.add(task);
            taskFeeds.add(List.copyOf(mine));
            taskFetchCounts.add(fetchCount);
            registered.add(Rpc.<RegisterGraphResponse>call(o ->
                    task.stub(channels).withDeadlineAfter(options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .registerGraph(req, o)).thenApply(resp -> resp.getGraphHandle()));
        }
        List<TaskGraph> tasks = new ArrayList<>();
        RuntimeException failure = null;
        for (int i = 0; i < registered.size(); i++) {
            try {
                tasks.add(new TaskGraph(owners.get(i), Rpc.await(registered.get(i)), taskFeeds.get(i),
                        taskFetchCounts.get(i)));
            } catch (RuntimeException e) {
                if (failure == null) failure = taskError(owners.get(i).describe(), "RegisterGraph", e);
            }
        }
        if (failure != null) {
            deregister(s, tasks);
            throw failure;
        }
        return new MasterPlan(List.copyOf(tasks), fetchRoute);
    }

    private static Output output(Graph g, String name, String what) {
        try {
            return (Output) g.tensor(name).symbol();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RunStep: " + what + " '" + name + "': " + e.getMessage(), e);
        }
    }

    private static String name(Output o) { return o.node().name() + ":" + o.index(); }

    private void dropPlans(MasterSession s) {
        for (MasterPlan p : s.plans.values()) deregister(s, p.tasks());
        s.plans.clear();
    }

    private void deregister(MasterSession s, List<TaskGraph> graphs) {
        for (TaskGraph tg : graphs) {
            Rpc.<DeregisterGraphResponse>call(o -> tg.task().stub(channels).withDeadlineAfter(
                    options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS).deregisterGraph(DeregisterGraphRequest.newBuilder().setSessionHandle(
                    s.handle).setGraphHandle(tg.graphHandle()).build(), o));
        }
    }

    private RunStepResponse run(MasterSession s, MasterPlan plan, List<NamedTensor> feeds) {
        long stepId = RANDOM.nextLong() & Long.MAX_VALUE;
        Deadline deadline = Deadline.after(options.stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
        List<CompletableFuture<RunGraphResponse>> calls = new ArrayList<>();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        for (TaskGraph tg : plan.tasks()) {
            RunGraphRequest.Builder r = RunGraphRequest.newBuilder().setSessionHandle(s.handle)
                    .setGraphHandle(tg.graphHandle()).setStepId(stepId).setWorkerIncarnation(tg.task().incarnation());
            for (int i : tg.feeds()) r.addFeeds(feeds.get(i));
            RunGraphRequest req = r.build();
            CompletableFuture<RunGraphResponse> call = Rpc.call(o -> tg.task().stub(channels).withDeadline(deadline)
                    .runGraph(req, o));
            call.whenComplete((ok, e) -> {
                // the first task to fail: tell the others, so their Recvs waiting for it fail now, not at the deadline
                if (e != null && firstFailure.compareAndSet(null, tg.task().describe())) abortOthers(plan, tg, stepId,
                        Rpc.message(e));
            });
            calls.add(call);
        }
        List<RunGraphResponse> responses = new ArrayList<>();
        DistributedException primary = null;
        DistributedException secondary = null;
        for (int i = 0; i < calls.size(); i++) {
            TaskGraph tg = plan.tasks().get(i);
            try {
                responses.add(Rpc.await(calls.get(i)));
            } catch (RuntimeException e) {
                responses.add(null);
                DistributedException d = taskError(tg.task().describe(), "RunGraph", e);
                // a task that failed on its own explains the step better than one that echoes another's failure
                if (!Rpc.isSecondary(e) && (primary == null || tg.task().describe().equals(firstFailure.get()))) {
                    primary = d;
                } else if (secondary == null) {
                    secondary = d;
                }
            }
        }
        cleanup(plan, stepId);
        if (primary != null || secondary != null) {
            DistributedException d = primary != null ? primary : secondary;
            throw new DistributedException("step " + stepId + " failed: " + d.getMessage(), d.getCause());
        }
        RunStepResponse.Builder b = RunStepResponse.newBuilder();
        for (int[] route : plan.fetchRoute()) b.addFetches(responses.get(route[0]).getFetches(route[1]));
        return b.build();
    }

    private void abortOthers(MasterPlan plan, TaskGraph failed, long stepId, String reason) {
        for (TaskGraph tg : plan.tasks()) {
            if (tg == failed) continue;
            Rpc.<AbortResponse>call(o -> tg.task().stub(channels).withDeadlineAfter(
                    options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS).abort(AbortRequest.newBuilder().setStepId(stepId)
                    .setReason("task " + failed.task().describe() + " failed: " + reason).build(), o));
        }
    }

    /** CleanupGraph on every task of the step; waits (within the RPC deadline) so a step's state is freed when
     * the step returns, and ignores tasks that are gone. */
    private void cleanup(MasterPlan plan, long stepId) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (TaskGraph tg : plan.tasks()) {
            calls.add(Rpc.<CleanupGraphResponse>call(o -> tg.task().stub(channels).withDeadlineAfter(
                    options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS).cleanupGraph(CleanupGraphRequest.newBuilder().setStepId(stepId).build(),
                    o)));
        }
        for (CompletableFuture<?> c : calls) c.exceptionally(e -> null).join();
    }

    // ---------------------------------------------------------------- gRPC

    /** The master {@code master} supplies (once the server knows its own port) as a gRPC service. */
    static MasterServiceGrpc.MasterServiceImplBase service(java.util.function.Supplier<Master> master) {
        return new MasterServiceGrpc.MasterServiceImplBase() {
            @Override
            public void createSession(CreateSessionRequest r, StreamObserver<CreateSessionResponse> o) {
                Rpc.serve(o, () -> master.get().createSession(r));
            }

            @Override
            public void extendSession(ExtendSessionRequest r, StreamObserver<ExtendSessionResponse> o) {
                Rpc.serve(o, () -> master.get().extendSession(r));
            }

            @Override
            public void runStep(RunStepRequest r, StreamObserver<RunStepResponse> o) {
                Rpc.serve(o, () -> master.get().runStep(r));
            }

            @Override
            public void closeSession(CloseSessionRequest r, StreamObserver<CloseSessionResponse> o) {
                Rpc.serve(o, () -> master.get().closeSession(r));
            }

            @Override
            public void listDevices(ListDevicesRequest r, StreamObserver<ListDevicesResponse> o) {
                Rpc.serve(o, () -> master.get().listDevices(r));
            }
        };
    }
}
