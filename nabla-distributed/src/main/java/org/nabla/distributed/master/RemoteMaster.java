package org.nabla.distributed.master;

import org.nabla.distributed.ClusterSpec;
import org.nabla.distributed.DistributedException;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.rpc.Channels;
import org.nabla.distributed.rpc.Rpc;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.nabla.distributed.proto.CloseSessionRequest;
import org.nabla.distributed.proto.CloseSessionResponse;
import org.nabla.distributed.proto.CreateSessionRequest;
import org.nabla.distributed.proto.CreateSessionResponse;
import org.nabla.distributed.proto.ExtendSessionRequest;
import org.nabla.distributed.proto.ExtendSessionResponse;
import org.nabla.distributed.proto.ListDevicesRequest;
import org.nabla.distributed.proto.ListDevicesResponse;
import org.nabla.distributed.proto.MasterServiceGrpc;
import org.nabla.distributed.proto.RunStepRequest;
import org.nabla.distributed.proto.RunStepResponse;

/**
 * A master in another process (a server's MasterService at {@code grpc://host:port}), called with deadlines: a step
 * gets the step timeout, creating a session (which contacts every task) twice the RPC timeout, the rest the RPC
 * timeout. The master's errors come back with its message; a master that cannot be reached says so with its address.
 */
public final class RemoteMaster implements MasterCalls {
    private final String address;
    private final ManagedChannel channel;
    private final DistributedOptions options;

    public RemoteMaster(String address, DistributedOptions options) {
        ClusterSpec.checkAddress(address, "master address");
        this.address = address;
        this.options = options;
        this.channel = Channels.open(address, options);
    }

    private MasterServiceGrpc.MasterServiceBlockingStub stub(long millis) {
        return MasterServiceGrpc.newBlockingStub(channel).withDeadlineAfter(millis, TimeUnit.MILLISECONDS);
    }

    private <Q, R> R call(String name, long millis, Q request, Function<Q, R> body) {
        try {
            return body.apply(request);
        } catch (StatusRuntimeException e) {
            Status s = e.getStatus();
            String d = s.getDescription();
            switch (s.getCode()) {
                case INVALID_ARGUMENT -> throw new IllegalArgumentException(d, e);
                case ABORTED, FAILED_PRECONDITION, INTERNAL -> throw new DistributedException(d != null ? d
                        : Rpc.message(e), e);
                case UNAVAILABLE -> throw new DistributedException("the master at " + address + " is unreachable ("
                        + name + "): " + Rpc.message(e), e);
                case DEADLINE_EXCEEDED -> throw new DistributedException("the master at " + address + " did not "
                        + "answer " + name + " within " + millis + " ms", e);
                default -> throw new DistributedException(name + " on the master at " + address + " failed: "
                        + Rpc.message(e), e);
            }
        }
    }

    private long rpc() { return options.rpcTimeout().toMillis(); }

    @Override
    public CreateSessionResponse createSession(CreateSessionRequest r) {
        return call("CreateSession", 2 * rpc(), r, q -> stub(2 * rpc()).createSession(q));
    }

    @Override
    public ExtendSessionResponse extendSession(ExtendSessionRequest r) {
        return call("ExtendSession", rpc(), r, q -> stub(rpc()).extendSession(q));
    }

    @Override
    public RunStepResponse runStep(RunStepRequest r) {
        long ms = options.stepTimeout().toMillis();
        return call("RunStep", ms, r, q -> stub(ms).runStep(q));
    }

    @Override
    public CloseSessionResponse closeSession(CloseSessionRequest r) {
        return call("CloseSession", rpc(), r, q -> stub(rpc()).closeSession(q));
    }

    @Override
    public ListDevicesResponse listDevices(ListDevicesRequest r) {
        return call("ListDevices", 2 * rpc(), r, q -> stub(2 * rpc()).listDevices(q));
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
