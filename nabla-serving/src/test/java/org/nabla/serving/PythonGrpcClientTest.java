package org.nabla.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.io.Json;

/**
 * A Python client on grpcio (scripts/serving-grpc-client.py) calls the gRPC API as it would call TensorFlow Serving:
 * status, metadata, Predict with float_val and tensor_content, NOT_FOUND and INVALID_ARGUMENT; the predictions it
 * prints are checked here against a float64 reference. Skipped with a message when no Python with grpcio and
 * protobuf is found, or when the build wrote no descriptor set.
 */
class PythonGrpcClientTest {
    @TempDir Path tmp;

    @Test
    void grpcioClientReadsStatusMetadataAndPredictions() throws Exception {
        String python = PythonClientTest.pythonWith("grpc, google.protobuf");
        Path script = PythonClientTest.script("serving-grpc-client.py");
        Path protoset = Path.of("target/generated-resources/protobuf/descriptor-sets/tensorflow-serving.protoset")
                .toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(protoset), "no descriptor set at " + protoset);
        try (ServedModel model = ServedModel.open("linear", TestModels.linear(tmp.resolve("linear")));
             ModelServer server = ModelServer.start(model, ServingOptions.defaults().withPort(0).withGrpcPort(0))) {
            Process p = new ProcessBuilder(python, script.toString(), "127.0.0.1:" + server.grpcPort(), "linear",
                    protoset.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serving-grpc-client.py did not finish:\n" + out);
            assertEquals(0, p.exitValue(), "serving-grpc-client.py failed:\n" + out);
            assertTrue(out.contains("predict: float_val and tensor_content agree, output y [2, 3], version 1"), out);
            assertTrue(out.contains("refused: NOT_FOUND: Servable not found"), out);
            assertTrue(out.contains("refused: INVALID_ARGUMENT: input 'x' expects DT_FLOAT, got DT_DOUBLE"), out);
            String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
            Map<?, ?> json = (Map<?, ?>) Json.parse(last);
            List<?> inputs = (List<?>) json.get("inputs");
            List<?> outputs = (List<?>) json.get("outputs");
            assertEquals(2, outputs.size());
            for (int r = 0; r < 2; r++) {
                double[] x = ((List<?>) inputs.get(r)).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
                double[] ref = TestModels.linearRef(x);
                List<?> y = (List<?>) outputs.get(r);
                for (int j = 0; j < 3; j++) assertEquals(ref[j], ((Number) y.get(j)).doubleValue(), 1e-4);
            }
        }
    }
}
