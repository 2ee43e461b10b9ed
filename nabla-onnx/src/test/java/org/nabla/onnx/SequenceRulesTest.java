package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.onnx.OnnxBuilders.graph;
import static org.nabla.onnx.OnnxBuilders.init;
import static org.nabla.onnx.OnnxBuilders.intAttr;
import static org.nabla.onnx.OnnxBuilders.model;
import static org.nabla.onnx.OnnxBuilders.node;
import static org.nabla.onnx.OnnxBuilders.value;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.onnx.OnnxValue.OptionalValue;
import org.nabla.onnx.OnnxValue.SequenceValue;
import org.nabla.onnx.proto.TypeProto;
import org.nabla.onnx.proto.ValueInfoProto;

/**
 * Sequences and optionals: lists fixed at import whose tensors may be computed at run time (a graph with a symbolic
 * batch), and models with sequence inputs and optional outputs run by {@link OnnxImporter#evaluate}. Expected values
 * are worked by hand.
 */
class SequenceRulesTest {
    private static final float[] X = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

    /**
     * x [4, 3] split into its rows (keepdims 0), row 1 erased, x's row 0 doubled inserted at the front, the last row
     * read back, and the rows stacked along a new axis 1.
     */
    @Test
    void splitEditAndConcatInAGraph() {
        var g = graph("seq").addInput(value("x", 1, 4, 3))
                .addOutput(value("stacked", 1, 3, 4)).addOutput(value("last", 1, 3)).addOutput(value("n", 7))
                .addNode(node("SplitToSequence", List.of("x"), List.of("rows"), intAttr("keepdims", 0)))
                .addNode(node("SequenceErase", List.of("rows", "one"), List.of("erased")))
                .addNode(node("SequenceAt", List.of("rows", "zero"), List.of("row0")))
                .addNode(node("Add", List.of("row0", "row0"), List.of("twice")))
                .addNode(node("SequenceInsert", List.of("erased", "twice", "zero"), List.of("edited")))
                .addNode(node("SequenceAt", List.of("edited", "minus1"), List.of("last")))
                .addNode(node("SequenceLength", List.of("edited"), List.of("n")))
                .addNode(node("ConcatFromSequence", List.of("edited"), List.of("stacked"), intAttr("axis", 1),
                        intAttr("new_axis", 1)));
        init(g, "zero", Tensors.scalar(0L));
        init(g, "one", Tensors.scalar(1L));
        init(g, "minus1", Tensors.scalar(-1L));
        try (OnnxModel m = OnnxImporter.load(model(g, 17), ImportOptions.defaults())) {
            Map<String, Tensor> out = m.run(Map.of("x", Tensors.of(X, 4, 3)));
            // rows now: [0,2,4], [0,1,2], [6,7,8], [9,10,11]; stacked along axis 1: out[j][k] = row k's element j
            assertArrayEquals(new float[] {0, 0, 6, 9, 2, 1, 7, 10, 4, 2, 8, 11}, out.get("stacked").toFloatArray());
            assertArrayEquals(new int[] {3, 4}, out.get("stacked").shape().dims());
            assertArrayEquals(new float[] {9, 10, 11}, out.get("last").toFloatArray());
            assertEquals(4L, out.get("n").toLongArray()[0]);
        }
    }

    /** Uneven split sizes along axis 1, then concatenated back: x again. */
    @Test
    void splitSizesAndConcatRoundTrip() {
        var g = graph("seq").addInput(value("x", 1, -1, 3)).addOutput(value("y", 1, -1, 3))
                .addNode(node("SplitToSequence", List.of("x", "sizes"), List.of("parts"), intAttr("axis", -1)))
                .addNode(node("ConcatFromSequence", List.of("parts"), List.of("y"), intAttr("axis", 1)));
        init(g, "sizes", Tensors.of(new long[] {1, 2}, 2));
        try (OnnxModel m = OnnxImporter.load(model(g, 17), ImportOptions.defaults())) {
            assertArrayEquals(X, m.run(Tensors.of(X, 4, 3))[0].toFloatArray());
        }
    }

    private static ValueInfoProto sequenceOf(String name, int elemType) {
        TypeProto tensor = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setSequenceType(
                TypeProto.Sequence.newBuilder().setElemType(tensor))).build();
    }

    private static ValueInfoProto optionalOf(String name, TypeProto elem) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setOptionalType(
                TypeProto.Optional.newBuilder().setElemType(elem))).build();
    }

    /** A sequence input, mapped elementwise (SequenceMap adds 1), and wrapped in an optional output. */
    @Test
    void evaluateTakesSequencesAndGivesOptionals() {
        var body = graph("body").addInput(value("e", 1, -1)).addOutput(value("f", 1, -1))
                .addNode(node("Add", List.of("e", "inc"), List.of("f")));
        init(body, "inc", Tensors.scalar(1f));
        var g = graph("map").addInput(sequenceOf("s", 1))
                .addOutput(optionalOf("o", sequenceOf("x", 1).getType())).addOutput(value("has", 9))
                .addNode(node("SequenceMap", List.of("s"), List.of("mapped"), graphAttrOf("body", body)))
                .addNode(node("Optional", List.of("mapped"), List.of("o")))
                .addNode(node("Optional", List.of(), List.of("none")))
                .addNode(node("OptionalHasElement", List.of("none"), List.of("has")));
        Tensor a = Tensors.of(new float[] {1, 2}, 2), b = Tensors.of(new float[] {5}, 1);
        Map<String, OnnxValue> out = OnnxImporter.evaluate(model(g, 18),
                Map.of("s", new SequenceValue(DType.FLOAT32, List.of(a, b))));
        OptionalValue o = assertInstanceOf(OptionalValue.class, out.get("o"));
        SequenceValue mapped = assertInstanceOf(SequenceValue.class, o.element());
        assertArrayEquals(new float[] {2, 3}, mapped.elements().get(0).toFloatArray());
        assertArrayEquals(new float[] {6}, mapped.elements().get(1).toFloatArray());
        assertFalse(out.get("has").tensor("has").toLongArray()[0] != 0);
    }

    private static org.nabla.onnx.proto.AttributeProto graphAttrOf(String name,
                                                                   org.nabla.onnx.proto.GraphProto.Builder g) {
        return org.nabla.onnx.proto.AttributeProto.newBuilder().setName(name)
                .setType(org.nabla.onnx.proto.AttributeProto.AttributeType.GRAPH).setG(g.build()).build();
    }

    @Test
    void badPositionsAndKindsFailNamingTheNode() {
        var g = graph("seq").addInput(value("x", 1, 2)).addOutput(value("y", 1, 2))
                .addNode(node("SequenceConstruct", List.of("x", "x"), List.of("s")))
                .addNode(node("SequenceAt", List.of("s", "two"), List.of("y")));
        init(g, "two", Tensors.scalar(2L));
        var e = assertThrows(OnnxException.class, () -> OnnxImporter.load(model(g, 17), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("SequenceAt node 'y_node': position 2 is out of range for a sequence of 2 "
                + "tensors"), e.getMessage());

        var h = graph("seq").addInput(value("x", 1, 2)).addOutput(value("y", 1, 2))
                .addNode(node("SequenceConstruct", List.of("x"), List.of("s")))
                .addNode(node("Relu", List.of("s"), List.of("y")));
        e = assertThrows(OnnxException.class, () -> OnnxImporter.load(model(h, 17), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("input 0 ('s') is a sequence; Relu takes a tensor there"), e.getMessage());

        var k = graph("seq").addInput(sequenceOf("s", 1)).addOutput(value("n", 7))
                .addNode(node("SequenceLength", List.of("s"), List.of("n")));
        e = assertThrows(UnsupportedOnnxException.class,
                () -> OnnxImporter.load(model(k, 17), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("OnnxImporter.evaluate"), e.getMessage());
    }
}
