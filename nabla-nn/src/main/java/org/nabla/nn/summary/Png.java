package org.nabla.nn.summary;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** A PNG encoder for 8-bit gray (1 channel), RGB (3) or RGBA (4) pixels, row-major, no filtering. */
final class Png {
    private Png() {}

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    static byte[] encode(byte[] pixels, int height, int width, int channels) {
        int colorType = switch (channels) {
            case 1 -> 0;
            case 3 -> 2;
            case 4 -> 6;
            default -> throw new IllegalArgumentException("an image needs 1, 3 or 4 channels, got " + channels);
        };
        if (height <= 0 || width <= 0 || pixels.length != height * width * channels) {
            throw new IllegalArgumentException("an image of " + height + "x" + width + "x" + channels + " needs "
                    + (long) height * width * channels + " bytes, got " + pixels.length);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8;  // bits per channel
        header[9] = (byte) colorType;
        chunk(png, "IHDR", header);
        // each row starts with filter type 0 (none)
        int row = width * channels;
        byte[] raw = new byte[height * (row + 1)];
        for (int y = 0; y < height; y++) System.arraycopy(pixels, y * row, raw, y * (row + 1) + 1, row);
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) compressed.write(buffer, 0, deflater.deflate(buffer));
        deflater.end();
        chunk(png, "IDAT", compressed.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** What an event file's image summary records of a PNG: its size and channel count. */
    record Header(int height, int width, int channels) {}

    /** The size and channels of an encoded PNG, from its IHDR chunk. */
    static Header header(byte[] png) {
        if (png.length < 33 || !java.util.Arrays.equals(png, 0, 8, SIGNATURE, 0, 8)
                || !new String(png, 12, 4, StandardCharsets.US_ASCII).equals("IHDR")) {
            throw new IllegalArgumentException("not a PNG image (" + png.length + " bytes)");
        }
        int width = getInt(png, 16), height = getInt(png, 20);
        int channels = switch (png[25]) {
            case 0, 3 -> 1;  // gray, palette
            case 4 -> 2;     // gray and alpha
            case 2 -> 3;
            case 6 -> 4;
            default -> throw new IllegalArgumentException("a PNG with unknown color type " + png[25]);
        };
        return new Header(height, width, channels);
    }

    private static int getInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] b = new byte[4];
        putInt(b, 0, data.length);
        out.writeBytes(b);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        putInt(b, 0, (int) crc.getValue());
        out.writeBytes(b);
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (24 - 8 * i));
    }
}
