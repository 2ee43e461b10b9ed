package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * ONNX's string operators imported with their inputs unknown at import time (so the rules build graph nodes, which
 * the conformance runner's bound inputs never do), and string tensors through TensorProto both ways.
 */
class StringRulesTest {
    private static Tensor s(String[] v, int... shape) { return Tensors.of(v, shape); }

    @Test
    void stringSplitPadsAnyShapeAndCountsThePieces() {
        Tensor[] out = OnnxNodeCase.of("StringSplit", 20)
                .input(s(new String[] {"a.b", "c", "d.e.f", ""}, 2, 2), Shape.of(2, 2))
                .attr("delimiter", ".").outputs(2).run();
        assertEquals(Shape.of(2, 2, 3), out[0].shape());
        assertArrayEquals(new String[] {"a", "b", "", "c", "", "", "d", "e", "f", "", "", ""},
                out[0].toStringArray());
        assertArrayEquals(new long[] {2, 1, 3, 1}, out[1].toLongArray());
    }

    @Test
    void concatMatchAndNormalizeInAGraph() {
        Tensor joined = OnnxNodeCase.of("StringConcat", 20).input(s(new String[] {"a", "b"}, 2), Shape.of(-1))
                .input(Tensors.scalar("!"), Shape.SCALAR).run1();
        assertArrayEquals(new String[] {"a!", "b!"}, joined.toStringArray());
        Tensor match = OnnxNodeCase.of("RegexFullMatch", 20).input(s(new String[] {"x@gmail.com", "nope"}, 2))
                .attr("pattern", "[a-z]+@(yahoo|gmail)\\.com").run1();
        assertArrayEquals(new boolean[] {true, false}, match.toBooleanArray());
        Tensor normal = OnnxNodeCase.of("StringNormalizer", 10).input(s(new String[] {"Monday", "is", "MONDAY"}, 1, 3))
                .attr("case_change_action", "UPPER").attr(OnnxBuilders.stringsAttr("stopwords", "monday")).run1();
        assertEquals(Shape.of(1, 1), normal.shape());
        assertArrayEquals(new String[] {"IS"}, normal.toStringArray());
    }

    @Test
    void castParsesStrings() {
        Tensor y = OnnxNodeCase.of("Cast", 19).input(s(new String[] {"1.5", "-2e3", "inf"}, 3))
                .attr("to", (long) OnnxTypes.toOnnx(DType.FLOAT32)).run1();
        assertArrayEquals(new float[] {1.5f, -2000f, Float.POSITIVE_INFINITY}, y.toFloatArray());
    }

    @Test
    void stringTensorsRoundTripThroughTensorProto() {
        Tensor t = Tensors.of(new String[] {"", "héllo", "x"}, 3, 1);
        var proto = OnnxTensors.toProto(t, "t");
        assertEquals(8, proto.getDataType());
        assertEquals(3, proto.getStringDataCount());
        Tensor back = OnnxTensors.toTensor(proto, "t");
        assertEquals(Shape.of(3, 1), back.shape());
        assertArrayEquals(t.toStringArray(), back.toStringArray());
    }
}
