package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.onnx.OnnxBuilders.graph;
import static org.nabla.onnx.OnnxBuilders.init;
import static org.nabla.onnx.OnnxBuilders.model;
import static org.nabla.onnx.OnnxBuilders.node;
import static org.nabla.onnx.OnnxBuilders.value;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.onnx.proto.AttributeProto;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.ValueInfoProto;

/** If and Loop: sub-graphs reading outer values, run through Nabla's cond and while loop. */
class ControlFlowRulesTest {
    private static AttributeProto graphAttr(String name, GraphProto g) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(g).build();
    }

    /** then: x + 1 (an initializer of the branch); else: x * x (x from the outer graph). */
    private static GraphProto.Builder ifModel() {
        var thenG = graph("then").addOutput(value("t", 1, 3)).addNode(node("Add", List.of("x", "one"), List.of("t")));
        init(thenG, "one", Tensors.scalar(1f));
        var elseG = graph("else").addOutput(value("e", 1, 3)).addNode(node("Mul", List.of("x", "x"), List.of("e")));
        return graph("if").addInput(value("x", 1, 3)).addOutput(value("y", 1, 3))
                .addNode(node("If", List.of("c"), List.of("y"), graphAttr("then_branch", thenG.build()),
                        graphAttr("else_branch", elseG.build())));
    }

    @Test
    void ifRunsTheBranchTheConditionPicks() {
        var g = ifModel().addInput(value("c", 9, 1));
        float[] x = {1, 2, 3};
        try (OnnxModel m = OnnxImporter.load(model(g, 17), ImportOptions.defaults())) {
            assertTrue(m.graph().nodes().stream().anyMatch(nd -> nd.op().name().equals("Cond")), m.graph().toString());
            Tensor yes = m.run(Map.of("x", Tensors.of(x, 3), "c", new boolean[] {true})).get("y");
            assertArrayEquals(new float[] {2, 3, 4}, yes.toFloatArray());
            Tensor no = m.run(Map.of("x", Tensors.of(x, 3), "c", new boolean[] {false})).get("y");
            assertArrayEquals(new float[] {1, 4, 9}, no.toFloatArray());
        }
    }

    @Test
    void ifWithAConditionKnownAtImportInlinesTheBranch() {
        var g = ifModel();
        init(g, "c", Tensor.wrap(org.nabla.DType.BOOL, Shape.of(1), new byte[] {0}));
        try (OnnxModel m = OnnxImporter.load(model(g, 17), ImportOptions.defaults())) {
            assertTrue(m.graph().nodes().stream().noneMatch(nd -> nd.op().name().equals("Cond")), m.graph().toString());
            assertArrayEquals(new float[] {4, 9, 16}, m.run(Tensors.of(new float[] {2, 3, 4}, 3))[0].toFloatArray());
        }
    }

    /**
     * Loop(M, true, acc=0): acc' = acc + x * i; the scan output collects acc' per iteration. The body reads x from the
     * outer graph.
     */
    private static GraphProto.Builder loopModel() {
        ValueInfoProto iter = value("i", 7), condIn = value("cin", 9), accIn = value("acc", 1, 2);
        var body = graph("body").addInput(iter).addInput(condIn).addInput(accIn)
                .addOutput(value("cout", 9)).addOutput(value("acc2", 1, 2)).addOutput(value("scan", 1, 2))
                .addNode(node("Identity", List.of("cin"), List.of("cout")))
                .addNode(node("Cast", List.of("i"), List.of("fi"), OnnxBuilders.intAttr("to", 1)))
                .addNode(node("Mul", List.of("x", "fi"), List.of("xi")))
                .addNode(node("Add", List.of("acc", "xi"), List.of("acc2")))
                .addNode(node("Identity", List.of("acc2"), List.of("scan")));
        var g = graph("loop").addInput(value("x", 1, 2)).addInput(value("M", 7))
                .addOutput(value("final", 1, 2)).addOutput(value("all", 1, -1, 2))
                .addNode(node("Loop", List.of("M", "true", "zero"), List.of("final", "all"),
                        graphAttr("body", body.build())));
        init(g, "true", Tensors.scalar(true));
        init(g, "zero", Tensors.of(new float[] {0, 0}, 2));
        return g;
    }

    @Test
    void loopCarriesValuesAndStacksScanOutputs() {
        try (OnnxModel m = OnnxImporter.load(model(loopModel(), 17), ImportOptions.defaults())) {
            float[] x = {1, 10};
            for (long trips : new long[] {0, 1, 4}) {
                Map<String, Tensor> out = m.run(Map.of("x", Tensors.of(x, 2), "M", Tensors.scalar(trips)));
                // acc after k iterations: x * (0 + 1 + ... + (k-1))
                float tri = trips * (trips - 1) / 2f;
                assertArrayEquals(new float[] {tri, 10 * tri}, out.get("final").toFloatArray());
                Tensor all = out.get("all");
                assertEquals(Shape.of((int) trips, 2), all.shape());
                float[] rows = all.toFloatArray();
                for (int k = 0; k < trips; k++) {
                    float t = k * (k + 1) / 2f; // acc after iteration k
                    assertArrayEquals(new float[] {t, 10 * t}, new float[] {rows[2 * k], rows[2 * k + 1]});
                }
            }
        }
    }

    @Test
    void loopStopsWhenTheBodySaysSo() {
        // No trip count: run while acc < 10, acc' = acc + 3 (a counter loop).
        var body = graph("body").addInput(value("i", 7)).addInput(value("cin", 9)).addInput(value("acc", 7))
                .addOutput(value("cout", 9)).addOutput(value("acc2", 7))
                .addNode(node("Add", List.of("acc", "three"), List.of("acc2")))
                .addNode(node("Less", List.of("acc2", "ten"), List.of("cout")));
        init(body, "three", Tensors.scalar(3L));
        init(body, "ten", Tensors.scalar(10L));
        var g = graph("loop").addInput(value("start", 7)).addOutput(value("end", 7))
                .addNode(node("Loop", List.of("", "go", "start"), List.of("end"), graphAttr("body", body.build())));
        init(g, "go", Tensors.scalar(true));
        try (OnnxModel m = OnnxImporter.load(model(g, 17), ImportOptions.defaults())) {
            assertEquals(12L, m.run(Tensors.scalar(0L))[0].longValue());
            assertEquals(10L, m.run(Tensors.scalar(7L))[0].longValue());
        }
    }

    @Test
    void unsupportedOperatorsInsideSubgraphsAreFoundBeforeRunning() {
        var thenG = graph("then").addOutput(value("t", 1, 3)).addNode(node("Frob", List.of("x"), List.of("t")));
        var elseG = graph("else").addOutput(value("e", 1, 3)).addNode(node("Neg", List.of("x"), List.of("e")));
        var g = graph("if").addInput(value("x", 1, 3)).addInput(value("c", 9)).addOutput(value("y", 1, 3))
                .addNode(node("If", List.of("c"), List.of("y"), graphAttr("then_branch", thenG.build()),
                        graphAttr("else_branch", elseG.build())));
        UnsupportedOnnxException e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOnnxException.class,
                () -> OnnxImporter.load(model(g, 17), ImportOptions.defaults()));
        assertEquals("unsupported ONNX operator: Frob (node 't_node')", e.getMessage());
    }
}
