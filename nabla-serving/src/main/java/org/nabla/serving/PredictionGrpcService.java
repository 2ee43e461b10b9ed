package org.nabla.serving;

import com.google.protobuf.Any;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.nabla.serving.tfproto.ClassificationRequest;
import org.nabla.serving.tfproto.ClassificationResponse;
import org.nabla.serving.tfproto.GetModelMetadataRequest;
import org.nabla.serving.tfproto.GetModelMetadataResponse;
import org.nabla.serving.tfproto.PredictResponse;
import org.nabla.serving.tfproto.PredictionServiceGrpc;
import org.nabla.serving.tfproto.RegressionRequest;
import org.nabla.serving.tfproto.RegressionResponse;
import org.nabla.serving.tfproto.SignatureDef;
import org.nabla.serving.tfproto.SignatureDefMap;
import org.nabla.serving.tfproto.TensorInfo;

/**
 * TensorFlow Serving's PredictionService: Predict (named TensorProtos in and out), Classify and Regress (tf.Examples),
 * GetModelMetadata (the signature). Each call takes the REST API's path: the same version choice, batching and
 * metrics (endpoints {@code grpc_predict}, {@code grpc_classify}, {@code grpc_regress}, {@code grpc_metadata}).
 */
final class PredictionGrpcService extends PredictionServiceGrpc.PredictionServiceImplBase {
    private final ModelRegistry registry;

    PredictionGrpcService(ModelRegistry registry) { this.registry = registry; }

    @Override
    public void predict(org.nabla.serving.tfproto.PredictRequest request, StreamObserver<PredictResponse> out) {
        GrpcCalls.answer(registry.metrics, "grpc_predict", out, () -> {
            ServedVersion v = ModelSpecs.acquire(registry, request.getModelSpec());
            try {
                List<Integer> wanted = outputs(v.model, request.getOutputFilterList());
                Rows in = TensorProtos.rows(request.getInputsMap(), v.model.inputs(), registry.options.maxBatchSize());
                Rows answer = registry.run(v, in);
                PredictResponse.Builder b = PredictResponse.newBuilder().setModelSpec(ModelSpecs.answered(v));
                for (int t : wanted) {
                    ServedModel.Port port = v.model.outputs().get(t);
                    b.putOutputs(port.name(), TensorProtos.of(answer, t, port.spec().dtype()));
                }
                return b.build();
            } finally {
                v.release();
            }
        });
    }

    @Override
    public void classify(ClassificationRequest request, StreamObserver<ClassificationResponse> out) {
        GrpcCalls.answer(registry.metrics, "grpc_classify", out, () -> {
            ServedVersion v = ModelSpecs.acquire(registry, request.getModelSpec());
            try {
                int scores = ExampleRequests.scoresOutput(v.model);
                Rows in = GrpcExamples.rows(request.getInput(), v.model.inputs(), registry.options.maxBatchSize());
                return ClassificationResponse.newBuilder().setModelSpec(ModelSpecs.answered(v))
                        .setResult(GrpcExamples.classification(registry.run(v, in), v.model, scores)).build();
            } finally {
                v.release();
            }
        });
    }

    @Override
    public void regress(RegressionRequest request, StreamObserver<RegressionResponse> out) {
        GrpcCalls.answer(registry.metrics, "grpc_regress", out, () -> {
            ServedVersion v = ModelSpecs.acquire(registry, request.getModelSpec());
            try {
                int t = ExampleRequests.regressionOutput(v.model);
                Rows in = GrpcExamples.rows(request.getInput(), v.model.inputs(), registry.options.maxBatchSize());
                return RegressionResponse.newBuilder().setModelSpec(ModelSpecs.answered(v))
                        .setResult(GrpcExamples.regression(registry.run(v, in), t)).build();
            } finally {
                v.release();
            }
        });
    }

    @Override
    public void getModelMetadata(GetModelMetadataRequest request, StreamObserver<GetModelMetadataResponse> out) {
        GrpcCalls.answer(registry.metrics, "grpc_metadata", out, () -> {
            if (request.getMetadataFieldCount() == 0) throw ServingException.badRequest("GetModelMetadataRequest "
                    + "must specify at least one metadata_field (\"signature_def\")");
            for (String f : request.getMetadataFieldList()) {
                if (!f.equals("signature_def")) throw ServingException.badRequest("Metadata field " + f + " is not "
                        + "supported (\"signature_def\" is)");
            }
            ServedVersion v = ModelSpecs.acquire(registry, request.getModelSpec());
            try {
                SignatureDef sig = SignatureDef.newBuilder().putAllInputs(infos(v.model.inputs()))
                        .putAllOutputs(infos(v.model.outputs())).setMethodName("tensorflow/serving/predict").build();
                SignatureDefMap map = SignatureDefMap.newBuilder().putSignatureDef(ModelSpecs.DEFAULT_SIGNATURE, sig)
                        .build();
                return GetModelMetadataResponse.newBuilder()
                        .setModelSpec(ModelSpecs.answered(v).toBuilder().clearSignatureName())
                        .putMetadata("signature_def", Any.pack(map)).build();
            } finally {
                v.release();
            }
        });
    }

    /** The outputs a filter names (all of them for an empty filter), in signature order; 400 for an unknown name. */
    private static List<Integer> outputs(ServedModel model, List<String> filter) {
        List<Integer> out = new ArrayList<>();
        List<String> names = model.outputs().stream().map(ServedModel.Port::name).toList();
        for (String f : new LinkedHashSet<>(filter)) {
            if (!names.contains(f)) throw ServingException.badRequest("output_filter names '" + f + "', which is "
                    + "not an output of the model; its outputs are " + names);
        }
        for (int i = 0; i < names.size(); i++) if (filter.isEmpty() || filter.contains(names.get(i))) out.add(i);
        return out;
    }

    private static java.util.Map<String, TensorInfo> infos(List<ServedModel.Port> ports) {
        java.util.Map<String, TensorInfo> out = new java.util.LinkedHashMap<>();
        for (ServedModel.Port p : ports) {
            out.put(p.name(), TensorInfo.newBuilder().setName(p.name())
                    .setDtype(TensorProtos.dataType(p.spec().dtype()))
                    .setTensorShape(TensorProtos.shape(p.spec().shape().dims())).build());
        }
        return out;
    }
}
