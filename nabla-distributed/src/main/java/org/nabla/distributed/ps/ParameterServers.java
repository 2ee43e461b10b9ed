package org.nabla.distributed.ps;

import org.nabla.distributed.ClusterSpec;
import org.nabla.distributed.DistributedException;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.rpc.Channels;
import org.nabla.distributed.rpc.Rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.nabla.distributed.proto.CreateVariablesRequest;
import org.nabla.distributed.proto.CreateVariablesResponse;
import org.nabla.distributed.proto.ParameterServiceGrpc;
import org.nabla.distributed.proto.PullVariablesRequest;
import org.nabla.distributed.proto.PullVariablesResponse;
import org.nabla.distributed.proto.PushGradientsRequest;
import org.nabla.distributed.proto.PushGradientsResponse;

/**
 * The client side of the ps tasks of a cluster (the tasks of its {@code ps} job, by index): ParameterService calls
 * with deadlines, whose failures name the ps task and its address. Every call carries the incarnation of the ps's
 * first answer, and every answer is checked against it: a ps that restarted (and lost the variables it hosted) is
 * reported as such, never mistaken for its old self.
 */
public final class ParameterServers {
    public static final String JOB = "ps";
    private final ClusterSpec cluster;
    private final Channels channels;
    private final List<String> tasks = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    /** Each ps's incarnation from its first answer; 0: none yet. */
    private final AtomicLongArray incarnations;

    public ParameterServers(ClusterSpec cluster, Channels channels) {
        this.cluster = cluster;
        this.channels = channels;
        List<Integer> indices = new ArrayList<>(cluster.tasks(JOB).keySet());
        indices.sort(null);
        for (int i : indices) {
            tasks.add("/job:" + JOB + "/replica:0/task:" + i);
            addresses.add(cluster.address(JOB, i));
        }
        incarnations = new AtomicLongArray(tasks.size());
    }

    public ClusterSpec cluster() { return cluster; }

    public DistributedOptions options() { return channels.options(); }

    /** The number of ps tasks. */
    public int size() { return tasks.size(); }

    /** ps task {@code i} and its address, as messages name it: {@code /job:ps/replica:0/task:0 (localhost:2224)}. */
    public String describe(int i) { return tasks.get(i) + " (" + addresses.get(i) + ")"; }

    public CompletableFuture<CreateVariablesResponse> create(int ps, CreateVariablesRequest r) {
        return call(ps, "CreateVariables", rpcMs(), s -> o -> s.createVariables(r, o), CreateVariablesResponse::getIncarnation);
    }

    /** A pull; its deadline is the ps's wait ({@code wait_ms}) plus the control deadline. */
    public CompletableFuture<PullVariablesResponse> pull(int ps, PullVariablesRequest request) {
        PullVariablesRequest r = request.toBuilder().setPsIncarnation(incarnation(ps)).build();
        return call(ps, "PullVariables", r.getWaitMs() + rpcMs(), s -> o -> s.pullVariables(r, o),
                PullVariablesResponse::getIncarnation);
    }

    public CompletableFuture<PushGradientsResponse> push(int ps, PushGradientsRequest request) {
        PushGradientsRequest r = request.toBuilder().setPsIncarnation(incarnation(ps)).build();
        return call(ps, "PushGradients", rpcMs(), s -> o -> s.pushGradients(r, o), PushGradientsResponse::getIncarnation);
    }

    /** The incarnation of ps {@code ps} from its first answer (0: none yet); later calls carry it. */
    private long incarnation(int ps) { return ps >= 0 && ps < size() ? incarnations.get(ps) : 0; }

    private long rpcMs() { return channels.options().rpcTimeout().toMillis(); }

    private <T> CompletableFuture<T> call(int ps, String name, long deadlineMs,
                                          Function<ParameterServiceGrpc.ParameterServiceStub,
                                                  Consumer<StreamObserver<T>>> start,
                                          ToLongFunction<T> incarnation) {
        if (ps < 0 || ps >= size()) throw new IllegalArgumentException("no ps task " + ps + " (" + size() + " ps tasks)");
        CompletableFuture<T> f;
        try {
            ParameterServiceGrpc.ParameterServiceStub stub = ParameterServiceGrpc.newStub(channels.get(addresses.get(ps)))
                    .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
            f = Rpc.call(start.apply(stub));
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((r, e) -> {
            if (e != null) throw error(ps, name, e);
            long inc = incarnation.applyAsLong(r);
            long seen = incarnations.compareAndExchange(ps, 0, inc);
            if (seen != 0 && seen != inc) {
                throw new DistributedException("ps task " + describe(ps) + " restarted since its first answer "
                        + "(incarnation " + Long.toHexString(seen) + ", now " + Long.toHexString(inc) + "): the "
                        + "variables it hosted are lost");
            }
            return r;
        });
    }

    /** The failure of {@code call} on ps {@code ps}, in words a user can act on. */
    private DistributedException error(int ps, String call, Throwable e) {
        Throwable t = Rpc.unwrap(e);
        if (t instanceof DistributedException d) return d;
        String why = Rpc.message(t);
        if (t instanceof StatusRuntimeException s) {
            Status.Code c = s.getStatus().getCode();
            if (c == Status.Code.UNAVAILABLE) {
                return new DistributedException("ps task " + describe(ps) + " is unreachable (" + call + "): " + why, t);
            }
            if (c == Status.Code.DEADLINE_EXCEEDED) {
                return new DistributedException("ps task " + describe(ps) + " did not answer " + call + " in time: "
                        + why, t);
            }
        }
        return new DistributedException(call + " failed on ps task " + describe(ps) + ": " + why, t);
    }

    /**
     * The results of every call, in order; the first call to fail fails this at once (the others go on in the
     * background: one ps that is down must not wait for another's pull to time out).
     */
    public static <T> List<T> awaitAll(List<CompletableFuture<T>> fs) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).whenComplete((r, e) -> done.complete(null));
        for (CompletableFuture<T> f : fs) f.whenComplete((r, e) -> {
            if (e != null) done.completeExceptionally(e);
        });
        Rpc.await(done);
        List<T> out = new ArrayList<>();
        for (CompletableFuture<T> f : fs) out.add(Rpc.await(f));   // all done: a failure is thrown unwrapped
        return out;
    }
}
