package org.nabla.distributed.job;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.nabla.distributed.Server;
import org.nabla.distributed.proto.JobEvent;
import org.nabla.distributed.proto.JobServiceGrpc;
import org.nabla.distributed.proto.RunJobRequest;
import org.nabla.distributed.rpc.Rpc;

/**
 * The JobService of one task: runs the {@link JobRunner} a request names on a thread of its own and streams its
 * progress back. One job at a time per task (a replica owns its task's collectives while it runs): a new one waits for a
 * cancelled one to end.
 */
public final class JobHost extends JobServiceGrpc.JobServiceImplBase {
    private static final System.Logger LOG = System.getLogger("org.nabla.distributed");

    private final Supplier<Server> server;
    private final Map<String, JobRunner> runners = new TreeMap<>();
    /** One job at a time; a new one waits this long for a cancelled one to end. */
    private static final long BUSY_WAIT_SECONDS = 60;
    private final Semaphore idle = new Semaphore(1);
    /** The thread of the job running now (for the message when a cancelled one does not end). */
    private volatile Thread running;

    /** A host for the runners on the class path; {@code server} is asked for once a job arrives. */
    public JobHost(Supplier<Server> server) {
        this.server = server;
        for (JobRunner r : ServiceLoader.load(JobRunner.class)) runners.put(r.kind(), r);
    }

    /** The job kinds this task runs. */
    public List<String> kinds() { return List.copyOf(runners.keySet()); }

    @Override
    public void runJob(RunJobRequest request, StreamObserver<JobEvent> out) {
        JobRunner runner = runners.get(request.getKind());
        Server s = server.get();
        if (runner == null) {
            out.onError(Rpc.toStatus(new IllegalArgumentException(s.task() + " has no job kind '"
                    + request.getKind() + "'; it runs " + kinds())).asRuntimeException());
            return;
        }
        ServerCallStreamObserver<JobEvent> call = (ServerCallStreamObserver<JobEvent>) out;
        AtomicBoolean cancelled = new AtomicBoolean();
        Object sending = new Object();   // onNext is not thread-safe: the job may report from several threads
        JobContext context = new JobContext() {
            @Override public Server server() { return s; }

            @Override public String runId() { return request.getRunId(); }

            @Override public void report(String line) {
                synchronized (sending) {
                    if (!cancelled.get()) out.onNext(JobEvent.newBuilder().setLine(line).build());
                }
            }

            @Override public boolean isCancelled() { return cancelled.get(); }
        };
        Thread thread = Thread.ofPlatform().name("nabla-job-" + request.getKind() + "-" + request.getRunId())
                .unstarted(() -> {
                    try {
                        if (!idle.tryAcquire(BUSY_WAIT_SECONDS, TimeUnit.SECONDS)) {
                            Thread old = running;
                            StackTraceElement[] at = old == null ? new StackTraceElement[0] : old.getStackTrace();
                            throw new IllegalStateException(s.task() + " is still running another job after "
                                    + BUSY_WAIT_SECONDS + " s" + (at.length == 0 ? "" : " (at " + at[0] + ")"));
                        }
                        running = Thread.currentThread();
                    } catch (Throwable e) {
                        synchronized (sending) {
                            if (!cancelled.get()) out.onError(Rpc.toStatus(e).asRuntimeException());
                        }
                        return;
                    }
                    try {
                        LOG.log(System.Logger.Level.DEBUG, () -> s.task() + " runs job " + request.getKind() + " "
                                + request.getRunId());
                        String result = runner.run(context, List.copyOf(request.getArgsList()));
                        LOG.log(System.Logger.Level.DEBUG, () -> s.task() + " finished job " + request.getKind() + " "
                                + request.getRunId());
                        synchronized (sending) {
                            if (cancelled.get()) return;
                            if (result != null) out.onNext(JobEvent.newBuilder().setResult(result).build());
                            out.onCompleted();
                        }
                    } catch (Throwable e) {
                        LOG.log(System.Logger.Level.WARNING, () -> s.task() + ": job " + request.getKind() + " "
                                + request.getRunId() + (cancelled.get() ? " cancelled" : " failed") + ": " + e, e);
                        synchronized (sending) {
                            if (!cancelled.get()) out.onError(Rpc.toStatus(e).asRuntimeException());
                        }
                    } finally {
                        idle.release();
                    }
                });
        call.setOnCancelHandler(() -> {
            cancelled.set(true);
            thread.interrupt();
        });
        thread.start();
    }
}
