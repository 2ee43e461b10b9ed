package org.nabla.nn.summary;

import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorFlow's event files: each record is {@code uint64 length},
 * {@code uint32 masked_crc32c(length)}, {@code data}, {@code uint32 masked_crc32c(data)}, all little-endian.
 */
public final class TfRecords {
    private TfRecords() {}

    /** Bytes of framing a record adds to its data. */
    public static final int OVERHEAD = 8 + 4 + 4;

    /** TFRecord's CRC32C mask: rotate right by 15 bits and add a constant (so a CRC of CRCs stays useful). */
    public static int mask(int crc) { return ((crc >>> 15) | (crc << 17)) + 0xa282ead8; }

    /** The masked CRC32C of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static int maskedCrc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return mask((int) crc.getValue());
    }

    /** One whole record holding {@code data}: written with a single write, it is never split from its checksums. */
    public static byte[] frame(byte[] data) {
        byte[] r = new byte[OVERHEAD + data.length];
        putLong(r, 0, data.length);
        putInt(r, 8, maskedCrc32c(r, 0, 8));
        System.arraycopy(data, 0, r, 12, data.length);
        putInt(r, 12 + data.length, maskedCrc32c(data, 0, data.length));
        return r;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
    }
}
