package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.onnx.proto.TensorProto;

/**
 * float16 and bfloat16 in ONNX files: TensorProto element types FLOAT16 (10) and BFLOAT16 (16) both ways, and exported
 * models with 16-bit inputs, casts and data movement run in ONNX Runtime.
 */
class HalfPrecisionOnnxTest {
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void tensorProtosKeepTheBits(DType dtype) {
        Tensor t = Ops.convertToTensor(new float[][] {{1.5f, -0f, Float.NaN}, {65504f, 1e-7f, -3}}, dtype);
        TensorProto p = OnnxTensors.toProto(t, "t");
        assertEquals(dtype == DType.FLOAT16 ? 10 : 16, p.getDataType());
        Tensor back = OnnxTensors.toTensor(p, "t");
        assertEquals(dtype, back.dtype());
        assertEquals(t.shape(), back.shape());
        assertArrayEquals(t.toShortArray(), back.toShortArray());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void exportedModelsRunInOnnxRuntime(DType dtype) {
        Tensor x = ExportCheck.random(DType.FLOAT32, 5, -3, 3, 2, 3);
        ExportCheck.check(dtype + " casts", a -> new Tensor[] {Ops.cast(a[0], dtype),
            Ops.cast(Ops.cast(a[0], dtype), DType.FLOAT32)}, x);
        Tensor h = Ops.cast(x, dtype);
        ExportCheck.check(dtype + " data movement", a -> new Tensor[] {Ops.transpose(a[0], 1, 0),
            Ops.reshape(a[0], 3, 2), Ops.concat(0, a[0], a[0])}, h);
    }
}
