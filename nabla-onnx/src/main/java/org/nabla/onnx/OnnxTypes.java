package org.nabla.onnx;

import org.nabla.DType;

/** ONNX element type codes (TensorProto.DataType) and the Nabla dtypes they correspond to. */
public final class OnnxTypes {
    private static final String[] NAMES = {"undefined", "float", "uint8", "int8", "uint16", "int16", "int32", "int64",
            "string", "bool", "float16", "double", "uint32", "uint64", "complex64", "complex128", "bfloat16",
            "float8e4m3fn", "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz", "uint4", "int4", "float4e2m1",
            "float8e8m0", "uint2", "int2"};

    private OnnxTypes() {}

    /** The Nabla dtype of ONNX element type {@code code}; {@code what} names the value for the error message. */
    public static DType toDType(int code, String what) {
        for (DType d : DType.values()) if (toOnnx(d) == code) return d;
        throw new UnsupportedOnnxException(what + " has ONNX element type " + name(code)
                + ", which Nabla does not support (supported: " + supportedNames() + ")");
    }

    /** The ONNX element type code of a Nabla dtype: the one table between the two, read both ways. */
    public static int toOnnx(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> 1;
            case UINT8 -> 2;
            case INT8 -> 3;
            case UINT16 -> 4;
            case INT16 -> 5;
            case INT32 -> 6;
            case INT64 -> 7;
            case BOOL -> 9;
            case FLOAT64 -> 11;
            case UINT32 -> 12;
            case UINT64 -> 13;
            case FLOAT16 -> 10;
            case BFLOAT16 -> 16;
            case STRING -> 8;
            case COMPLEX64 -> 14;
            case COMPLEX128 -> 15;
            case FLOAT8E4M3FN -> 17;
            case FLOAT8E4M3FNUZ -> 18;
            case FLOAT8E5M2 -> 19;
            case FLOAT8E5M2FNUZ -> 20;
            case UINT4 -> 21;
            case INT4 -> 22;
            case FLOAT4E2M1 -> 23;
            case UINT2 -> 25;
            case INT2 -> 26;
        };
    }

    /** ONNX's lower-case name of an element type code, e.g. {@code float16}. */
    public static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "unknown type " + code;
    }

    private static String supportedNames() {
        StringBuilder sb = new StringBuilder();
        for (DType d : DType.values()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(name(toOnnx(d)));
        }
        return sb.toString();
    }
}
