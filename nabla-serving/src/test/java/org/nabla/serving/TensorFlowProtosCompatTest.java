package org.nabla.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The .proto files against TensorFlow's own definitions: scripts/check-tf-protos.py compares every field of
 * TensorProto, TensorShapeProto, TensorInfo, SignatureDef and every DataType value with TensorBoard's copies of
 * TensorFlow's files (number, type, repetition). Skipped with a message without a Python that has TensorBoard.
 */
class TensorFlowProtosCompatTest {
    @Test
    void tensorMessagesMatchTensorFlowsFieldNumbers() throws Exception {
        String python = PythonClientTest.pythonWith("tensorboard.compat.proto.tensor_pb2");
        Path protoset = Path.of("target/generated-resources/protobuf/descriptor-sets/tensorflow-serving.protoset")
                .toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(protoset), "no descriptor set at " + protoset);
        Process p = new ProcessBuilder(python, PythonClientTest.script("check-tf-protos.py").toString(),
                protoset.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "check-tf-protos.py did not finish:\n" + out);
        assertEquals(0, p.exitValue(), "check-tf-protos.py found differences:\n" + out);
        assertTrue(out.contains("tensorflow.TensorProto: 15 fields match"), out);
        assertTrue(out.contains("tensorflow.DataType: 17 values match"), out);
    }
}
