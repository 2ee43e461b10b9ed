package org.nabla.distributed.ps;

import org.nabla.distributed.DistributedException;
import org.nabla.distributed.rpc.Rpc;
import org.nabla.distributed.rpc.TensorWire;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.distributed.proto.CreateVariablesRequest;
import org.nabla.distributed.proto.CreateVariablesResponse;
import org.nabla.distributed.proto.NamedTensor;
import org.nabla.distributed.proto.ParameterServiceGrpc;
import org.nabla.distributed.proto.PullVariablesRequest;
import org.nabla.distributed.proto.PullVariablesResponse;
import org.nabla.distributed.proto.PushGradientsRequest;
import org.nabla.distributed.proto.PushGradientsResponse;

/**
 * A task's ParameterService: it hosts the variables that parameter-server training places on this task (in groups,
 * one per training run: {@link HostedGroup}), answers pulls of their values and applies pushed gradients with the
 * optimizer each push names. Every server runs it; only the tasks of the {@code ps} job get variables. A pull for a
 * group not created yet waits for it (the chief creates the groups; the other workers start pulling at once).
 */
public final class ParameterService extends ParameterServiceGrpc.ParameterServiceImplBase {
    private final String task;
    private final long incarnation;
    private final long maxTensorBytes;
    /** Guarded by itself; its monitor also signals a new group to the pulls waiting for one. */
    private final Map<String, HostedGroup> groups = new HashMap<>();
    /** Groups whose creation messages have not all arrived; guarded by {@link #groups}. */
    private final Map<String, Pending> pending = new HashMap<>();
    private volatile String closed;

    /**
     * @param task           this task's name, for messages
     * @param incarnation    this task's incarnation: every answer carries it, so a client sees a restarted ps
     * @param maxTensorBytes the largest tensor accepted from the network
     */
    public ParameterService(String task, long incarnation, long maxTensorBytes) {
        this.task = task;
        this.incarnation = incarnation;
        this.maxTensorBytes = maxTensorBytes;
    }

    @Override
    public void createVariables(CreateVariablesRequest r, StreamObserver<CreateVariablesResponse> out) {
        Rpc.serve(out, () -> {
            checkOpen();
            Map<String, Tensor> initial = decode(r.getVariablesList());
            int batches = Math.max(1, r.getBatchCount());
            boolean existed;
            synchronized (groups) {
                HostedGroup g = groups.get(r.getGroup());
                existed = g != null;
                if (existed) {
                    g.checkSame(r.getSynchronous(), r.getReplicas(), initial);
                } else {
                    Pending p = pending.computeIfAbsent(r.getGroup(), k -> new Pending(r.getSynchronous(),
                            r.getReplicas(), batches));
                    p.add(r.getGroup(), r.getSynchronous(), r.getReplicas(), batches, initial);
                    if (p.received == batches) {
                        pending.remove(r.getGroup());
                        groups.put(r.getGroup(), new HostedGroup(r.getGroup(), p.synchronous, p.replicas, p.values));
                        groups.notifyAll();
                    }
                }
            }
            return CreateVariablesResponse.newBuilder().setIncarnation(incarnation).setExisted(existed).build();
        });
    }

    /** A group whose creation arrives in several messages: the batches received so far. */
    private static final class Pending {
        final boolean synchronous;
        final int replicas;
        final int batches;
        final Map<String, Tensor> values = new LinkedHashMap<>();
        int received;

        Pending(boolean synchronous, int replicas, int batches) {
            this.synchronous = synchronous;
            this.replicas = replicas;
            this.batches = batches;
        }

        void add(String group, boolean sync, int reps, int count, Map<String, Tensor> batch) {
            if (sync != synchronous || reps != replicas || count != batches) {
                throw new IllegalArgumentException("the messages creating group '" + group + "' disagree (SYNC "
                        + synchronous + "/" + sync + ", replicas " + replicas + "/" + reps + ", batches " + batches
                        + "/" + count + ")");
            }
            for (Map.Entry<String, Tensor> e : batch.entrySet()) {
                if (values.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("group '" + group + "': variable '" + e.getKey()
                            + "' is created twice");
                }
            }
            received++;
        }
    }

    @Override
    public void pullVariables(PullVariablesRequest r, StreamObserver<PullVariablesResponse> out) {
        Rpc.serve(out, () -> {
            checkIncarnation(r.getPsIncarnation());
            long start = System.nanoTime();
            HostedGroup g = awaitGroup(r.getGroup(), r.getWaitMs());
            long left = Math.max(0, r.getWaitMs() - (System.nanoTime() - start) / 1_000_000);
            Map<String, Tensor> values = g.pull(r.getKeysList(), r.getMinVersion(), left);
            PullVariablesResponse.Builder b = PullVariablesResponse.newBuilder().setIncarnation(incarnation)
                    .setVersion(g.version());
            values.forEach((k, t) -> b.addValues(NamedTensor.newBuilder().setName(k)
                    .setTensor(ByteString.copyFrom(TensorWire.encode(t)))));
            return b.build();
        });
    }

    @Override
    public void pushGradients(PushGradientsRequest r, StreamObserver<PushGradientsResponse> out) {
        Rpc.serve(out, () -> {
            checkOpen();
            checkIncarnation(r.getPsIncarnation());
            HostedGroup g;
            synchronized (groups) {
                g = groups.get(r.getGroup());
            }
            if (g == null) throw new IllegalArgumentException("no group '" + r.getGroup() + "' on this ps");
            g.push(r.getReplica(), r.getStep(), r.getExamples(), r.getLearningRate(), r.getOptimizer().getName(),
                    r.getOptimizer().getHyperparametersMap(), decode(r.getGradientsList()), r.getBatchCount());
            return PushGradientsResponse.newBuilder().setIncarnation(incarnation).build();
        });
    }

    private HostedGroup awaitGroup(String name, long waitMs) {
        long deadline = System.nanoTime() + waitMs * 1_000_000;
        synchronized (groups) {
            while (true) {
                checkOpen();
                HostedGroup g = groups.get(name);
                if (g != null) return g;
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new DistributedException("the variables of group '" + name + "' were not created on "
                            + task + " within " + waitMs + " ms (the chief creates them: is it running?)");
                }
                try {
                    groups.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DistributedException("interrupted while waiting for group '" + name + "'");
                }
            }
        }
    }

    private Map<String, Tensor> decode(List<NamedTensor> tensors) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (NamedTensor t : tensors) {
            if (out.put(t.getName(), TensorWire.decode(t.getTensor().asReadOnlyByteBuffer(), maxTensorBytes)) != null) {
                throw new IllegalArgumentException("variable '" + t.getName() + "' appears twice in one message");
            }
        }
        return out;
    }

    /** A caller that saw another incarnation of this task talked to a ps that is gone, with its variables. */
    private void checkIncarnation(long expected) {
        if (expected != 0 && expected != incarnation) {
            throw new Rpc.StaleIncarnationException(task + " restarted: the caller saw incarnation "
                    + Long.toHexString(expected) + ", this is " + Long.toHexString(incarnation) + "; the variables "
                    + "it hosted are lost");
        }
    }

    private void checkOpen() {
        if (closed != null) throw new IllegalStateException(closed);
    }

    /** The keys of the variables of {@code group} hosted here (empty: no such group). */
    public List<String> variables(String group) {
        HostedGroup g = group(group);
        return g == null ? List.of() : g.keys();
    }

    /** Push messages applied (ASYNC) or gathered (SYNC) in {@code group}, per replica (empty: no such group). */
    public long[] pushes(String group) {
        HostedGroup g = group(group);
        return g == null ? new long[0] : g.pushes();
    }

    /** Steps applied (SYNC) or push messages applied (ASYNC) in {@code group}; -1: no such group. */
    public long version(String group) {
        HostedGroup g = group(group);
        return g == null ? -1 : g.version();
    }

    private HostedGroup group(String name) {
        synchronized (groups) {
            return groups.get(name);
        }
    }

    /** Fails the pulls waiting here and every later call (the server is stopping). */
    public void close(String why) {
        closed = why;
        synchronized (groups) {
            groups.notifyAll();
            for (HostedGroup g : groups.values()) g.close(why);
        }
    }
}
