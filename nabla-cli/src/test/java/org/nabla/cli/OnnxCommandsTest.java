package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.cli.CommandsTest.assertFails;
import static org.nabla.cli.CommandsTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.data.io.Idx;
import org.nabla.onnx.OnnxFiles;
import org.nabla.onnx.OnnxTensors;
import org.nabla.onnx.proto.AttributeProto;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.NodeProto;
import org.nabla.onnx.proto.OperatorSetIdProto;
import org.nabla.onnx.proto.TensorShapeProto;
import org.nabla.onnx.proto.TypeProto;
import org.nabla.onnx.proto.ValueInfoProto;

/** nabla onnx-test, nabla import, and nabla predict/evaluate on an ONNX model (a linear classifier written here). */
class OnnxCommandsTest {
    @TempDir
    static Path tmp;
    static Path onnx;
    static Path images;
    static float[] weights;
    static float[] pixels;

    @BeforeAll
    static void writeModelAndImages() throws IOException {
        Random rnd = new Random(5);
        weights = new float[784 * 10];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) rnd.nextGaussian();
        onnx = tmp.resolve("linear.onnx");
        OnnxFiles.writeModel(onnx, linearClassifier(weights));
        byte[] px = new byte[4 * 784];
        rnd.nextBytes(px);
        images = tmp.resolve("four.idx");
        Idx.write(Tensor.wrap(DType.UINT8, Shape.of(4, 28, 28), px), images);
        pixels = new float[px.length];
        for (int i = 0; i < px.length; i++) pixels[i] = (px[i] & 0xff) / 255f;
    }

    /** logits = Flatten(image (N, 1, 28, 28)) W, the layout a PyTorch export has. */
    static ModelProto linearClassifier(float[] w) {
        TensorShapeProto.Builder in = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (int d : new int[] {1, 28, 28}) in.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        TensorShapeProto.Builder out = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(10));
        GraphProto g = GraphProto.newBuilder().setName("linear")
                .addInput(ValueInfoProto.newBuilder().setName("image").setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(in))))
                .addOutput(ValueInfoProto.newBuilder().setName("logits").setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(out))))
                .addInitializer(OnnxTensors.toProto(Tensor.wrap(DType.FLOAT32, Shape.of(784, 10), w.clone()), "W"))
                .addNode(NodeProto.newBuilder().setOpType("Flatten").addInput("image").addOutput("flat")
                        .addAttribute(AttributeProto.newBuilder().setName("axis").setI(1)
                                .setType(AttributeProto.AttributeType.INT)))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("flat").addInput("W").addOutput("logits"))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).build();
    }

    /** The class the test computes itself for image {@code i}. */
    static int expectedClass(int i) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 10; c++) {
            double s = 0;
            for (int k = 0; k < 784; k++) s += pixels[i * 784 + k] * (double) weights[k * 10 + c];
            if (s > bestScore) {
                bestScore = s;
                best = c;
            }
        }
        return best;
    }

    static void assertPredictions(CommandsTest.Result r) {
        assertEquals(0, r.code(), r.all());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        for (int i = 0; i < 4; i++) {
            Matcher m = Pattern.compile("\\[" + i + "\\]: (\\d) \\(").matcher(lines.get(i));
            assertTrue(m.find(), lines.get(i));
            assertEquals(expectedClass(i), Integer.parseInt(m.group(1)), lines.get(i));
        }
    }

    @Test
    void predictWithAnOnnxFile() {
        assertPredictions(run("predict", "--model", onnx.toString(), images.toString()));
    }

    @Test
    void importThenPredictFromTheSavedModel() {
        Path dir = tmp.resolve("imported");
        CommandsTest.Result r = run("import", onnx.toString(), "--out", dir.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("inputs:  [image: float32(None, 1, 28, 28)]"), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("saved_model.json")));
        assertPredictions(run("predict", "--model", dir.toString(), images.toString()));
    }

    @Test
    void onnxTestRunsCaseFolders() throws IOException {
        Path suite = tmp.resolve("suite");
        Path good = suite.resolve("test_linear");
        Files.createDirectories(good.resolve("test_data_set_0"));
        Files.copy(onnx, good.resolve("model.onnx"));
        float[] one = new float[784];
        System.arraycopy(pixels, 0, one, 0, 784);
        float[] logits = new float[10];
        for (int c = 0; c < 10; c++) {
            double s = 0;
            for (int k = 0; k < 784; k++) s += one[k] * (double) weights[k * 10 + c];
            logits[c] = (float) s;
        }
        Files.write(good.resolve("test_data_set_0/input_0.pb"), OnnxTensors.toProto(
                Tensor.wrap(DType.FLOAT32, Shape.of(1, 1, 28, 28), one), "image").toByteArray());
        Files.write(good.resolve("test_data_set_0/output_0.pb"), OnnxTensors.toProto(
                Tensor.wrap(DType.FLOAT32, Shape.of(1, 10), logits), "logits").toByteArray());
        Path wrong = suite.resolve("test_wrong");
        Files.createDirectories(wrong.resolve("test_data_set_0"));
        Files.copy(onnx, wrong.resolve("model.onnx"));
        Files.copy(good.resolve("test_data_set_0/input_0.pb"), wrong.resolve("test_data_set_0/input_0.pb"));
        logits[3] += 1;
        Files.write(wrong.resolve("test_data_set_0/output_0.pb"), OnnxTensors.toProto(
                Tensor.wrap(DType.FLOAT32, Shape.of(1, 10), logits), "logits").toByteArray());

        CommandsTest.Result r = run("onnx-test", suite.toString());
        assertEquals(1, r.code(), r.all());
        List<String> lines = r.out().lines().toList();
        assertEquals("pass test_linear", lines.get(0));
        assertTrue(lines.get(1).startsWith("fail test_wrong (test_data_set_0 output 0: largest error 1.0"),
                lines.get(1));
        assertEquals("1 passed, 1 failed, 0 skipped", lines.get(2));

        Files.delete(wrong.resolve("test_data_set_0/output_0.pb"));
        Files.delete(wrong.resolve("test_data_set_0/input_0.pb"));
        Files.delete(wrong.resolve("model.onnx"));
        r = run("onnx-test", suite.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().endsWith("1 passed, 0 failed, 0 skipped\n"), r.out());
    }

    @Test
    void importOfAModelNeedingConcreteSizesSuggestsInputShape() throws IOException {
        // Split into halves along a symbolic axis: sizes unknown until the input is.
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("n"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(2));
        ValueInfoProto.Builder v = ValueInfoProto.newBuilder().setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape)));
        GraphProto g = GraphProto.newBuilder().setName("split").addInput(v.clone().setName("x"))
                .addOutput(v.clone().setName("a")).addOutput(v.clone().setName("b"))
                .addNode(NodeProto.newBuilder().setOpType("Split").addInput("x").addOutput("a").addOutput("b"))
                .build();
        Path file = tmp.resolve("split.onnx");
        OnnxFiles.writeModel(file, ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).build());
        assertFails(run("import", file.toString(), "--out", tmp.resolve("split").toString()), "import",
                "fix them with --input-shape, e.g. --input-shape x=1,2");
        // summary gives import's answer (it once called every model with known operators importable)
        CommandsTest.Result summary = run("summary", "--model", file.toString());
        assertEquals(0, summary.code(), summary.all());
        assertTrue(summary.out().contains("importable: not as it is: ") && summary.out().contains(
                "--input-shape x=1,2"), summary.out());
        CommandsTest.Result r = run("import", file.toString(), "--out", tmp.resolve("split").toString(),
                "--input-shape", "x=4,2");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("inputs:  [x: float32(4, 2)]"), r.out());
    }

    @Test
    void summaryOfAnOnnxFile() {
        CommandsTest.Result r = run("summary", "--model", onnx.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("ONNX model: " + onnx), r.out());
        assertTrue(r.out().contains("IR version 8, opsets ai.onnx:17"), r.out());
        assertTrue(r.out().contains("input  image: float32(None, 1, 28, 28)"), r.out());
        assertTrue(r.out().contains("output logits: float32(None, 10)"), r.out());
        assertTrue(r.out().contains("2 nodes: Flatten MatMul"), r.out());
        assertTrue(r.out().contains("1 initializers, 7,840 values"), r.out());
        assertTrue(r.out().contains("importable: yes"), r.out());
    }

    @Test
    void graphOfAnOnnxFile() {
        CommandsTest.Result r = run("graph", "--model", onnx.toString(), "--dot", "-");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("digraph"), r.out());
        assertTrue(r.out().contains("MatMul"), r.out());
    }

    @Test
    void badOnnxInput() throws IOException {
        Path truncated = tmp.resolve("truncated.onnx");
        byte[] good = Files.readAllBytes(onnx);
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 100));
        assertFails(run("predict", "--model", truncated.toString(), images.toString()), "predict",
                "not a valid ONNX model (truncated or corrupt");
        assertFails(run("import", truncated.toString(), "--out", tmp.resolve("x").toString()), "import",
                "not a valid ONNX model");
        assertFalse(Files.exists(tmp.resolve("x")));
        assertFails(run("import", tmp.resolve("missing.onnx").toString(), "--out", tmp.resolve("y").toString()),
                "import", "missing.onnx: no such file");
        assertFails(run("onnx-test", tmp.resolve("nowhere").toString()), "onnx-test", "nowhere: no such folder");
        assertFails(run("import", onnx.toString(), "--out", tmp.resolve("z").toString(), "--input-shape",
                "image=a,b"), "import", "expected integers");
    }
}
