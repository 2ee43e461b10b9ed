package org.nabla.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.nabla.Tensor;
import org.nabla.device.Device;
import org.nabla.device.DeviceSpec;
import org.nabla.graph.Effects;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.kernels.Rendezvous;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * One function graph instantiated for one caller device (TensorFlow's multi-device function): pruned to its results
 * and effectful nodes and optimized, placed over the caller's process and the other tasks (the caller's device first,
 * so unplaced nodes and the parameters go there), split by task ({@link Partitioner#partitionByTask}); the caller's
 * task's share is a {@link Plan} over this process's devices (split again by device), each other task's share is
 * registered with that task ({@link RemoteTasks#register}).
 *
 * <p>A call draws a frame id, starts every remote share with it, runs the local share on the calling thread as a
 * sub-step of the caller's step (its rendezvous: the step's, keys in the call's frame {@code frameId:iteration}, see
 * {@link Rendezvous#inFrame}), and waits for all. The first failure fails the call: a remote share's names its task
 * and the function; the caller's step failing cancels the sub-step and gives up the remote calls.
 */
final class MultiDeviceFunction {
    /** A share of the function on another task: which parameters it takes and which results it returns. */
    private record RemotePart(DeviceSpec task, RemoteTasks.Component component, int[] params, int[] results) {}

    private final String name;
    private final Graph graph;
    private final int nodeCount;
    private final int paramCount;
    private final int resultCount;
    /** The caller's task's share (null when it has no node). */
    private final Plan local;
    private final int[] localParams;
    private final int[] localResults;
    private final List<RemotePart> remotes;

    private MultiDeviceFunction(FuncGraph f, int nodeCount, Plan local, int[] localParams, int[] localResults,
                                List<RemotePart> remotes) {
        this.name = f.name();
        this.graph = f.graph();
        this.nodeCount = nodeCount;
        this.paramCount = f.params().size();
        this.resultCount = f.results().size();
        this.local = local;
        this.localParams = localParams;
        this.localResults = localResults;
        this.remotes = List.copyOf(remotes);
    }

    /**
     * Instantiates {@code f} over {@code devices} (the caller's device first, then the rest of this process's, then
     * the other tasks'); {@code localDevices} are this process's.
     */
    static MultiDeviceFunction prepare(FuncGraph f, List<Device> devices, List<Device> localDevices,
                                       RemoteTasks remote, OptimizerOptions passes) {
        Graph g = f.graph();
        int count = g.size();
        PrunedGraph p = PrunedGraph.of(g, f.params(), f.results(), Effects.effectfulNodes(g), passes);
        Map<Node, Device> placement;
        try {
            placement = Placer.place(p.graph(), devices);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("function " + f.name() + ": " + e.getMessage(), e);
        }
        Partitioner.TaskResult parts = Partitioner.partitionByTask(p.graph(), placement, devices);
        DeviceSpec here = DeviceSpec.of(devices.get(0)).addressSpace();
        Plan local = null;
        int[] localParams = new int[0];
        int[] localResults = new int[0];
        List<RemotePart> remotes = new ArrayList<>();
        for (Partitioner.TaskPartition part : parts.partitions()) {
            List<Integer> params = indicesIn(p.feeds(), parts, part.task());
            List<Integer> results = indicesIn(p.fetches(), parts, part.task());
            List<Output> feeds = params.stream().map(i -> parts.map(p.feeds().get(i))).toList();
            List<Output> fetches = results.stream().map(i -> parts.map(p.fetches().get(i))).toList();
            if (part.task().equals(here)) {
                // already pruned and optimized: this level only places on the local devices and splits per device
                local = Plan.prepare(part.graph(), feeds, fetches, part.graph().nodes(), localDevices,
                        SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE));
                localParams = toArray(params);
                localResults = toArray(results);
            } else {
                RemoteTasks.Component c = remote.register(part.task(), f.name(), part.graph(), feeds, fetches);
                remotes.add(new RemotePart(part.task(), c, toArray(params), toArray(results)));
            }
        }
        return new MultiDeviceFunction(f, count, local, localParams, localResults, remotes);
    }

    private static List<Integer> indicesIn(List<Output> outputs, Partitioner.TaskResult parts, DeviceSpec task) {
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) if (parts.taskOf(outputs.get(i).node()).equals(task)) mine.add(i);
        return mine;
    }

    private static int[] toArray(List<Integer> l) { return l.stream().mapToInt(Integer::intValue).toArray(); }

    /** Whether this instance still covers the whole function graph (graphs are append-only). */
    boolean isCurrent() { return graph.size() == nodeCount; }

    /** Number of tasks other than the caller's that run a share of each call. */
    int remoteParts() { return remotes.size(); }

    /** Number of devices of the caller's task that run a share of each call. */
    int localPartitions() { return local == null ? 0 : local.partitionCount(); }

    /** Runs one call for a kernel of step {@code caller}, in iteration {@code iteration} of its loop (0: none). */
    Tensor[] call(Tensor[] args, Step caller, long iteration) {
        if (args.length != paramCount) {
            throw new IllegalArgumentException("function " + name + " takes " + paramCount
                    + " arguments (including captures), got " + args.length);
        }
        String frame = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ":" + iteration;
        Step sub = new Step(caller.id, local == null ? 0 : local.partitionCount(), ExecutionMode.SERIAL, null,
                caller.resources, Rendezvous.inFrame(caller.rendezvous, frame), false, caller.functions, caller);
        List<CompletableFuture<Tensor[]>> started = new ArrayList<>();
        Tensor[] results = new Tensor[resultCount];
        try {
            for (RemotePart r : remotes) {
                Tensor[] feeds = new Tensor[r.params().length];
                for (int i = 0; i < feeds.length; i++) feeds[i] = args[r.params()[i]];
                CompletableFuture<Tensor[]> f = r.component().run(caller.id, frame, feeds);
                // a remote share that fails stops the local one at once (its Recvs may wait for that share)
                f.whenComplete((v, e) -> {
                    if (e != null) sub.fail(partFailed(r, e));
                });
                started.add(f);
            }
            if (local != null) {
                Tensor[] feeds = new Tensor[localParams.length];
                for (int i = 0; i < feeds.length; i++) feeds[i] = local.checkFeed(i, args[localParams[i]]);
                List<Tensor> out = local.run(sub, feeds);
                for (int i = 0; i < localResults.length; i++) results[localResults[i]] = out.get(i);
            }
            for (int k = 0; k < remotes.size(); k++) {
                RemotePart r = remotes.get(k);
                Tensor[] out = await(started.get(k), r, caller);
                if (out.length != r.results().length) {
                    throw new IllegalStateException("function " + name + ": its part on task " + r.task()
                            + " returned " + out.length + " values, " + r.results().length + " were expected");
                }
                for (int i = 0; i < out.length; i++) results[r.results()[i]] = out[i];
            }
        } catch (RuntimeException e) {
            for (CompletableFuture<Tensor[]> f : started) f.cancel(true);
            throw e;
        }
        return results;
    }

    /** Waits for a remote share, giving up when the caller's step fails (its task then aborts the share's step). */
    private Tensor[] await(CompletableFuture<Tensor[]> f, RemotePart r, Step caller) {
        while (true) {
            try {
                return f.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (caller.failed()) {
                    throw new IllegalStateException("function " + name + ": the step failed while its part on task "
                            + r.task() + " ran");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("function " + name + ": interrupted waiting for its part on task "
                        + r.task(), e);
            } catch (ExecutionException e) {
                throw partFailed(r, e);
            }
        }
    }

    private RuntimeException partFailed(RemotePart r, Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return new IllegalStateException("function " + name + ": its part on task " + r.task() + " failed: "
                + e.getMessage(), e);
    }
}
