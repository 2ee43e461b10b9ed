package org.nabla.distributed.job;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.nabla.device.DeviceSpec;
import org.nabla.distributed.ClusterSpec;
import org.nabla.distributed.DistributedException;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.proto.GetStatusRequest;
import org.nabla.distributed.proto.JobEvent;
import org.nabla.distributed.proto.JobServiceGrpc;
import org.nabla.distributed.proto.RunJobRequest;
import org.nabla.distributed.proto.WorkerServiceGrpc;
import org.nabla.distributed.rpc.Channels;
import org.nabla.distributed.rpc.Rpc;

/**
 * The coordinator's side of a job: runs one kind of job on the replica tasks of a cluster (each task one replica,
 * the first the chief), prints the chief's progress, and fails with the task that failed first; with a restart budget it
 * waits for a lost task to come back and runs the job again (the job resumes from its checkpoints).
 */
public final class JobClient implements AutoCloseable {
    private final ClusterSpec cluster;
    private final List<DeviceSpec> replicas;
    private final Channels channels;

    /**
     * A client for {@code replicas}, tasks of {@code cluster} (e.g. {@code Server.replicaTasks(cluster, "worker")}:
     * the chief and the workers); the first is the chief, whose progress the client hears.
     */
    public JobClient(ClusterSpec cluster, List<DeviceSpec> replicas, DistributedOptions options) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("no task to run the job on in the cluster " + cluster.describe());
        }
        for (DeviceSpec t : replicas) cluster.address(t);   // fails naming a task the cluster lacks
        this.cluster = cluster;
        this.replicas = List.copyOf(replicas);
        this.channels = new Channels(options);
    }

    /** The addresses of the tasks the job runs on, in replica order (the chief first). */
    public List<String> addresses() { return replicas.stream().map(cluster::address).toList(); }

    private String name(int replica) {
        DeviceSpec t = replicas.get(replica);
        return t + " (" + cluster.address(t) + ")";
    }

    /**
     * Runs the job once on every task; lines the chief (the first replica) reports go to {@code progress}. Returns
     * each task's result by replica position; throws a {@link DistributedException} naming the task that failed (the
     * others are cancelled), preferring a task that was lost over one that only saw the loss.
     */
    public Map<Integer, String> runOnce(String kind, String runId, List<String> args, Consumer<String> progress) {
        RunJobRequest request = RunJobRequest.newBuilder().setKind(kind).setRunId(runId).addAllArgs(args).build();
        List<String> addresses = addresses();
        int chief = 0;
        Map<Integer, CompletableFuture<String>> results = new java.util.TreeMap<>();
        List<ClientCallStreamObserver<?>> calls = new ArrayList<>();
        for (int r = 0; r < addresses.size(); r++) {
            int task = r;
            CompletableFuture<String> result = new CompletableFuture<>();
            results.put(task, result);
            JobServiceGrpc.newStub(channels.get(addresses.get(r))).runJob(request,
                    new ClientResponseObserver<RunJobRequest, JobEvent>() {
                        private String value;

                        @Override public void beforeStart(ClientCallStreamObserver<RunJobRequest> call) {
                            synchronized (calls) { calls.add(call); }
                        }

                        @Override public void onNext(JobEvent e) {
                            if (e.hasResult()) value = e.getResult();
                            else if (task == chief) progress.accept(e.getLine());
                        }

                        @Override public void onError(Throwable t) { result.completeExceptionally(t); }

                        @Override public void onCompleted() { result.complete(value); }
                    });
        }
        // allOf alone would wait for every task, also after one failed (a replica blocked on a lost peer waits up to
        // its step deadline): the first failure ends the wait
        CompletableFuture<Object> firstFailure = new CompletableFuture<>();
        for (CompletableFuture<String> f : results.values()) f.whenComplete((v, e) -> {
            if (e != null) firstFailure.completeExceptionally(e);
        });
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(results.values().toArray(CompletableFuture[]::new)),
                    firstFailure).join();
        } catch (RuntimeException first) {
            // a moment for the other tasks' outcomes, so the report can name the task that was lost rather than one
            // that only saw the loss
            try {
                CompletableFuture.allOf(results.values().toArray(CompletableFuture[]::new)).get(1, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // failed or still running: reported below
            }
            synchronized (calls) {
                for (ClientCallStreamObserver<?> c : calls) c.cancel("another task of the job failed", null);
            }
            throw failure(kind, results);
        }
        Map<Integer, String> out = new java.util.TreeMap<>();
        results.forEach((task, f) -> out.put(task, f.join()));
        return out;
    }

    /** The failure to report: a lost task (UNAVAILABLE) first, then a primary error, then any. */
    private DistributedException failure(String kind, Map<Integer, CompletableFuture<String>> results) {
        Integer lost = null, primary = null, any = null;
        Throwable lostError = null, primaryError = null, anyError = null;
        for (Map.Entry<Integer, CompletableFuture<String>> e : results.entrySet()) {
            if (!e.getValue().isCompletedExceptionally()) continue;
            Throwable t = Rpc.unwrap(e.getValue().handle((v, x) -> x).join());
            boolean cancelledByUs = t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.CANCELLED;
            if (cancelledByUs) continue;
            if (lost == null && t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                lost = e.getKey();
                lostError = t;
            } else if (primary == null && !Rpc.isSecondary(t)) {
                primary = e.getKey();
                primaryError = t;
            } else if (any == null) {
                any = e.getKey();
                anyError = t;
            }
        }
        if (lost != null) {
            return new DistributedException(kind + " failed: task " + name(lost) + " was lost: " + Rpc.message(lostError),
                    lostError);
        }
        int task = primary != null ? primary : any != null ? any : results.keySet().iterator().next();
        Throwable t = primary != null ? primaryError : anyError;
        return new DistributedException(kind + " failed on task " + name(task) + ": "
                + (t == null ? "cancelled" : Rpc.message(t)), t);
    }

    /**
     * Runs the job, and after a failure waits (up to {@code waitForTasks}) until every task answers again and runs it
     * again, at most {@code maxRestarts} times; {@code notices} hears of each restart. The run ids are
     * {@code runId}, {@code runId-r1}, ...
     */
    public Map<Integer, String> run(String kind, String runId, List<String> args, Consumer<String> progress,
                                    int maxRestarts, Duration waitForTasks, Consumer<String> notices) {
        if (maxRestarts < 0) throw new IllegalArgumentException("maxRestarts must be >= 0, got " + maxRestarts);
        for (int attempt = 0; ; attempt++) {
            try {
                return runOnce(kind, attempt == 0 ? runId : runId + "-r" + attempt, args, progress);
            } catch (DistributedException e) {
                if (attempt >= maxRestarts) throw e;
                notices.accept(e.getMessage());
                notices.accept("restart " + (attempt + 1) + " of " + maxRestarts + ": waiting up to "
                        + waitForTasks.toSeconds() + " s for every task to answer");
                awaitTasks(waitForTasks);
            }
        }
    }

    /** Waits until every task answers GetStatus; returns their incarnations by replica position. */
    public Map<Integer, Long> awaitTasks(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, Long> incarnations = new java.util.TreeMap<>();
        List<String> addresses = addresses();
        for (int r = 0; r < addresses.size(); r++) {
            while (true) {
                try {
                    // a channel to a task that was down backs off for up to minutes: ask again now
                    channels.get(addresses.get(r)).resetConnectBackoff();
                    incarnations.put(r, WorkerServiceGrpc.newBlockingStub(channels.get(addresses.get(r)))
                            .withDeadlineAfter(2, TimeUnit.SECONDS)
                            .getStatus(GetStatusRequest.getDefaultInstance()).getIncarnation());
                    break;
                } catch (StatusRuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw new DistributedException("task " + name(r) + " did not answer within "
                                + timeout.toSeconds() + " s: " + Rpc.message(e), e);
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new DistributedException("interrupted while waiting for " + name(r), ie);
                    }
                }
            }
        }
        return incarnations;
    }

    @Override
    public void close() { channels.close(); }
}
