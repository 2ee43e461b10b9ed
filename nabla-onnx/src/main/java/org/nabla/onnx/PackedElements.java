package org.nabla.onnx;

import org.nabla.DType;

/**
 * ONNX's packing of the sub-byte types: int4, uint4 and float4e2m1 two to a byte, int2 and uint2 four to a byte, the
 * first element in the low bits. Nabla keeps one element per byte in memory (int4 and int2 sign-extended).
 */
final class PackedElements {
    private PackedElements() {}

    /** How many elements ONNX packs into one byte of {@code dtype}: 2, 4, or 1 for every other type. */
    static int perByte(DType dtype) {
        return switch (dtype) {
            case INT4, UINT4, FLOAT4E2M1 -> 2;
            case INT2, UINT2 -> 4;
            default -> 1;
        };
    }

    /** The bytes {@code size} packed elements take. */
    static int packedBytes(DType dtype, int size) {
        int per = perByte(dtype);
        return (int) (((long) size + per - 1) / per);
    }

    /** {@code size} elements, one per byte, from their packed bytes. */
    static byte[] unpack(DType dtype, byte[] packed, int size) {
        int per = perByte(dtype), bits = 8 / per, mask = (1 << bits) - 1;
        boolean signed = dtype == DType.INT4 || dtype == DType.INT2;
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            int v = packed[i / per] >> (i % per * bits) & mask;
            out[i] = (byte) (signed ? v << (32 - bits) >> (32 - bits) : v);
        }
        return out;
    }

    /** The packed bytes of one-per-byte elements. */
    static byte[] pack(DType dtype, byte[] elements) {
        int per = perByte(dtype), bits = 8 / per, mask = (1 << bits) - 1;
        byte[] out = new byte[packedBytes(dtype, elements.length)];
        for (int i = 0; i < elements.length; i++) out[i / per] |= (byte) ((elements[i] & mask) << (i % per * bits));
        return out;
    }
}
