package org.nabla.serving;

import io.grpc.stub.StreamObserver;
import org.nabla.serving.tfproto.Code;
import org.nabla.serving.tfproto.GetModelStatusRequest;
import org.nabla.serving.tfproto.GetModelStatusResponse;
import org.nabla.serving.tfproto.ModelServiceGrpc;
import org.nabla.serving.tfproto.ModelVersionStatus;
import org.nabla.serving.tfproto.StatusProto;

/**
 * TensorFlow Serving's ModelService: GetModelStatus answers every version seen (or the one a number or label names),
 * AVAILABLE, or END when unloaded (OK) or failed to load (UNKNOWN, with the error), as the REST status does.
 */
final class ModelStatusGrpcService extends ModelServiceGrpc.ModelServiceImplBase {
    private final ModelRegistry registry;

    ModelStatusGrpcService(ModelRegistry registry) { this.registry = registry; }

    @Override
    public void getModelStatus(GetModelStatusRequest request, StreamObserver<GetModelStatusResponse> out) {
        GrpcCalls.answer(registry.metrics, "grpc_status", out, () -> {
            var spec = request.getModelSpec();
            GetModelStatusResponse.Builder b = GetModelStatusResponse.newBuilder();
            for (ModelVersions.State s : registry.states(ModelSpecs.name(spec), ModelSpecs.version(spec),
                    ModelSpecs.label(spec))) {
                boolean failed = !s.available() && !s.error().startsWith("unloaded");
                b.addModelVersionStatus(ModelVersionStatus.newBuilder().setVersion(s.version())
                        .setState(s.available() ? ModelVersionStatus.State.AVAILABLE : ModelVersionStatus.State.END)
                        .setStatus(StatusProto.newBuilder().setErrorCode(failed ? Code.UNKNOWN : Code.OK)
                                .setErrorMessage(s.error())));
            }
            return b.build();
        });
    }
}
