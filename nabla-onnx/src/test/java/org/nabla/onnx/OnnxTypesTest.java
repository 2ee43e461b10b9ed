package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.onnx.proto.TensorProto.DataType;

class OnnxTypesTest {
    /** Every Nabla dtype against ONNX's own enum (onnx.proto), and back. */
    @Test
    void everyDTypeHasItsOnnxElementTypeBothWays() {
        Map<DType, DataType> onnx = Map.ofEntries(Map.entry(DType.FLOAT32, DataType.FLOAT),
                Map.entry(DType.FLOAT64, DataType.DOUBLE), Map.entry(DType.INT32, DataType.INT32),
                Map.entry(DType.INT64, DataType.INT64), Map.entry(DType.UINT8, DataType.UINT8),
                Map.entry(DType.BOOL, DataType.BOOL), Map.entry(DType.INT8, DataType.INT8),
                Map.entry(DType.INT16, DataType.INT16), Map.entry(DType.UINT16, DataType.UINT16),
                Map.entry(DType.UINT32, DataType.UINT32), Map.entry(DType.UINT64, DataType.UINT64),
                Map.entry(DType.FLOAT16, DataType.FLOAT16), Map.entry(DType.BFLOAT16, DataType.BFLOAT16),
                Map.entry(DType.STRING, DataType.STRING), Map.entry(DType.COMPLEX64, DataType.COMPLEX64),
                Map.entry(DType.COMPLEX128, DataType.COMPLEX128));
        assertEquals(DType.values().length, onnx.size());
        onnx.forEach((d, t) -> {
            assertEquals(t.getNumber(), OnnxTypes.toOnnx(d), d.toString());
            assertSame(d, OnnxTypes.toDType(t.getNumber(), "x"), d.toString());
        });
    }

    /** complex64/complex128 TensorProtos: raw_data both ways, and ONNX's typed float_data/double_data pairs. */
    @Test
    void complexTensorProtosKeepBothParts() {
        for (org.nabla.Tensor t : java.util.List.of(
                org.nabla.Tensors.complex(new float[] {1, -2.5f, 0}, new float[] {3, 0.5f, -0f}),
                org.nabla.Tensors.complex(new double[] {1e-300, 2}, new double[] {-7, 1e300}, 2, 1))) {
            org.nabla.Tensor back = OnnxTensors.toTensor(OnnxTensors.toProto(t, "t"), "t");
            assertEquals(t.spec(), back.spec());
            org.junit.jupiter.api.Assertions.assertArrayEquals(t.toComplexArray(), back.toComplexArray());
        }
        org.nabla.onnx.proto.TensorProto typed = org.nabla.onnx.proto.TensorProto.newBuilder()
                .setDataType(DataType.COMPLEX64.getNumber()).addDims(2)
                .addFloatData(1).addFloatData(2).addFloatData(3).addFloatData(-4).build();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 2, 3, -4},
                OnnxTensors.toTensor(typed, "c").toComplexArray());
    }

    @Test
    void unsupportedElementTypeIsNamedWithTheSupportedOnes() {
        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class,
                () -> OnnxTypes.toDType(DataType.FLOAT4E2M1.getNumber(), "input 'x'"));
        assertTrue(e.getMessage().startsWith("input 'x' has ONNX element type float4e2m1, which Nabla does not "
                + "support (supported: float, double, int32, int64, uint8, bool, int8, int16, uint16, uint32, uint64, "
                + "float16, bfloat16, string, complex64, complex128)"),
                e.getMessage());
    }
}
