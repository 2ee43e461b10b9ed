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
                Map.entry(DType.COMPLEX128, DataType.COMPLEX128), Map.entry(DType.FLOAT8E4M3FN, DataType.FLOAT8E4M3FN),
                Map.entry(DType.FLOAT8E4M3FNUZ, DataType.FLOAT8E4M3FNUZ), Map.entry(DType.FLOAT8E5M2, DataType.FLOAT8E5M2),
                Map.entry(DType.FLOAT8E5M2FNUZ, DataType.FLOAT8E5M2FNUZ), Map.entry(DType.UINT4, DataType.UINT4),
                Map.entry(DType.INT4, DataType.INT4), Map.entry(DType.FLOAT4E2M1, DataType.FLOAT4E2M1),
                Map.entry(DType.UINT2, DataType.UINT2), Map.entry(DType.INT2, DataType.INT2));
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
                () -> OnnxTypes.toDType(DataType.FLOAT8E8M0.getNumber(), "input 'x'"));
        assertTrue(e.getMessage().startsWith("input 'x' has ONNX element type float8e8m0, which Nabla does not "
                + "support (supported: float, double, int32, int64, uint8, bool, int8, int16, uint16, uint32, uint64, "
                + "float16, bfloat16, string, complex64, complex128, float8e4m3fn, float8e4m3fnuz, float8e5m2, "
                + "float8e5m2fnuz, uint4, int4, float4e2m1, uint2, int2)"),
                e.getMessage());
    }
}
