package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.ReferenceModels;
import org.nabla.nn.Sequential;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.TensorShapeProto;
import org.nabla.ops.TensorSpec;

/**
 * The CLI's reference models (random weights), saved as the CLI saves them, exported to ONNX: ONNX Runtime computes
 * what the saved model predicts, for a batch size never used before, and importing the export back gives the same.
 */
class SavedModelExportTest {
    @TempDir
    Path tmp;

    /** Saves a reference model the way nabla train does (image [N, 28, 28] -> logits, probabilities). */
    static Path save(String name, Path dir) throws IOException {
        Sequential m = ReferenceModels.byName(name, 7);
        Map<String, Variable> weights = new LinkedHashMap<>();
        // keys differ from the variables' graph names on purpose: the export must go by the names the graph reads
        for (Variable v : m.weights()) weights.put("weight" + weights.size(), v);
        SavedModel.save(dir, in -> {
            Tensor logits = m.call(Ops.reshape(in[0], -1, 28, 28, 1));
            return new Tensor[] {logits, Ops.softmax(logits)};
        }, List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 28, 28))), List.of("image"),
                List.of("logits", "probabilities"), weights);
        return dir;
    }

    static Tensor images(int n, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * 28 * 28];
        for (int i = 0; i < px.length; i++) px[i] = r.nextFloat();
        return Tensor.wrap(DType.FLOAT32, Shape.of(n, 28, 28), px);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void onnxRuntimeComputesWhatTheSavedModelPredicts(String name) throws Exception {
        Path dir = save(name, tmp.resolve(name));
        Path file = tmp.resolve(name + ".onnx");
        try (SavedModel saved = SavedModel.load(dir)) {
            OnnxExporter.export(saved, file);
            Tensor x = images(5, 11); // batch 5: the model was traced with a dynamic batch and trains with 32/128
            Tensor[] expected = saved.predict(x);
            Tensor[] actual = Ort.run(file, x);
            assertEquals(2, actual.length);
            double logits = Ort.assertClose(name + " logits", expected[0], actual[0], 1e-5, 1e-6);
            double probs = Ort.assertClose(name + " probabilities", expected[1], actual[1], 1e-5, 1e-6);
            System.out.printf("%s vs ONNX Runtime: max absolute error logits %.3g, probabilities %.3g%n", name, logits,
                    probs);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void importingTheExportGivesTheSameOutputs(String name) throws Exception {
        Path dir = save(name, tmp.resolve(name));
        Path file = tmp.resolve(name + ".onnx");
        try (SavedModel saved = SavedModel.load(dir)) {
            OnnxExporter.export(saved, file);
            Tensor x = images(3, 12);
            Tensor[] expected = saved.predict(x);
            try (OnnxModel imported = OnnxImporter.load(file)) {
                assertEquals("[image: float32(None, 28, 28)]", imported.inputs().toString());
                Tensor[] actual = imported.run(x);
                double worst = Math.max(Ort.assertClose(name + " logits", expected[0], actual[0], 1e-6, 1e-7),
                        Ort.assertClose(name + " probabilities", expected[1], actual[1], 1e-6, 1e-7));
                System.out.printf("%s round trip through ONNX: max absolute error %.3g%n", name, worst);
            }
        }
    }

    @Test
    void theModelDeclaresOpsetProducerInitializersAndADynamicBatch() throws Exception {
        Path dir = save("cnn", tmp.resolve("cnn"));
        try (SavedModel saved = SavedModel.load(dir)) {
            ModelProto m = OnnxExporter.export(saved);
            assertEquals(8, m.getIrVersion());
            assertEquals("nabla", m.getProducerName());
            assertEquals(1, m.getOpsetImportCount());
            assertEquals(17, m.getOpsetImport(0).getVersion());
            assertEquals("", m.getOpsetImport(0).getDomain());
            assertEquals("cnn", m.getGraph().getName());
            assertEquals(List.of("image"), m.getGraph().getInputList().stream().map(v -> v.getName()).toList());
            assertEquals(List.of("logits", "probabilities"), m.getGraph().getOutputList().stream()
                    .map(v -> v.getName()).toList());
            List<TensorShapeProto.Dimension> in = m.getGraph().getInput(0).getType().getTensorType().getShape()
                    .getDimList();
            assertEquals("N", in.get(0).getDimParam());
            assertEquals(28, in.get(1).getDimValue());
            assertEquals(10, m.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
            // NHWC becomes NCHW once before the first convolution and back once after the last pool
            assertEquals(List.of("Reshape", "Transpose", "Conv", "Add", "Relu", "MaxPool", "Conv", "Add", "Relu",
                    "MaxPool", "Transpose", "Reshape", "MatMul", "Add", "Softmax"), m.getGraph().getNodeList().stream()
                    .map(n -> n.getOpType()).toList());
            // every variable is an initializer once (the conv filters already in OIHW layout)
            assertEquals(6, m.getGraph().getInitializerCount() - (int) m.getGraph().getInitializerList().stream()
                    .filter(t -> t.getDataType() == 7).count());
            assertTrue(m.getGraph().getInitializerList().stream().anyMatch(t -> t.getName().matches(
                    "conv2d/kernel_\\d+/oihw") && t.getDimsList().equals(List.of(32L, 1L, 3L, 3L))),
                    m.getGraph().getInitializerList().stream().map(t -> t.getName() + t.getDimsList()).toList()
                            .toString());
        }
    }

    @Test
    void exportWritesTheFileAtomicallyAndReadsBack() throws Exception {
        Path dir = save("mlp", tmp.resolve("mlp"));
        Path file = tmp.resolve("out").resolve("mlp.onnx");
        Files.createDirectories(file.getParent());
        try (SavedModel saved = SavedModel.load(dir)) {
            OnnxExporter.export(saved, file);
            assertEquals(OnnxExporter.export(saved), OnnxFiles.readModel(file));
            try (var files = Files.list(file.getParent())) {
                assertEquals(List.of(file), files.toList()); // no temporary file left behind
            }
        }
    }
}
