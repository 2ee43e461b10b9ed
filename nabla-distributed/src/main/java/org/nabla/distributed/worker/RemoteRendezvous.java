package org.nabla.distributed.worker;

import org.nabla.distributed.DistributedException;
import org.nabla.distributed.rpc.Channels;

import io.grpc.Deadline;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.nabla.Tensor;
import org.nabla.device.DeviceSpec;
import org.nabla.kernels.Rendezvous;

/**
 * The rendezvous of one step on one worker (TensorFlow's RpcRemoteRendezvous). Sends always stay here, in the step's
 * {@link StepTensors}, until their consumer takes them. A Recv whose key's sending device lives in this task takes the
 * value locally; one whose sending device lives in another task pulls it from that task's worker with RecvTensor
 * (receiver-pull: the producer never pushes). Keys are {@code sendDevice;recvDevice;tensorName;frame:iteration}, and
 * every RecvTensor also carries the step id and the producer's incarnation, so a value of another step, or of a
 * restarted producer, is never taken for this one.
 */
final class RemoteRendezvous implements Rendezvous {
    /** Where to pull from: a peer task's address and the incarnation the master saw. */
    record Peer(String task, String address, long incarnation) {}

    private final StepTensors local;
    private final DeviceSpec self;
    private final Map<String, Peer> peers;
    private final Channels channels;
    private final Deadline deadline;
    private final Set<TensorPull.Pending> inFlight = ConcurrentHashMap.newKeySet();
    private final Runnable onAbort = () -> abortPulls(new DistributedException("step " + stepId() + " aborted"));
    private volatile Throwable aborted;

    /**
     * A view of {@code local} for a step running on task {@code self}, pulling from {@code peers} (task name ->
     * peer) until {@code deadline}.
     */
    RemoteRendezvous(StepTensors local, DeviceSpec self, Map<String, Peer> peers, Channels channels,
                     Deadline deadline) {
        this.local = local;
        this.self = self;
        this.peers = peers;
        this.channels = channels;
        this.deadline = deadline;
        local.onAbort(onAbort);
    }

    /**
     * Stops listening for the step's abort once this view's run ended (a step running a function's share once per
     * loop iteration makes one view per call).
     */
    void close() { local.removeOnAbort(onAbort); }

    @Override
    public void send(String key, Tensor value) { local.put(key, value); }

    @Override
    public CompletableFuture<Tensor> recv(String key) {
        DeviceSpec producer;
        try {
            producer = producerTask(key);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (producer.equals(self)) return local.take(key);
        Peer peer = peers.get(producer.toString());
        if (peer == null) {
            return CompletableFuture.failedFuture(new DistributedException("rendezvous key '" + key + "' comes from "
                    + "task " + producer + ", which is not a task of this session (peers: " + peers.keySet() + ")"));
        }
        Throwable a = aborted;
        if (a != null) return CompletableFuture.failedFuture(a);
        TensorPull.Pending p = TensorPull.start(channels.get(peer.address()), peer.task(), peer.address(),
                peer.incarnation(), local.stepId(), key, deadline, channels.options().maxTensorBytes());
        inFlight.add(p);
        p.result().whenComplete((t, e) -> inFlight.remove(p));
        if (aborted != null) p.cancel(aborted);
        return p.result();
    }

    private long stepId() { return local.stepId(); }

    /** The task of the key's sending device ({@code /job:worker/replica:0/task:1}). */
    static DeviceSpec producerTask(String key) {
        int semi = key.indexOf(';');
        if (semi <= 0) throw new IllegalArgumentException("rendezvous key '" + key + "' does not start with a device");
        return DeviceSpec.parse(key.substring(0, semi)).addressSpace();
    }

    @Override
    public void abort(Throwable cause) {
        local.abort(cause);
        abortPulls(cause);
    }

    private void abortPulls(Throwable cause) {
        if (aborted == null) aborted = cause;
        for (TensorPull.Pending p : inFlight) p.cancel(cause);
    }
}
