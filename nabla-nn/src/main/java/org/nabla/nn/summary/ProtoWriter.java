package org.nabla.nn.summary;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers encoder: the wire format of the few messages an event file holds (varints, 64- and
 * 32-bit fixed values, length-delimited bytes and nested messages), so nabla-nn writes TensorBoard files without a
 * protobuf dependency. Fields are written in the order called; proto3 defaults (0, "") are written only when asked.
 */
final class ProtoWriter {
    private static final int VARINT = 0, FIXED64 = 1, LENGTH_DELIMITED = 2, FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    ProtoWriter doubleField(int field, double value) {
        tag(field, FIXED64);
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) out.write((int) (bits >>> (8 * i)));
        return this;
    }

    ProtoWriter floatField(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return this;
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter string(int field, String value) { return bytes(field, value.getBytes(StandardCharsets.UTF_8)); }

    ProtoWriter message(int field, ProtoWriter nested) { return bytes(field, nested.toByteArray()); }

    /** A packed repeated double field (proto3's encoding of {@code repeated double}). */
    ProtoWriter packedDoubles(int field, double[] values) {
        ProtoWriter packed = new ProtoWriter();
        for (double v : values) {
            long bits = Double.doubleToRawLongBits(v);
            for (int i = 0; i < 8; i++) packed.out.write((int) (bits >>> (8 * i)));
        }
        return bytes(field, packed.toByteArray());
    }

    byte[] toByteArray() { return out.toByteArray(); }

    private void tag(int field, int wireType) { rawVarint(((long) field << 3) | wireType); }

    /** Base-128 little-endian groups, high bit set on all but the last; negative values take ten bytes. */
    private void rawVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
