package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.onnx.ExportCheck.floats;
import static org.nabla.onnx.ExportCheck.random;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Graph;
import org.nabla.nn.PoolingOps;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.ops.Attrs;
import org.nabla.ops.NnGradOps;
import org.nabla.ops.TensorSpec;

/** What export refuses, and how it names graph inputs, outputs and initializers. */
class ExportErrorsTest {
    private static Map<String, Tensor> map(Object... kv) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Tensor) kv[i + 1]);
        return m;
    }

    @Test
    void everyOpWithoutARuleIsListedAtOnce() {
        Graph g = new Graph();
        Tensor x, y;
        try (var s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 4));
            Tensor reluGrad = Ops.run(NnGradOps.RELU_GRAD, Attrs.EMPTY, x, x);
            Tensor grads = Ops.run(NnGradOps.RELU_GRAD, Attrs.EMPTY, reluGrad, x);
            Ops.oneHot(Ops.cast(x, DType.INT32), 3); // unused: not exported, so not an error
            y = Ops.add(Ops.log1p(Ops.abs(grads)), Ops.relu(x));
        }
        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class,
                () -> OnnxExporter.export(g, map("x", x), map("y", y), Map.of()));
        assertEquals("ONNX export: 2 ops have no ONNX export rule: Log1p (node 'Log1p'), ReluGrad (nodes 'ReluGrad', "
                + "'ReluGrad_1'); OnnxExporter.exportableOps() lists the ops that export", e.getMessage());
        assertTrue(OnnxExporter.exportableOps().containsAll(List.of("Conv2D", "MatMul", "Softmax", "BiasRelu",
                "MaxPoolWithArgmax", "Reshape")));
        assertTrue(!OnnxExporter.exportableOps().contains("ReluGrad"));
    }

    @Test
    void outputsWithoutAnOnnxMeaningFailNamingTheNode() {
        Tensor x = random(1, 1, 4, 4, 2);
        FuncGraph f = FuncGraph.trace("argmax", List.of(x.spec()), in -> new Tensor[] {Ops.cast(
                PoolingOps.maxPoolWithArgmax(in[0], new int[] {2, 2}, new int[] {2, 2}, "VALID")[1], DType.FLOAT32)});
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxExporter.export(f, List.of("x"),
                List.of("y"), Map.of()));
        assertEquals("ONNX export: node 'Cast' (Cast) reads output 1 of node 'MaxPoolWithArgmax' "
                + "(MaxPoolWithArgmax), which has no ONNX equivalent", e.getMessage());
        FuncGraph pad = FuncGraph.trace("pad", List.of(x.spec()), in -> new Tensor[] {Ops.pad(in[0],
                new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}, "SYMMETRIC", 0)});
        e = assertThrows(UnsupportedOnnxException.class, () -> OnnxExporter.export(pad, List.of("x"), List.of("y"),
                Map.of()));
        assertEquals("ONNX export: node 'Pad' (Pad) has mode SYMMETRIC (ONNX pads CONSTANT and REFLECT only), "
                + "which has no ONNX equivalent", e.getMessage());
    }

    @Test
    void badInputsAndOutputsAreRefused() {
        Graph g = new Graph();
        Tensor x, p, y;
        try (var s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(2));
            p = g.placeholder("p", DType.FLOAT32, Shape.of(2));
            y = Ops.add(x, p);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExporter.export(g, map("x", x), map("y", y), Map.of()));
        assertEquals("ONNX export: the outputs depend on placeholders [p] that are not among the inputs [x]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(g, map("x", x, "y", p),
                map("y", y), Map.of()));
        assertEquals("ONNX export: the name 'y' is used twice", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(g, map("x", y), map("y", y),
                Map.of()));
        assertEquals("ONNX export: input 'x' is Add:0 (Add), not a placeholder", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(g, map("x", x), map(), Map.of()));
        assertEquals("ONNX export: no outputs to export", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(g, map("x", x),
                map("y", floats(new int[] {1}, 1)), Map.of()));
        assertTrue(e.getMessage().startsWith("ONNX export: output 'y': tensor float32(1,) is not a graph tensor"),
                e.getMessage());
    }

    @Test
    void aVariableWithoutAValueIsNamed() {
        Graph g = new Graph();
        Tensor x, y;
        try (var s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(2));
            org.nabla.Variable v = org.nabla.runtime.Variables.create(g, "w", floats(new int[] {2}, 1, 2));
            y = Ops.mul(x, org.nabla.runtime.Variables.read(g, v));
        }
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxExporter.export(g, map("x", x), map("y", y),
                Map.of()));
        assertTrue(e.getMessage().matches("ONNX export: node 'ReadVariable' reads variable 'w(_\\d+)?', whose value "
                + "was not given \\(values are given for \\[\\]\\)"), e.getMessage());
    }

    @Test
    void outputsThatAreInputsConstantsOrRepeatedGetIdentityNodes() throws Exception {
        Graph g = new Graph();
        Tensor x, c, y;
        try (var s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 2));
            c = g.constant("c", floats(new int[] {2}, 3, 4));
            y = Ops.mul(x, c);
        }
        ModelProto m = OnnxExporter.export(g, map("x", x), map("same", x, "const", c, "y", y, "y_again", y),
                Map.of());
        assertEquals(List.of("Mul", "Identity", "Identity", "Identity"), m.getGraph().getNodeList().stream()
                .map(n -> n.getOpType()).toList());
        Tensor in = floats(new int[] {3, 2}, 1, 2, 3, 4, 5, 6);
        Tensor[] out = Ort.run(m, in);
        Ort.assertClose("same", in, out[0], 0, 0);
        Ort.assertClose("const", floats(new int[] {2}, 3, 4), out[1], 0, 0);
        Ort.assertClose("y", floats(new int[] {3, 2}, 3, 8, 9, 16, 15, 24), out[2], 0, 0);
        Ort.assertClose("y_again", out[2], out[3], 0, 0);
        // the second input dimension is known, the first symbolic
        assertEquals("N", m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
    }

    @Test
    void aFunctionCapturingOuterTensorsIsRefused() {
        Graph g = new Graph();
        try (var s = g.asDefault()) {
            Tensor outer = g.placeholder("outer", DType.FLOAT32, Shape.of(2));
            FuncGraph f = FuncGraph.trace("f", List.of(TensorSpec.of(DType.FLOAT32, Shape.of(2))),
                    in -> new Tensor[] {Ops.add(in[0], outer)});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OnnxExporter.export(f, List.of("x"), List.of("y"), Map.of()));
            assertEquals("ONNX export: function f captures 1 tensors of another graph; export the graph that holds "
                    + "them", e.getMessage());
        }
    }
}
