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
 * The coordinator's side of a job: runs one kind of job on every task of a job of the cluster (each task one replica,
 * task 0 the chief), prints the chief's progress, and fails with the task that failed first; with a restart budget it
 * waits for a lost task to come back and runs the job again (the job resumes from its checkpoints).
 */
public final class JobClient implements AutoCloseable {
    private final ClusterSpec cluster;
    private final String job;
    private final Channels channels;

    /** A client for the tasks of {@code job} in {@code cluster}. */
    public JobClient(ClusterSpec cluster, String job, DistributedOptions options) {
        if (cluster.tasks(job).isEmpty()) {
            throw new IllegalArgumentException("the cluster has no task in job '" + job + "': " + cluster.describe());
        }
        this.cluster = cluster;
        this.job = job;
        this.channels = new Channels(options);
    }

    /** The tasks the job runs on, by index. */
    public Map<Integer, String> tasks() { return cluster.tasks(job); }

    private String name(int task) { return "/job:" + job + "/replica:0/task:" + task + " (" + cluster.address(job, task) + ")"; }

    /**
     * Runs the job once on every task; lines the chief (lowest task index) reports go to {@code progress}. Returns
     * each task's result by task index; throws a {@link DistributedException} naming the task that failed (the
     * others are cancelled), preferring a task that was lost over one that only saw the loss.
     */
    public Map<Integer, String> runOnce(String kind, String runId, List<String> args, Consumer<String> progress) {
        RunJobRequest request = RunJobRequest.newBuilder().setKind(kind).setRunId(runId).addAllArgs(args).build();
        Map<Integer, String> addresses = tasks();
        int chief = addresses.keySet().iterator().next();
        Map<Integer, CompletableFuture<String>> results = new java.util.TreeMap<>();
        List<ClientCallStreamObserver<?>> calls = new ArrayList<>();
        for (int task : addresses.keySet()) {
            CompletableFuture<String> result = new CompletableFuture<>();
            results.put(task, result);
            JobServiceGrpc.newStub(channels.get(addresses.get(task))).runJob(request,
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

    /** Waits until every task answers GetStatus; returns their incarnations by task index. */
    public Map<Integer, Long> awaitTasks(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, Long> incarnations = new java.util.TreeMap<>();
        for (Map.Entry<Integer, String> t : tasks().entrySet()) {
            while (true) {
                try {
                    // a channel to a task that was down backs off for up to minutes: ask again now
                    channels.get(t.getValue()).resetConnectBackoff();
                    incarnations.put(t.getKey(), WorkerServiceGrpc.newBlockingStub(channels.get(t.getValue()))
                            .withDeadlineAfter(2, TimeUnit.SECONDS)
                            .getStatus(GetStatusRequest.getDefaultInstance()).getIncarnation());
                    break;
                } catch (StatusRuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw new DistributedException("task " + name(t.getKey()) + " did not answer within "
                                + timeout.toSeconds() + " s: " + Rpc.message(e), e);
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new DistributedException("interrupted while waiting for " + name(t.getKey()), ie);
                    }
                }
            }
        }
        return incarnations;
    }

    @Override
    public void close() { channels.close(); }
}
