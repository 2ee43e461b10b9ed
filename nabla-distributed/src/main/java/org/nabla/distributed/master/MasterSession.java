package org.nabla.distributed.master;

import org.nabla.distributed.DistributedException;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.rpc.Channels;
import org.nabla.distributed.rpc.Rpc;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.nabla.device.Device;
import org.nabla.distributed.proto.AbortRequest;
import org.nabla.distributed.proto.AbortResponse;
import org.nabla.distributed.proto.CleanupGraphRequest;
import org.nabla.distributed.proto.CleanupGraphResponse;
import org.nabla.distributed.proto.DeregisterGraphRequest;
import org.nabla.distributed.proto.DeregisterGraphResponse;
import org.nabla.distributed.proto.DeviceAttributes;
import org.nabla.distributed.proto.ExtendSessionRequest;
import org.nabla.distributed.proto.ExtendSessionResponse;
import org.nabla.distributed.proto.NamedTensor;
import org.nabla.distributed.proto.PeerTask;
import org.nabla.distributed.proto.RegisterGraphRequest;
import org.nabla.distributed.proto.RegisterGraphResponse;
import org.nabla.distributed.proto.RunGraphRequest;
import org.nabla.distributed.proto.RunGraphResponse;
import org.nabla.distributed.proto.RunStepRequest;
import org.nabla.distributed.proto.RunStepResponse;
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

/**
 * One client session of a {@link Master} (TensorFlow's MasterSession): the client's graph, the tasks of the cluster
 * with the devices and incarnations their GetStatus reported, and a plan per distinct (feeds, fetches, targets).
 * Preparing a plan prunes and optimizes ({@link PrunedGraph}), places over the devices of all tasks ({@link Placer}),
 * splits by task ({@link Partitioner#partitionByTask}: cross-task edges become Send/Recv pairs) and registers each
 * task's part with its worker. A step draws a random step id, runs every task's part (RunGraph, in parallel, under
 * the step's deadline), gathers the fetches and cleans up (CleanupGraph). When a task's part fails, the step is
 * aborted on the others and the failure is reported naming the task.
 */
final class MasterSession {
    private static final System.Logger LOG = System.getLogger("org.nabla.distributed");

    private static final SecureRandom RANDOM = new SecureRandom();

    final String handle;
    final List<Master.TaskState> tasks;
    private final List<Device> devices;
    private final String mode;
    private final Channels channels;
    private final DistributedOptions options;
    private final Map<PlanKey, MasterPlan> plans = new ConcurrentHashMap<>();
    private volatile Graph graph;
    volatile boolean closed;

    /** One task's share of a plan: its registered graph, which feeds go to it, how many fetches it returns. */
    private record TaskGraph(Master.TaskState task, String graphHandle, List<Integer> feeds, int fetches) {}

    /**
     * A prepared (feeds, fetches, targets): per task graph, where each fetch comes from, and the tasks that run only
     * shares of the functions the graph calls (aborted and cleaned up with the step too).
     */
    private record MasterPlan(List<TaskGraph> tasks, int[][] fetchRoute, List<Master.TaskState> functionTasks) {}

    private record PlanKey(List<String> feeds, List<String> fetches, List<String> targets) {}

    MasterSession(String handle, Graph graph, List<Master.TaskState> tasks, String mode, Channels channels) {
        this.handle = handle;
        this.graph = graph;
        this.tasks = tasks;
        this.mode = mode;
        this.channels = channels;
        this.options = channels.options();
        List<Device> ds = new ArrayList<>();
        for (Master.TaskState t : tasks) {
            for (DeviceAttributes d : t.devices()) ds.add(RemoteDevice.of(d.getName(), d.getType(), t.incarnation()));
        }
        this.devices = List.copyOf(ds);
    }

    /** Runs one step: the plan for these feeds, fetches and targets (prepared on first use), then RunGraph on every
     * task. */
    RunStepResponse runStep(RunStepRequest request) {
        // feeds sorted by name make the plan key; the plan's feed indices refer to this order
        List<NamedTensor> feeds = new ArrayList<>(request.getFeedsList());
        feeds.sort(Comparator.comparing(NamedTensor::getName));
        PlanKey key = new PlanKey(feeds.stream().map(NamedTensor::getName).toList(),
                List.copyOf(request.getFetchesList()), List.copyOf(request.getTargetsList()));
        MasterPlan plan = plans.get(key);
        if (plan == null) {
            synchronized (this) {
                plan = plans.get(key);
                if (plan == null) {
                    plan = prepare(key);
                    plans.put(key, plan);
                }
            }
        }
        return run(plan, feeds);
    }

    private MasterPlan prepare(PlanKey key) {
        Graph g = graph;
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
        Partitioner.TaskResult parts = Partitioner.partitionByTask(p.graph(), Placer.place(p.graph(), devices),
                devices);
        int[][] fetchRoute = new int[fetches.size()][];
        List<CompletableFuture<String>> registered = new ArrayList<>();
        List<Master.TaskState> owners = new ArrayList<>();
        List<List<Integer>> taskFeeds = new ArrayList<>();
        List<Integer> taskFetchCounts = new ArrayList<>();
        for (int ti = 0; ti < parts.partitions().size(); ti++) {
            Partitioner.TaskPartition part = parts.partitions().get(ti);
            Master.TaskState task = tasks.stream().filter(t -> t.task().equals(part.task())).findFirst().orElseThrow();
            RegisterGraphRequest.Builder r = RegisterGraphRequest.newBuilder().setSessionHandle(handle)
                    .setWorkerIncarnation(task.incarnation()).setGraph(ByteString.copyFrom(GraphIO.toBytes(
                            part.graph()))).setExecutionMode(mode);
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
            // every task, this one too, with its devices: the functions the partition calls may place nodes there
            for (Master.TaskState peer : tasks) {
                r.addPeers(PeerTask.newBuilder().setTask(peer.task().toString()).setAddress(peer.address())
                        .setIncarnation(peer.incarnation()).addAllDevices(peer.devices()));
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
                if (failure == null) failure = Master.taskError(owners.get(i).describe(), "RegisterGraph", e);
            }
        }
        if (failure != null) {
            deregister(tasks);
            throw failure;
        }
        List<Master.TaskState> functionTasks = new ArrayList<>(FunctionTasks.reached(p.graph(), this.tasks));
        for (TaskGraph tg : tasks) functionTasks.remove(tg.task());
        return new MasterPlan(List.copyOf(tasks), fetchRoute, List.copyOf(functionTasks));
    }

    private static Output output(Graph g, String name, String what) {
        try {
            return (Output) g.tensor(name).symbol();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RunStep: " + what + " '" + name + "': " + e.getMessage(), e);
        }
    }

    private static String name(Output o) { return o.node().name() + ":" + o.index(); }

    private void dropPlans() {
        for (MasterPlan p : plans.values()) deregister(p.tasks());
        plans.clear();
    }

    private void deregister(List<TaskGraph> graphs) {
        for (TaskGraph tg : graphs) {
            Rpc.<DeregisterGraphResponse>call(o -> tg.task().stub(channels).withDeadlineAfter(
                    options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS).deregisterGraph(DeregisterGraphRequest.newBuilder().setSessionHandle(
                    handle).setGraphHandle(tg.graphHandle()).build(), o));
        }
    }

    private RunStepResponse run(MasterPlan plan, List<NamedTensor> feeds) {
        long stepId = RANDOM.nextLong() & Long.MAX_VALUE;
        Deadline deadline = Deadline.after(options.stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
        List<CompletableFuture<RunGraphResponse>> calls = new ArrayList<>();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        for (TaskGraph tg : plan.tasks()) {
            RunGraphRequest.Builder r = RunGraphRequest.newBuilder().setSessionHandle(handle)
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
                DistributedException d = Master.taskError(tg.task().describe(), "RunGraph", e);
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
        LOG.log(System.Logger.Level.WARNING, () -> "step " + stepId + ": task " + failed.task().describe()
                + " failed (" + reason + "); aborting the step on the other tasks");
        for (Master.TaskState t : stepTasks(plan)) {
            if (t == failed.task()) continue;
            Rpc.<AbortResponse>call(o -> t.stub(channels).withDeadlineAfter(
                    options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS).abort(AbortRequest.newBuilder().setStepId(stepId)
                    .setReason("task " + failed.task().describe() + " failed: " + reason).build(), o));
        }
    }

    /** Every task with state for a step of {@code plan}: those holding a partition, then those running functions. */
    private static List<Master.TaskState> stepTasks(MasterPlan plan) {
        List<Master.TaskState> all = new ArrayList<>();
        for (TaskGraph tg : plan.tasks()) all.add(tg.task());
        all.addAll(plan.functionTasks());
        return all;
    }

    /** CleanupGraph on every task of the step; waits (within the RPC deadline) so a step's state is freed when
     * the step returns, and ignores tasks that are gone. */
    private void cleanup(MasterPlan plan, long stepId) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (Master.TaskState t : stepTasks(plan)) {
            calls.add(Rpc.<CleanupGraphResponse>call(o -> t.stub(channels).withDeadlineAfter(
                    options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS).cleanupGraph(CleanupGraphRequest.newBuilder().setStepId(stepId).build(),
                    o)));
        }
        for (CompletableFuture<?> c : calls) c.exceptionally(e -> null).join();
    }

    /** Replaces the graph with {@code graph}, which must start with the nodes the session has; drops the plans. */
    ExtendSessionResponse extend(ExtendSessionRequest request, Graph newGraph) {
        synchronized (this) {
            Graph old = graph;
            if (request.getCurrentGraphVersion() != old.size()) {
                throw new IllegalArgumentException("ExtendSession: the client extends version "
                        + request.getCurrentGraphVersion() + " but the session holds version " + old.size());
            }
            if (newGraph.size() < old.size()) {
                throw new IllegalArgumentException("ExtendSession: the new graph has " + newGraph.size()
                        + " nodes, fewer than the session's " + old.size());
            }
            for (int i = 0; i < old.size(); i++) {
                if (!old.nodes().get(i).name().equals(newGraph.nodes().get(i).name())) {
                    throw new IllegalArgumentException("ExtendSession: node " + i + " was '" + old.nodes().get(i)
                            .name() + "', the new graph has '" + newGraph.nodes().get(i).name() + "' there");
                }
            }
            graph = newGraph;
            dropPlans();
        }
        return ExtendSessionResponse.newBuilder().setNewGraphVersion(newGraph.size()).build();
    }

    /** Frees the session's graphs and variables on every task (best effort: a task may be gone). */
    void close() {
        closed = true;
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (Master.TaskState t : tasks) {
            calls.add(Rpc.<DeregisterGraphResponse>call(o -> t.stub(channels).withDeadlineAfter(
                    options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS).deregisterGraph(DeregisterGraphRequest
                    .newBuilder().setSessionHandle(handle).build(), o)));
        }
        for (CompletableFuture<?> c : calls) c.exceptionally(e -> null).join();
    }
}
