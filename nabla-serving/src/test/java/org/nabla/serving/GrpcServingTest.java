package org.nabla.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.serving.tfproto.ClassificationRequest;
import org.nabla.serving.tfproto.Classifications;
import org.nabla.serving.tfproto.DataType;
import org.nabla.serving.tfproto.Example;
import org.nabla.serving.tfproto.ExampleList;
import org.nabla.serving.tfproto.ExampleListWithContext;
import org.nabla.serving.tfproto.Feature;
import org.nabla.serving.tfproto.Features;
import org.nabla.serving.tfproto.FloatList;
import org.nabla.serving.tfproto.GetModelMetadataRequest;
import org.nabla.serving.tfproto.GetModelStatusRequest;
import org.nabla.serving.tfproto.GetModelStatusResponse;
import org.nabla.serving.tfproto.Input;
import org.nabla.serving.tfproto.ModelServiceGrpc;
import org.nabla.serving.tfproto.ModelSpec;
import org.nabla.serving.tfproto.ModelVersionStatus;
import org.nabla.serving.tfproto.PredictResponse;
import org.nabla.serving.tfproto.PredictionServiceGrpc;
import org.nabla.serving.tfproto.RegressionRequest;
import org.nabla.serving.tfproto.SignatureDef;
import org.nabla.serving.tfproto.SignatureDefMap;
import org.nabla.serving.tfproto.TensorProto;

/**
 * TensorFlow Serving's gRPC API, called through stubs generated from the same .proto files as a TensorFlow Serving
 * client's: Predict (typed fields and tensor_content, output filters), versions by number and by label (and the REST
 * /labels/ path), Classify, Regress, GetModelMetadata, GetModelStatus, every refusal's status code and message, and
 * concurrent calls answered with their own rows.
 */
class GrpcServingTest {
    @TempDir static Path tmp;
    private static ModelServer server;
    private static ManagedChannel channel;
    private static PredictionServiceGrpc.PredictionServiceBlockingStub predict;
    private static ModelServiceGrpc.ModelServiceBlockingStub models;

    @BeforeAll
    static void start() throws Exception {
        TestModels.linear(tmp.resolve("linear"));
        TestModels.twoByTwo(tmp.resolve("two"));
        TestModels.regression(tmp.resolve("reg"));
        TestModels.linear(tmp.resolve("versioned/1"), 1);
        TestModels.linear(tmp.resolve("versioned/2"), 10);
        Path config = tmp.resolve("models.config");
        Files.writeString(config, """
                model_config_list {
                  config { name: 'linear' base_path: 'linear' }
                  config { name: 'two' base_path: 'two' }
                  config { name: 'reg' base_path: 'reg' }
                  config {
                    name: 'versioned' base_path: 'versioned'
                    model_version_policy { all { } }
                    version_labels { key: 'stable' value: 1 }
                    version_labels { key: 'canary' value: 2 }
                  }
                }
                """);
        server = ModelServer.start(ModelConfigFile.read(config), ServingOptions.defaults().withPort(0).withGrpcPort(0)
                .withPollInterval(java.time.Duration.ZERO));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        predict = PredictionServiceGrpc.newBlockingStub(channel);
        models = ModelServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) channel.shutdownNow().awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        if (server != null) server.close();
    }

    private static ModelSpec spec(String name) { return ModelSpec.newBuilder().setName(name).build(); }

    private static TensorProto floats(int rows, int cols, float... v) {
        TensorProto.Builder b = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorProtos.shape(new int[] {rows, cols}));
        for (float x : v) b.addFloatVal(x);
        return b.build();
    }

    private static org.nabla.serving.tfproto.PredictRequest request(ModelSpec spec, TensorProto x) {
        return org.nabla.serving.tfproto.PredictRequest.newBuilder().setModelSpec(spec).putInputs("x", x).build();
    }

    private static void assertLinear(PredictResponse r, double scale, float[]... rows) {
        TensorProto y = r.getOutputsOrThrow("y");
        assertEquals(DataType.DT_FLOAT, y.getDtype());
        assertEquals(List.of((long) rows.length, 3L), y.getTensorShape().getDimList().stream()
                .map(TensorProtoDim::size).toList());
        for (int i = 0; i < rows.length; i++) {
            double[] x = new double[4];
            for (int k = 0; k < 4; k++) x[k] = rows[i][k];
            double[] ref = TestModels.linearRef(x);
            for (int j = 0; j < 3; j++) assertEquals(scale * ref[j], y.getFloatVal(i * 3 + j), 1e-4);
        }
    }

    /** Reads a dim's size (a method reference keeps the stream above short). */
    private static final class TensorProtoDim {
        static long size(org.nabla.serving.tfproto.TensorShapeProto.Dim d) { return d.getSize(); }
    }

    @Test
    void predictReadsTypedValuesAndTensorContentAndAnswersTheVersion() {
        float[] a = {1, 2, 3, 4};
        float[] b = {0.5f, -1, 0, 2};
        PredictResponse r = predict.predict(request(spec("linear"), floats(2, 4, 1, 2, 3, 4, 0.5f, -1, 0, 2)));
        assertLinear(r, 1, a, b);
        assertEquals("linear", r.getModelSpec().getName());
        assertEquals(1, r.getModelSpec().getVersion().getValue());
        assertEquals("serving_default", r.getModelSpec().getSignatureName());

        ByteBuffer content = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : a) content.putFloat(x);
        for (float x : b) content.putFloat(x);
        TensorProto packed = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorProtos.shape(new int[] {2, 4})).setTensorContent(ByteString.copyFrom(
                        content.array())).build();
        assertLinear(predict.predict(request(spec("linear"), packed)), 1, a, b);
        // TensorFlow's rule: fewer values than elements repeat the last one.
        assertLinear(predict.predict(request(spec("linear"), floats(1, 4, 2))), 1, new float[] {2, 2, 2, 2});
    }

    @Test
    void severalInputsAndAnOutputFilter() {
        var req = org.nabla.serving.tfproto.PredictRequest.newBuilder().setModelSpec(spec("two"))
                .putInputs("a", floats(1, 2, 1, 2)).putInputs("b", floats(1, 2, 3, 4)).build();
        PredictResponse all = predict.predict(req);
        assertEquals(List.of(4f, 6f), all.getOutputsOrThrow("sum").getFloatValList());
        assertEquals(List.of(3f, 8f), all.getOutputsOrThrow("prod").getFloatValList());
        PredictResponse only = predict.predict(req.toBuilder().addOutputFilter("prod").build());
        assertEquals(List.of("prod"), List.copyOf(only.getOutputsMap().keySet()));
        assertRefused(Status.Code.INVALID_ARGUMENT, "output_filter names 'diff'",
                () -> predict.predict(req.toBuilder().addOutputFilter("diff").build()));
    }

    @Test
    void versionsByNumberAndByLabelOverGrpcAndRest() throws Exception {
        float[] x = {1, 0, 0, 1};
        TensorProto in = floats(1, 4, x);
        assertLinear(predict.predict(request(spec("versioned"), in)), 10, x);
        assertLinear(predict.predict(request(spec("versioned").toBuilder().setVersion(Int64Value.of(1)).build(), in)),
                1, x);
        PredictResponse stable = predict.predict(request(spec("versioned").toBuilder().setVersionLabel("stable")
                .build(), in));
        assertLinear(stable, 1, x);
        assertEquals(1, stable.getModelSpec().getVersion().getValue());
        assertLinear(predict.predict(request(spec("versioned").toBuilder().setVersionLabel("canary").build(), in)),
                10, x);
        assertRefused(Status.Code.INVALID_ARGUMENT, "Unrecognized servable version label: beta",
                () -> predict.predict(request(spec("versioned").toBuilder().setVersionLabel("beta").build(), in)));
        assertRefused(Status.Code.NOT_FOUND, "Specific(versioned, 7)",
                () -> predict.predict(request(spec("versioned").toBuilder().setVersion(Int64Value.of(7)).build(), in)));

        Http.Answer rest = Http.post(server.port(), "/v1/models/versioned/labels/stable:predict",
                "{\"instances\": [[1, 0, 0, 1]]}");
        assertEquals(200, rest.status(), rest.body());
        double[] ref = TestModels.linearRef(new double[] {1, 0, 0, 1});
        assertEquals(ref[0], ((Number) ((List<?>) ((List<?>) rest.json().get("predictions")).get(0)).get(0))
                .doubleValue(), 1e-4);
        Http.Answer status = Http.get(server.port(), "/v1/models/versioned/labels/canary");
        assertEquals(200, status.status(), status.body());
        assertTrue(status.body().contains("\"version\": \"2\""), status.body());
        Http.Answer unknown = Http.get(server.port(), "/v1/models/versioned/labels/beta/metadata");
        assertEquals(400, unknown.status(), unknown.body());
        assertTrue(unknown.body().contains("Unrecognized servable version label: beta"), unknown.body());
    }

    @Test
    void classifyAndRegressReadTfExamples() {
        Example e1 = example("x", 1, 2, 3, 4);
        Example e2 = example("x", 0, 0, 0, 1);
        Classifications[] got = predict.classify(ClassificationRequest.newBuilder().setModelSpec(spec("linear"))
                .setInput(Input.newBuilder().setExampleList(ExampleList.newBuilder().addExamples(e1).addExamples(e2)))
                .build()).getResult().getClassificationsList().toArray(Classifications[]::new);
        assertEquals(2, got.length);
        for (int r = 0; r < 2; r++) {
            double[] ref = TestModels.linearRef(r == 0 ? new double[] {1, 2, 3, 4} : new double[] {0, 0, 0, 1});
            for (int k = 0; k < 3; k++) {
                assertEquals(Integer.toString(k), got[r].getClasses(k).getLabel());
                assertEquals(ref[k], got[r].getClasses(k).getScore(), 1e-4);
            }
        }
        var regress = predict.regress(RegressionRequest.newBuilder().setModelSpec(spec("reg"))
                .setInput(Input.newBuilder().setExampleListWithContext(ExampleListWithContext.newBuilder()
                        .setContext(example("x", 1, 1, 1, 1)).addExamples(example("x", 1, 0, 0, 0))
                        .addExamples(Example.getDefaultInstance())))
                .build());
        assertEquals(List.of(1f, 10f), regress.getResult().getRegressionsList().stream()
                .map(org.nabla.serving.tfproto.Regression::getValue).toList());
        assertRefused(Status.Code.INVALID_ARGUMENT, "lacks feature 'x'", () -> predict.regress(RegressionRequest
                .newBuilder().setModelSpec(spec("reg")).setInput(Input.newBuilder().setExampleList(ExampleList
                        .newBuilder().addExamples(example("y", 1)))).build()));
        assertRefused(Status.Code.INVALID_ARGUMENT, "Input is empty", () -> predict.classify(ClassificationRequest
                .newBuilder().setModelSpec(spec("linear")).build()));
    }

    private static Example example(String name, float... values) {
        FloatList.Builder f = FloatList.newBuilder();
        for (float v : values) f.addValue(v);
        return Example.newBuilder().setFeatures(Features.newBuilder().putFeature(name, Feature.newBuilder()
                .setFloatList(f).build())).build();
    }

    @Test
    void metadataAndStatus() throws Exception {
        var meta = predict.getModelMetadata(GetModelMetadataRequest.newBuilder().setModelSpec(spec("two"))
                .addMetadataField("signature_def").build());
        assertEquals("type.googleapis.com/tensorflow.serving.SignatureDefMap",
                meta.getMetadataOrThrow("signature_def").getTypeUrl());
        SignatureDef sig = meta.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class)
                .getSignatureDefOrThrow("serving_default");
        assertEquals(List.of("a", "b"), List.copyOf(sig.getInputsMap().keySet()));
        assertEquals(DataType.DT_FLOAT, sig.getInputsOrThrow("a").getDtype());
        assertEquals(List.of(-1L, 2L), sig.getInputsOrThrow("a").getTensorShape().getDimList().stream()
                .map(TensorProtoDim::size).toList());
        assertEquals("tensorflow/serving/predict", sig.getMethodName());
        assertRefused(Status.Code.INVALID_ARGUMENT, "at least one metadata_field",
                () -> predict.getModelMetadata(GetModelMetadataRequest.newBuilder().setModelSpec(spec("two")).build()));

        GetModelStatusResponse all = models.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(spec("versioned")).build());
        assertEquals(List.of(1L, 2L), all.getModelVersionStatusList().stream().map(ModelVersionStatus::getVersion)
                .toList());
        for (ModelVersionStatus s : all.getModelVersionStatusList()) {
            assertEquals(ModelVersionStatus.State.AVAILABLE, s.getState());
            assertEquals(org.nabla.serving.tfproto.Code.OK, s.getStatus().getErrorCode());
        }
        GetModelStatusResponse stable = models.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(spec("versioned").toBuilder().setVersionLabel("stable")).build());
        assertEquals(1, stable.getModelVersionStatus(0).getVersion());
        assertRefused(Status.Code.NOT_FOUND, "this server serves [linear, two, reg, versioned]",
                () -> models.getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec("nope")).build()));
    }

    @Test
    void mistakesAreStatusCodesWithClearMessages() {
        TensorProto ok = floats(1, 4, 1, 2, 3, 4);
        assertRefused(Status.Code.NOT_FOUND, "Servable not found for request: Latest(nope)",
                () -> predict.predict(request(spec("nope"), ok)));
        assertRefused(Status.Code.INVALID_ARGUMENT, "model_spec.name is empty",
                () -> predict.predict(request(ModelSpec.getDefaultInstance(), ok)));
        assertRefused(Status.Code.INVALID_ARGUMENT, "Serving signature key \"other\" not found",
                () -> predict.predict(request(spec("linear").toBuilder().setSignatureName("other").build(), ok)));
        assertRefused(Status.Code.INVALID_ARGUMENT, "input 'x' expects DT_FLOAT, got DT_DOUBLE",
                () -> predict.predict(request(spec("linear"), ok.toBuilder().setDtype(DataType.DT_DOUBLE).build())));
        assertRefused(Status.Code.INVALID_ARGUMENT, "input 'x' expects shape (None, 4) (None: any size), got [1, 3]",
                () -> predict.predict(request(spec("linear"), floats(1, 3, 1, 2, 3))));
        assertRefused(Status.Code.INVALID_ARGUMENT, "holds 5 values for 4 elements",
                () -> predict.predict(request(spec("linear"), floats(1, 4, 1, 2, 3, 4, 5))));
        assertRefused(Status.Code.INVALID_ARGUMENT, "tensor_content has 3 bytes",
                () -> predict.predict(request(spec("linear"), TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                        .setTensorShape(TensorProtos.shape(new int[] {1, 4})).setTensorContent(ByteString.copyFrom(
                                new byte[3])).build())));
        assertRefused(Status.Code.INVALID_ARGUMENT, "the request lacks input 'x'",
                () -> predict.predict(org.nabla.serving.tfproto.PredictRequest.newBuilder().setModelSpec(spec("linear"))
                        .build()));
        assertRefused(Status.Code.INVALID_ARGUMENT, "the model has no input 'z'",
                () -> predict.predict(request(spec("linear"), ok).toBuilder().putInputs("z", ok).build()));
        assertRefused(Status.Code.INVALID_ARGUMENT, "more than the limit of 64",
                () -> predict.predict(request(spec("linear"), floats(65, 4, 0))));
    }

    @Test
    void concurrentCallsAreBatchedAndEachGetsItsOwnRows() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int client = c;
                calls.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        float[] x = {client, i, client * i % 7, 1};
                        assertLinear(predict.predict(request(spec("linear"), floats(1, 4, x))), 1, x);
                    }
                    return null;
                }));
            }
            for (Future<?> f : calls) f.get();
        }
        assertTrue(server.metrics().prometheusText().contains("endpoint=\"grpc_predict\",code=\"200\""),
                server.metrics().prometheusText());
    }

    @Test
    void aLabelMayNameAnUnloadedVersionOnlyWhenAllowed() throws Exception {
        ModelConfig c = new ModelConfig("m", tmp.resolve("versioned"), VersionPolicy.latest(), Map.of("old", 1L));
        ServingOptions o = ServingOptions.defaults().withPort(0).withPollInterval(java.time.Duration.ZERO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelServer.start(List.of(c), o).close());
        assertTrue(e.getMessage().contains("version label 'old' names version 1, which is not available (loaded: "
                + "[2])"), e.getMessage());
        try (ModelServer s = ModelServer.start(List.of(c), o.withLabelsForUnavailableVersions(true))) {
            Http.Answer a = Http.post(s.port(), "/v1/models/m/labels/old:predict", "{\"instances\": [[1, 0, 0, 1]]}");
            assertEquals(404, a.status(), a.body());
            assertTrue(a.body().contains("Specific(m, 1)"), a.body());
        }
    }

    private static void assertRefused(Status.Code code, String fragment, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), e.getMessage());
        assertTrue(e.getStatus().getDescription().contains(fragment), "expected '" + fragment + "' in: "
                + e.getStatus().getDescription());
    }
}
