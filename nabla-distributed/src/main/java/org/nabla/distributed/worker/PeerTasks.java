package org.nabla.distributed.worker;

import org.nabla.distributed.DistributedException;
import org.nabla.distributed.master.RemoteDevice;
import org.nabla.distributed.rpc.Channels;
import org.nabla.distributed.rpc.Rpc;
import org.nabla.distributed.rpc.TensorWire;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.nabla.Tensor;
import org.nabla.device.Device;
import org.nabla.device.DeviceSpec;
import org.nabla.distributed.proto.DeviceAttributes;
import org.nabla.distributed.proto.NamedTensor;
import org.nabla.distributed.proto.PeerTask;
import org.nabla.distributed.proto.RegisterGraphRequest;
import org.nabla.distributed.proto.RegisterGraphResponse;
import org.nabla.distributed.proto.RunGraphRequest;
import org.nabla.distributed.proto.RunGraphResponse;
import org.nabla.distributed.proto.WorkerServiceGrpc;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.graph.Output;
import org.nabla.runtime.RemoteTasks;

/**
 * The other tasks of one master session as a worker sees them, for the functions its partitions call
 * ({@link RemoteTasks}, TensorFlow's ClusterFunctionLibraryRuntime): their devices (from the peers the master listed
 * in RegisterGraph), and the worker service of each. A function's share for another task is registered there with
 * RegisterGraph under the same session (so it uses that task's variables of the session, and goes when the session
 * is deregistered), and each call runs it with RunGraph carrying the step id and the call's frame.
 */
final class PeerTasks implements RemoteTasks {
    private final String session;
    private final DeviceSpec self;
    private final List<PeerTask> peers;
    private final List<Device> devices;
    private final Channels channels;
    private final String mode;

    /** The tasks of {@code peers} other than {@code self}, for master session {@code session}. */
    PeerTasks(String session, DeviceSpec self, List<PeerTask> peers, Channels channels, String mode) {
        this.session = session;
        this.self = self;
        this.peers = List.copyOf(peers);
        this.channels = channels;
        this.mode = mode;
        List<Device> ds = new ArrayList<>();
        for (PeerTask p : peers) {
            if (p.getTask().equals(self.toString())) continue;
            for (DeviceAttributes d : p.getDevicesList()) {
                ds.add(RemoteDevice.of(d.getName(), d.getType(), p.getIncarnation()));
            }
        }
        this.devices = List.copyOf(ds);
    }

    @Override public List<Device> devices() { return devices; }

    @Override
    public Component register(DeviceSpec task, String function, Graph graph, List<Output> feeds,
                              List<Output> fetches) {
        PeerTask peer = peers.stream().filter(p -> p.getTask().equals(task.toString())).findFirst()
                .orElseThrow(() -> new DistributedException("function " + function + " places nodes on task " + task
                        + ", which is not a task of this session"));
        String where = peer.getAddress();
        RegisterGraphRequest.Builder r = RegisterGraphRequest.newBuilder().setSessionHandle(session)
                .setWorkerIncarnation(peer.getIncarnation()).setGraph(ByteString.copyFrom(GraphIO.toBytes(graph)))
                .addAllPeers(peers).setExecutionMode(mode);
        for (Output o : feeds) r.addFeeds(o.node().name() + ":" + o.index());
        for (Output o : fetches) r.addFetches(o.node().name() + ":" + o.index());
        RegisterGraphRequest req = r.build();
        String handle;
        try {
            handle = Rpc.await(Rpc.<RegisterGraphResponse>call(o -> stub(peer).withDeadlineAfter(
                    channels.options().rpcTimeout().toMillis(), TimeUnit.MILLISECONDS).registerGraph(req, o)))
                    .getGraphHandle();
        } catch (RuntimeException e) {
            throw new DistributedException("function " + function + ": RegisterGraph of its part on task " + task
                    + " (" + where + ") failed: " + Rpc.message(e), e);
        }
        return (stepId, frame, values) -> run(peer, where, handle, stepId, frame, values);
    }

    /** One call of a registered share; fails naming the address (the caller names the function and the task). */
    private CompletableFuture<Tensor[]> run(PeerTask peer, String where, String handle, long stepId, String frame,
                                            Tensor[] values) {
        RunGraphRequest.Builder r = RunGraphRequest.newBuilder().setSessionHandle(session).setGraphHandle(handle)
                .setStepId(stepId).setWorkerIncarnation(peer.getIncarnation()).setFrame(frame);
        for (Tensor t : values) r.addFeeds(NamedTensor.newBuilder().setTensor(ByteString.copyFrom(TensorWire.encode(t))));
        RunGraphRequest req = r.build();
        // a cancelled call (the caller's step failed) cancels the RPC too
        Context.CancellableContext ctx = Context.current().withCancellation();
        CompletableFuture<RunGraphResponse> call;
        Context previous = ctx.attach();
        try {
            call = Rpc.call(o -> stub(peer).withDeadlineAfter(channels.options().stepTimeout().toMillis(),
                    TimeUnit.MILLISECONDS).runGraph(req, o));
        } finally {
            ctx.detach(previous);
        }
        CompletableFuture<Tensor[]> result = call.handle((resp, e) -> {
            if (e != null) {
                throw new DistributedException("RunGraph at " + where + ": " + Rpc.message(e), Rpc.unwrap(e));
            }
            Tensor[] out = new Tensor[resp.getFetchesCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = TensorWire.decode(resp.getFetches(i).getTensor().asReadOnlyByteBuffer(),
                        channels.options().maxTensorBytes());
            }
            return out;
        });
        result.whenComplete((v, e) -> ctx.cancel(null));
        return result;
    }

    private WorkerServiceGrpc.WorkerServiceStub stub(PeerTask peer) {
        return WorkerServiceGrpc.newStub(channels.get(peer.getAddress()));
    }
}
