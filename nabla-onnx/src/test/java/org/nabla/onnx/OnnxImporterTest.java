package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.onnx.OnnxBuilders.graph;
import static org.nabla.onnx.OnnxBuilders.init;
import static org.nabla.onnx.OnnxBuilders.intAttr;
import static org.nabla.onnx.OnnxBuilders.model;
import static org.nabla.onnx.OnnxBuilders.node;
import static org.nabla.onnx.OnnxBuilders.value;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.proto.FunctionProto;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.NodeProto;
import org.nabla.onnx.proto.OperatorSetIdProto;
import org.nabla.onnx.proto.TensorProto;

class OnnxImporterTest {
    @TempDir
    Path tmp;

    /** y = softmax(relu(x W + b)) with x (N, 3), W (3, 2). */
    static ModelProto denseModel() {
        var g = graph("dense").addInput(value("x", 1, -1, 3)).addOutput(value("y", 1, -1, 2))
                .addNode(node("Gemm", List.of("x", "W", "b"), List.of("h")))
                .addNode(node("Relu", List.of("h"), List.of("r")))
                .addNode(node("Softmax", List.of("r"), List.of("y"), intAttr("axis", -1)));
        init(g, "W", Tensors.of(new float[] {1, -1, 2, 0, -3, 1}, 3, 2));
        init(g, "b", Tensors.of(new float[] {0.5f, 0.25f}, 2));
        return model(g, 17);
    }

    static double[] denseReference(float[] x, int rows) {
        double[][] w = {{1, -1}, {2, 0}, {-3, 1}};
        double[] b = {0.5, 0.25};
        double[] out = new double[rows * 2];
        for (int r = 0; r < rows; r++) {
            double[] h = new double[2];
            for (int j = 0; j < 2; j++) {
                h[j] = b[j];
                for (int k = 0; k < 3; k++) h[j] += x[r * 3 + k] * w[k][j];
                h[j] = Math.max(0, h[j]);
            }
            double m = Math.max(h[0], h[1]), e0 = Math.exp(h[0] - m), e1 = Math.exp(h[1] - m);
            out[r * 2] = e0 / (e0 + e1);
            out[r * 2 + 1] = e1 / (e0 + e1);
        }
        return out;
    }

    @Test
    void importsAndRunsADenseModelForAnyBatchSize() throws IOException {
        Path file = tmp.resolve("dense.onnx");
        OnnxFiles.writeModel(file, denseModel());
        try (OnnxModel m = OnnxImporter.load(file)) {
            assertEquals("[x: float32(None, 3)]", m.inputs().toString());
            for (int rows : new int[] {1, 4}) {
                float[] x = new float[rows * 3];
                for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i + rows);
                Tensor y = m.run(Map.of("x", Tensors.of(x, rows, 3))).get("y");
                assertEquals(Shape.of(rows, 2), y.shape());
                double[] want = denseReference(x, rows);
                double[] got = y.toDoubleArray();
                for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-6);
            }
        }
    }

    @Test
    void trainableImportMakesWeightsVariables() {
        try (OnnxModel m = OnnxImporter.load(denseModel(), ImportOptions.defaults().withTrainable(true))) {
            assertTrue(m.graph().toString().contains("ReadVariable"), m.graph().toString());
            float[] x = {1, 2, 3};
            double[] want = denseReference(x, 1);
            assertArrayEquals(want, m.run(Tensors.of(x, 1, 3))[0].toDoubleArray(), 1e-6);
        }
    }

    @Test
    void savedModelFromOnnxPredictsLikeTheImportedGraph() throws IOException {
        Path dir = tmp.resolve("saved");
        OnnxSavedModels.importToSavedModel(denseModel(), ImportOptions.defaults(), dir);
        float[] x = {0.1f, -2, 3, 4, 5, -6};
        try (SavedModel s = SavedModel.load(dir)) {
            assertEquals(List.of("W", "b"), List.copyOf(s.variables().keySet()));
            assertEquals("[x: float32(None, 3)]", s.inputs().toString());
            assertArrayEquals(denseReference(x, 2), s.predict(Tensors.of(x, 2, 3))[0].toDoubleArray(), 1e-6);
        }
    }

    @Test
    void staticShapeArithmeticIsFoldedAtImport() {
        // y = Reshape(x, Concat(Shape(x)[0:1], [-1])): the exporters' flatten idiom.
        var g = graph("flatten").addInput(value("x", 1, 2, 3, 4)).addOutput(value("y", 1, 2, 12))
                .addNode(node("Shape", List.of("x"), List.of("s")))
                .addNode(node("Gather", List.of("s", "zero"), List.of("n"), intAttr("axis", 0)))
                .addNode(node("Unsqueeze", List.of("n", "axes"), List.of("n1")))
                .addNode(node("Concat", List.of("n1", "minus1"), List.of("shape"), intAttr("axis", 0)))
                .addNode(node("Reshape", List.of("x", "shape"), List.of("y")));
        init(g, "zero", Tensors.scalar(0L));
        init(g, "axes", Tensors.of(new long[] {0}, 1));
        init(g, "minus1", Tensors.of(new long[] {-1}, 1));
        try (OnnxModel m = OnnxImporter.load(model(g, 17), ImportOptions.defaults())) {
            float[] x = new float[24];
            for (int i = 0; i < 24; i++) x[i] = i;
            Tensor y = m.run(Tensors.of(x, 2, 3, 4))[0];
            assertEquals(Shape.of(2, 12), y.shape());
            assertArrayEquals(x, y.toFloatArray());
            assertTrue(m.graph().nodes().stream().noneMatch(nd -> nd.op().name().equals("Concat")),
                    "the shape arithmetic should be folded: " + m.graph());
        }
    }

    @Test
    void reshapeToAFedShapeRunsAtRunTime() {
        var g = graph("reshape").addInput(value("x", 1, 6)).addInput(value("shape", 7, 2))
                .addOutput(value("y", 1, 2, 3)).addNode(node("Reshape", List.of("x", "shape"), List.of("y")));
        try (OnnxModel m = OnnxImporter.load(model(g, 17), ImportOptions.defaults())) {
            float[] x = {1, 2, 3, 4, 5, 6};
            Tensor y = m.run(Map.of("x", Tensors.of(x, 6), "shape", Tensors.of(new long[] {3, -1}, 2))).get("y");
            assertEquals(Shape.of(3, 2), y.shape());
            assertArrayEquals(x, y.toFloatArray());
        }
    }

    @Test
    void shapeLikeInputsMustBeKnownUnlessBound() {
        var g = graph("tile").addInput(value("x", 1, 2)).addInput(value("repeats", 7, 1))
                .addOutput(value("y", 1, 4)).addNode(node("Tile", List.of("x", "repeats"), List.of("y")));
        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class,
                () -> OnnxImporter.load(model(g, 17), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("Tile node 'y_node': input 1 ('repeats') must be known when the model is "
                + "imported"), e.getMessage());
        Tensor repeats = Tensors.of(new long[] {2}, 1);
        try (OnnxModel m = OnnxImporter.load(model(g, 17), ImportOptions.defaults().withBindings(
                Map.of("repeats", repeats)))) {
            Tensor y = m.run(Map.of("x", Tensors.of(new float[] {1, 2}, 2), "repeats", repeats)).get("y");
            assertArrayEquals(new float[] {1, 2, 1, 2}, y.toFloatArray());
        }
    }

    @Test
    void modelLocalFunctionsAreInlined() {
        // Function "AddTwice"(a, b) = (a + b) + b in domain "local".
        FunctionProto f = FunctionProto.newBuilder().setName("AddTwice").setDomain("local")
                .addInput("a").addInput("b").addOutput("out")
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("a").addInput("b").addOutput("t"))
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("t").addInput("b").addOutput("out"))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).build();
        var g = graph("f").addInput(value("x", 1, 2)).addInput(value("z", 1, 2)).addOutput(value("y", 1, 2))
                .addNode(NodeProto.newBuilder().setOpType("AddTwice").setDomain("local").addInput("x").addInput("z")
                        .addOutput("y"));
        ModelProto m = model(g, 17).toBuilder().addFunctions(f)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1)).build();
        try (OnnxModel om = OnnxImporter.load(m, ImportOptions.defaults())) {
            Tensor y = om.run(Tensors.of(new float[] {1, 2}, 2), Tensors.of(new float[] {10, 20}, 2))[0];
            assertArrayEquals(new float[] {21, 42}, y.toFloatArray());
        }
    }

    @Test
    void modelsNeedingConcreteSizesAreImportedPerInputShape() {
        // Split into two halves along a symbolic axis: the sizes are known only once the input is.
        var g = graph("split").addInput(value("x", 1, -1, 2)).addOutput(value("a", 1, -1, 2))
                .addOutput(value("b", 1, -1, 2)).addNode(node("Split", List.of("x"), List.of("a", "b"),
                        intAttr("axis", 0)));
        try (OnnxModel m = OnnxImporter.load(model(g, 13), ImportOptions.defaults())) {
            assertEquals(false, m.isShapeGeneric());
            for (int rows : new int[] {2, 4, 2}) {
                float[] x = new float[rows * 2];
                for (int i = 0; i < x.length; i++) x[i] = i;
                Tensor[] out = m.run(Tensors.of(x, rows, 2));
                assertEquals(Shape.of(rows / 2, 2), out[0].shape());
                assertArrayEquals(Arrays.copyOfRange(x, rows, 2 * rows), out[1].toFloatArray());
            }
        }
        // A real problem still fails at load time, not at the first run.
        var bad = graph("bad").addInput(value("x", 1, -1, 2)).addOutput(value("y", 1, -1, 2))
                .addNode(node("Pad", List.of("x", "pads"), List.of("y"),
                        OnnxBuilders.stringAttr("mode", "wrap")));
        init(bad, "pads", Tensors.of(new long[] {0, 0, 0, 0}, 4));
        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class,
                () -> OnnxImporter.load(model(bad, 19), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("Pad mode 'wrap'"), e.getMessage());
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void truncatedCorruptAndForeignFilesAreRejectedClearly() throws IOException {
        byte[] good = denseModel().toByteArray();
        Path truncated = tmp.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxFiles.readModel(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": not a valid ONNX model (truncated or corrupt"),
                e.getMessage());

        Path png = tmp.resolve("image.onnx");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
        e = assertThrows(OnnxException.class, () -> OnnxFiles.readModel(png));
        assertTrue(e.getMessage().startsWith(png + ": not"), e.getMessage());

        Path empty = tmp.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        e = assertThrows(OnnxException.class, () -> OnnxFiles.readModel(empty));
        assertEquals(empty + ": not an ONNX model (no graph; 0 bytes read)", e.getMessage());

        // Every prefix of a valid file is either rejected with an OnnxException or parses: never anything else.
        for (int cut = 1; cut < good.length; cut += 7) {
            Path p = tmp.resolve("cut.onnx");
            Files.write(p, Arrays.copyOf(good, cut));
            try (OnnxModel m = OnnxImporter.load(p)) {
                m.inputs();
            } catch (OnnxException expected) {
                // rejected with a message
            }
        }
    }

    @Test
    void unknownDomainIsNamed() {
        var g = graph("g").addInput(value("x", 1, 2)).addOutput(value("y", 1, 2))
                .addNode(NodeProto.newBuilder().setOpType("Frobnicate").setDomain("com.example").setName("f1")
                        .addInput("x").addOutput("y"));
        ModelProto withImport = model(g, 17).toBuilder()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.example").setVersion(3)).build();
        OnnxException e = assertThrows(OnnxException.class,
                () -> OnnxImporter.load(withImport, ImportOptions.defaults()));
        assertEquals("Frobnicate node 'f1': unknown opset domain 'com.example' (version 3); Nabla imports the "
                + "standard domain ai.onnx and, of other domains, only [ai.onnx.ml:Binarizer, ai.onnx.ml:LabelEncoder, "
                + "ai.onnx.preview.training:Adagrad, ai.onnx.preview.training:Adam, ai.onnx.preview.training:Momentum]",
                e.getMessage());
        e = assertThrows(OnnxException.class, () -> OnnxImporter.load(model(g, 17), ImportOptions.defaults()));
        assertTrue(e.getMessage().startsWith("Frobnicate node 'f1' uses operator domain 'com.example', which the "
                + "model does not import"), e.getMessage());
    }

    @Test
    void tensorWhoseDataDisagreesWithItsDimsIsRejectedBeforeAllocating() {
        TensorProto shortRaw = TensorProto.newBuilder().setName("W").setDataType(1).addDims(2).addDims(2)
                .setRawData(ByteString.copyFrom(new byte[12])).build();
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxTensors.toTensor(shortRaw, "initializer 'W'"));
        assertEquals("initializer 'W' declares 4 float32 elements (16 bytes) but its raw_data holds 12 bytes",
                e.getMessage());
        TensorProto huge = TensorProto.newBuilder().setName("H").setDataType(1).addDims(1L << 20).addDims(1L << 20)
                .setRawData(ByteString.copyFrom(new byte[4])).build();
        e = assertThrows(OnnxException.class, () -> OnnxTensors.toTensor(huge, "initializer 'H'"));
        assertTrue(e.getMessage().contains("more elements than a Nabla tensor can hold"), e.getMessage());
        TensorProto big = TensorProto.newBuilder().setName("B").setDataType(7).addDims(1 << 28)
                .addInt64Data(1).build();
        e = assertThrows(OnnxException.class, () -> OnnxTensors.toTensor(big, "initializer 'B'"));
        assertEquals("initializer 'B' declares 268435456 elements but its int64_data holds 1", e.getMessage());
        TensorProto negative = TensorProto.newBuilder().setDataType(1).addDims(-2).build();
        e = assertThrows(OnnxException.class, () -> OnnxTensors.toTensor(negative, "t"));
        assertEquals("t has a negative dimension -2 in dims [-2]", e.getMessage());
    }

    @Test
    void cyclesAndDanglingValuesAreRejected() {
        var cyclic = graph("g").addInput(value("x", 1, 2)).addOutput(value("y", 1, 2))
                .addNode(node("Add", List.of("x", "c"), List.of("b")))
                .addNode(node("Relu", List.of("b"), List.of("c")))
                .addNode(node("Identity", List.of("c"), List.of("y")));
        OnnxException e = assertThrows(OnnxException.class,
                () -> OnnxImporter.load(model(cyclic, 17), ImportOptions.defaults()));
        assertEquals("the graph has a cycle: nodes 'b_node', 'c_node', 'y_node' wait on each other", e.getMessage());
        var dangling = graph("g").addInput(value("x", 1, 2)).addOutput(value("y", 1, 2))
                .addNode(node("Add", List.of("x", "nowhere"), List.of("y")));
        e = assertThrows(OnnxException.class, () -> OnnxImporter.load(model(dangling, 17), ImportOptions.defaults()));
        assertEquals("the graph reads values no node, input or initializer produces: 'nowhere' (read by node "
                + "'y_node')", e.getMessage());
    }

    @Test
    void unsupportedOperatorsAreAllListedBeforeAnythingRuns() {
        var g = graph("g").addInput(value("x", 1, 2)).addOutput(value("y", 1, 2))
                .addNode(node("Frob", List.of("x"), List.of("a")))
                .addNode(node("Relu", List.of("a"), List.of("b")))
                .addNode(node("Blarg", List.of("b"), List.of("y")));
        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class,
                () -> OnnxImporter.load(model(g, 17), ImportOptions.defaults()));
        assertEquals("unsupported ONNX operators: Frob (node 'a_node'), Blarg (node 'y_node')", e.getMessage());
    }

    @Test
    void unsupportedDtypeIsNamed() {
        var g = graph("g").addInput(value("x", 24, 2)).addOutput(value("y", 24, 2))
                .addNode(node("Identity", List.of("x"), List.of("y")));
        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class,
                () -> OnnxImporter.load(model(g, 17), ImportOptions.defaults()));
        assertTrue(e.getMessage().startsWith("graph input 'x' has ONNX element type float8e8m0, which Nabla does not "
                + "support"), e.getMessage());
    }

    @Test
    void kernelErrorsNameTheOnnxNode() {
        var g = graph("g").addInput(value("x", 1, 2)).addInput(value("z", 1, 3)).addOutput(value("y", 1, 2))
                .addNode(node("Add", List.of("x", "z"), List.of("y")));
        OnnxException e = assertThrows(OnnxException.class,
                () -> OnnxImporter.load(model(g, 17), ImportOptions.defaults()));
        assertTrue(e.getMessage().startsWith("Add node 'y_node': "), e.getMessage());
        assertTrue(e.getMessage().contains("shapes (2,) and (3,) cannot be broadcast"), e.getMessage());
    }
}
