package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nabla.onnx.OnnxBuilders.graph;
import static org.nabla.onnx.OnnxBuilders.intAttr;
import static org.nabla.onnx.OnnxBuilders.model;
import static org.nabla.onnx.OnnxBuilders.node;
import static org.nabla.onnx.OnnxBuilders.value;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.onnx.proto.TensorProto;

/** float8 and int4 in ONNX files and operators: packing, Cast's saturate attribute; values worked by hand. */
class LowPrecisionOnnxTest {
    @Test
    void int4PacksTwoToAByteLowBitsFirst() {
        Tensor t = Ops.cast(Tensors.of(new long[] {7, -8, -1, 0, 1}, 5), DType.INT4);
        TensorProto p = OnnxTensors.toProto(t, "q");
        assertEquals(22, p.getDataType());
        assertArrayEquals(new byte[] {(byte) 0x87, 0x0f, 0x01}, p.getRawData().toByteArray());
        Tensor back = OnnxTensors.toTensor(p, "q");
        assertEquals(DType.INT4, back.dtype());
        assertArrayEquals(new long[] {7, -8, -1, 0, 1}, back.toLongArray());
        // uint2: four to a byte
        Tensor u = Ops.cast(Tensors.of(new long[] {3, 1, 0, 2, 1}, 5), DType.UINT2);
        assertArrayEquals(new byte[] {(byte) 0x87, 0x01}, OnnxTensors.toProto(u, "u").getRawData().toByteArray());
    }

    private static float[] cast(int to, long saturate, float... x) {
        var g = graph("cast").addInput(value("x", 1, x.length)).addOutput(value("y", to, x.length))
                .addNode(node("Cast", List.of("x"), List.of("y"), intAttr("to", to), intAttr("saturate", saturate)));
        try (OnnxModel m = OnnxImporter.load(model(g, 21), ImportOptions.defaults())) {
            return m.run(Tensor.wrap(DType.FLOAT32, Shape.of(x.length), x))[0].toFloatArray();
        }
    }

    @Test
    void castSaturatesByDefaultAndOverflowsWithoutIt() {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        // e4m3fn (17): largest 448; 460 rounds to it, 470 to the next step 480, which does not exist
        assertArrayEquals(new float[] {448, 448, -448, nan, 448, 448}, cast(17, 1, 1e6f, inf, -inf, nan, 460, 470));
        assertArrayEquals(new float[] {nan, nan, nan, nan, 448, nan}, cast(17, 0, 1e6f, inf, -inf, nan, 460, 470));
        // e5m2 (19): infinities of its own
        assertArrayEquals(new float[] {57344, 57344, -57344, nan}, cast(19, 1, 1e6f, inf, -inf, nan));
        assertArrayEquals(new float[] {inf, inf, -inf, nan}, cast(19, 0, 1e6f, inf, -inf, nan));
        // e4m3fnuz (18): -0 becomes +0 (its negative zero code is NaN); near 2^-2 the step is 2^-5, so 0.28125 is
        // exact and 0.296875 is the tie between 0.28125 (mantissa 001) and 0.3125 (010): the even one wins
        float[] fnuz = cast(18, 1, -0f, 0.28125f, 0.296875f);
        assertEquals(0, Float.floatToRawIntBits(fnuz[0]));
        assertArrayEquals(new float[] {0.28125f, 0.3125f}, new float[] {fnuz[1], fnuz[2]});
    }
}
