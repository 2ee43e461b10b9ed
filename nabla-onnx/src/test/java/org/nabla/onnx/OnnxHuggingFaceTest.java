package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.Tensor;
import org.nabla.io.Npy;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.TensorProto;

/**
 * Issue 14: Hugging Face {@code transformers} architectures (BertModel, ResNetModel, MobileNetV2Model in small
 * configurations with random weights) exported by PyTorch 2.13's TorchScript exporter and by its dynamo exporter, whose
 * weights sit in an external data file beside the model (scripts/make-hf-onnx-models.py), import and give PyTorch's
 * outputs within 1e-5 absolute (the outputs are of order 1), as ONNX Runtime's model tests compare.
 */
class OnnxHuggingFaceTest {
    private static Path resource(String name) throws Exception {
        return Path.of(OnnxHuggingFaceTest.class.getResource("/huggingface/" + name).toURI());
    }

    static Stream<Arguments> models() {
        List<String> bert = List.of("input_ids", "attention_mask"), image = List.of("pixel_values");
        List<String> outputs = List.of("last_hidden_state", "pooler_output");
        return Stream.of("ts", "dynamo").flatMap(exporter -> Stream.of(
                Arguments.of("bert", exporter, bert, outputs),
                Arguments.of("resnet", exporter, image, outputs),
                Arguments.of("mobilenet_v2", exporter, image, outputs)));
    }

    @ParameterizedTest(name = "{0} ({1} exporter)")
    @MethodSource("models")
    void importsAndMatchesPyTorch(String model, String exporter, List<String> inputs, List<String> outputs)
            throws Exception {
        Path file = resource(model + "_" + exporter + ".onnx");
        if (exporter.equals("dynamo")) {
            assertTrue(Files.exists(file.resolveSibling(file.getFileName() + ".data")), "the external data file");
            ModelProto raw = ModelProto.parseFrom(Files.readAllBytes(file));
            assertTrue(raw.getGraph().getInitializerList().stream()
                    .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL), "weights in external data");
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) feeds.put(inputs.get(i), Npy.read(resource(model + "_in" + i + ".npy")));
        try (OnnxModel m = OnnxImporter.load(file)) {
            Map<String, Tensor> got = m.run(feeds);
            for (int i = 0; i < outputs.size(); i++) {
                Tensor expected = Npy.read(resource(model + "_out" + i + ".npy"));
                Tensor actual = got.get(outputs.get(i));
                String what = model + " " + exporter + " " + outputs.get(i);
                assertEquals(expected.shape(), actual.shape(), what);
                float[] e = expected.toFloatArray(), a = actual.toFloatArray();
                double worst = 0;
                for (int j = 0; j < e.length; j++) worst = Math.max(worst, Math.abs(e[j] - a[j]));
                assertTrue(worst <= 1e-5, what + ": largest absolute difference " + worst);
            }
        }
    }
}
