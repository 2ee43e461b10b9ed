package org.nabla.distributed.master;

import org.nabla.distributed.proto.CloseSessionRequest;
import org.nabla.distributed.proto.CloseSessionResponse;
import org.nabla.distributed.proto.CreateSessionRequest;
import org.nabla.distributed.proto.CreateSessionResponse;
import org.nabla.distributed.proto.ExtendSessionRequest;
import org.nabla.distributed.proto.ExtendSessionResponse;
import org.nabla.distributed.proto.ListDevicesRequest;
import org.nabla.distributed.proto.ListDevicesResponse;
import org.nabla.distributed.proto.RunStepRequest;
import org.nabla.distributed.proto.RunStepResponse;

/**
 * The master's interface as a client calls it (TensorFlow's MasterInterface): implemented by the in-process
 * {@link Master} and by a gRPC stub to a remote one, so a {@link org.nabla.distributed.DistributedSession} runs the
 * same code either way. Failures are {@link org.nabla.distributed.DistributedException}s or
 * {@link IllegalArgumentException}s with the master's message.
 */
public interface MasterCalls extends AutoCloseable {
    CreateSessionResponse createSession(CreateSessionRequest request);

    ExtendSessionResponse extendSession(ExtendSessionRequest request);

    RunStepResponse runStep(RunStepRequest request);

    CloseSessionResponse closeSession(CloseSessionRequest request);

    ListDevicesResponse listDevices(ListDevicesRequest request);

    /** Releases what the client holds for the master (a channel); the master's sessions are closed separately. */
    @Override
    void close();
}
