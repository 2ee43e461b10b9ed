package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.cli.CommandsTest.assertFails;
import static org.nabla.cli.CommandsTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.OnnxFiles;
import org.nabla.onnx.OnnxImporter;
import org.nabla.onnx.OnnxModel;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.ops.TensorSpec;

/** {@code nabla export}: saved models (and run folders) to ONNX files that import back to the same predictions. */
class ExportCommandTest {
    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void saveModels() throws IOException {
        run = tmp.resolve("run"); // a training run's layout: the saved model in run/model
        CliSupport.saveModel(CliSupport.referenceModel("cnn", 5), run.resolve(CliSupport.MODEL_DIR));
    }

    @Test
    void exportsASavedModelThatImportsBackToTheSamePredictions() throws IOException {
        Path file = tmp.resolve("cnn.onnx");
        CommandsTest.Result r = run("export", "--model", run.resolve("model").toString(), "--onnx", file.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("exported " + run.resolve("model") + " to " + file + ": ONNX opset 17, "),
                r.out());
        assertTrue(r.out().contains("inputs [image: float32(None, 28, 28)], outputs [logits: float32(None, 10), "
                + "probabilities: float32(None, 10)]"), r.out());
        ModelProto m = OnnxFiles.readModel(file);
        assertEquals("nabla", m.getProducerName());
        Random rnd = new Random(1);
        float[] px = new float[2 * 784];
        for (int i = 0; i < px.length; i++) px[i] = rnd.nextFloat();
        Tensor x = Tensor.wrap(DType.FLOAT32, Shape.of(2, 28, 28), px);
        try (SavedModel saved = SavedModel.load(run.resolve("model")); OnnxModel imported = OnnxImporter.load(file)) {
            Tensor[] expected = saved.predict(x), actual = imported.run(x);
            for (int i = 0; i < 2; i++) {
                float[] e = expected[i].toFloatArray(), a = actual[i].toFloatArray();
                for (int k = 0; k < e.length; k++) assertEquals(e[k], a[k], 1e-6 + 1e-6 * Math.abs(e[k]));
            }
        }
    }

    @Test
    void aRunFolderExportsItsModel() throws IOException {
        Path file = tmp.resolve("from-run.onnx");
        CommandsTest.Result r = run("export", "--model", run.toString(), "--onnx", file.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void badArgumentsFailWithOneLine() throws IOException {
        assertFails(run("export", "--model", tmp.resolve("missing").toString(), "--onnx", tmp.resolve("x.onnx")
                .toString()), "export", "no such saved model directory");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertFails(run("export", "--model", empty.toString(), "--onnx", tmp.resolve("x.onnx").toString()), "export",
                "not a saved model directory");
        assertFails(run("export", "--model", run.toString(), "--onnx", tmp.resolve("no/such/dir/x.onnx").toString()),
                "export", "does not exist");
        assertFails(run("export", "--model", run.toString(), "--onnx", empty.toString()), "export",
                "is a directory");
        assertEquals(2, run("export", "--onnx", "x.onnx").code()); // picocli: missing required option
    }

    @Test
    void aModelWithAnOpThatDoesNotExportNamesIt() throws IOException {
        Path dir = tmp.resolve("log1p");
        SavedModel.save(dir, in -> new Tensor[] {Ops.log1p(Ops.relu(in[0]))}, List.of(TensorSpec.of(DType.FLOAT32,
                Shape.of(-1, 4))), List.of("x"), List.of("y"), Map.of());
        Path file = tmp.resolve("log1p.onnx");
        assertFails(run("export", "--model", dir.toString(), "--onnx", file.toString()), "export",
                "ONNX export: 1 op has no ONNX export rule: Log1p (node 'Log1p')");
        assertTrue(!Files.exists(file));
    }
}
