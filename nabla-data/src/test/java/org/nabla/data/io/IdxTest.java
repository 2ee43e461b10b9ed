package org.nabla.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

class IdxTest {
    @TempDir
    Path dir;

    /** IDX bytes built by hand, independently of the writer. */
    private static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        b.put(data);
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private String error(String name, byte[] bytes) throws IOException {
        Path p = file(name, bytes);
        return assertThrows(IOException.class, () -> Idx.read(p)).getMessage();
    }

    @Test
    void readsEveryElementTypeBigEndian() throws IOException {
        byte[] ub = {0, 1, (byte) 200, (byte) 255, 7, 9};
        Tensor u = Idx.read(file("u", idx(0x08, new int[] {2, 3}, ub)));
        assertEquals(DType.UINT8, u.dtype());
        assertEquals(Shape.of(2, 3), u.shape());
        assertEquals(200, u.getDouble(0, 2), 0);
        Tensor s = Idx.read(file("s", idx(0x09, new int[] {2}, new byte[] {-5, 100})));
        assertArrayEquals(new int[] {-5, 100}, s.toIntArray());
        Tensor sh = Idx.read(file("sh", idx(0x0B, new int[] {2}, new byte[] {(byte) 0xFF, (byte) 0xFE, 0x01, 0x00})));
        assertArrayEquals(new int[] {-2, 256}, sh.toIntArray());
        Tensor i = Idx.read(file("i", idx(0x0C, new int[] {1}, new byte[] {0x01, 0x02, 0x03, 0x04})));
        assertArrayEquals(new int[] {0x01020304}, i.toIntArray());
        Tensor f = Idx.read(file("f", idx(0x0D, new int[] {1}, ByteBuffer.allocate(4).putFloat(1.5f).array())));
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new float[] {1.5f}, f.toFloatArray());
        Tensor d = Idx.read(file("d", idx(0x0E, new int[] {1, 1}, ByteBuffer.allocate(8).putDouble(-0.25).array())));
        assertArrayEquals(new double[] {-0.25}, d.toDoubleArray());
        // gzip is recognised by its magic, whatever the name
        Tensor g = Idx.read(file("no-extension", gzip(idx(0x08, new int[] {2, 3}, ub))));
        assertArrayEquals(ub, g.toByteArray());
        // an empty dimension is legal
        assertEquals(Shape.of(0, 28), Idx.read(file("e", idx(0x08, new int[] {0, 28}, new byte[0]))).shape());
    }

    @Test
    void roundTripsRawAndGzip() throws IOException {
        Tensor u = Tensor.wrap(DType.UINT8, Shape.of(2, 2, 2), new byte[] {0, 1, 2, 3, 4, 5, (byte) 254, (byte) 255});
        Tensor i = Tensors.of(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 4);
        Tensor f = Tensors.of(new float[] {1.25f, -3f, Float.NaN, Float.MIN_VALUE, 0, 7}, 3, 2);
        Tensor d = Tensors.of(new double[] {Math.PI, -1e300}, 2);
        for (String ext : new String[] {"", ".gz"}) {
            for (Tensor t : new Tensor[] {u, i, f, d}) {
                Path p = dir.resolve("t-" + t.dtype() + ext);
                Idx.write(t, p);
                Tensor back = Idx.read(p);
                assertEquals(t.dtype(), back.dtype());
                assertEquals(t.shape(), back.shape());
                assertArrayEquals(t.toDoubleArray(), back.toDoubleArray());
            }
        }
        // the raw file is byte for byte the format, the .gz one is gzip
        assertArrayEquals(idx(0x0C, new int[] {4}, ByteBuffer.allocate(16).putInt(Integer.MIN_VALUE).putInt(-1)
                .putInt(0).putInt(Integer.MAX_VALUE).array()), Files.readAllBytes(dir.resolve("t-int32")));
        byte[] gz = Files.readAllBytes(dir.resolve("t-int32.gz"));
        assertEquals(0x1f, gz[0] & 0xff);
        // explicit narrow types, range-checked
        Idx.write(Tensors.of(new int[] {-3, 300}, 2), dir.resolve("short"), Idx.Type.SHORT);
        assertArrayEquals(new int[] {-3, 300}, Idx.read(dir.resolve("short")).toIntArray());
        Idx.write(Tensors.of(new int[] {-3, 100}, 2), dir.resolve("byte"), Idx.Type.BYTE);
        assertArrayEquals(new int[] {-3, 100}, Idx.read(dir.resolve("byte")).toIntArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.write(Tensors.of(new int[] {1, 256}, 2),
                dir.resolve("bad"), Idx.Type.UBYTE));
        assertEquals("Idx.write: element 1 = 256 does not fit IDX ubyte [0, 255]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Idx.write(Tensors.of(new long[] {1}, 1), dir.resolve("l")));
        assertThrows(IllegalArgumentException.class, () -> Idx.write(Tensors.scalar(1f), dir.resolve("scalar")));
        // failed writes leave nothing behind (no target, no temporary file)
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")
                    || p.getFileName().toString().equals("bad") || p.getFileName().toString().equals("l")));
        }
    }

    @Test
    void atomicWriteReplacesTheOldFileCompletely() throws IOException {
        Path p = dir.resolve("labels");
        Idx.write(Tensors.of(new int[] {1, 2, 3}, 3), p);
        Idx.write(Tensors.of(new int[] {9}, 1), p);
        assertArrayEquals(new int[] {9}, Idx.read(p).toIntArray());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void headerErrors() throws IOException {
        byte[] good = idx(0x08, new int[] {2, 3}, new byte[6]);
        String m = error("empty", new byte[0]);
        assertTrue(m.endsWith("empty: truncated: the file has 0 bytes, too short for the 4-byte IDX magic number"), m);
        m = error("png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        assertTrue(m.endsWith("png: wrong magic number 0x89504E47: not an IDX file (an IDX file starts with 0x00 0x00 "
                + "<type> <ndims>)"), m);
        byte[] badType = good.clone();
        badType[2] = 0x0A;
        m = error("type", badType);
        assertTrue(m.endsWith("type: unknown IDX element type 0x0A (supported: 0x08 ubyte, 0x09 byte, 0x0B short, "
                + "0x0C int, 0x0D float, 0x0E double)"), m);
        byte[] rank0 = good.clone();
        rank0[3] = 0;
        m = error("rank0", rank0);
        assertTrue(m.endsWith("rank0: the IDX header declares 0 dimensions; expected 1 to 16"), m);
        m = error("shortheader", Arrays.copyOf(good, 9));
        assertTrue(m.endsWith("shortheader: truncated: the file ends inside the header (2 dimensions need 8 bytes "
                + "after the magic, found 5)"), m);
        m = error("negative", idx(0x08, new int[] {-1}, new byte[0]));
        assertTrue(m.endsWith("negative: dimension 0 is 4294967295, too large"), m);
        m = error("huge", idx(0x0E, new int[] {65536, 65536}, new byte[8]));
        assertTrue(m.contains("huge: the IDX header declares shape [65536, 65536] of double (34359738368 bytes of "
                + "data), more than the"), m);
    }

    @Test
    void dataLengthErrorsRaw() throws IOException {
        byte[] good = idx(0x08, new int[] {2, 3}, new byte[6]);
        String m = error("short", Arrays.copyOf(good, good.length - 2));
        assertTrue(m.endsWith("short: truncated: the header declares shape [2, 3] of ubyte (6 bytes of data) but only"
                + " 4 bytes follow the header"), m);
        m = error("long", Arrays.copyOf(good, good.length + 3));
        assertTrue(m.endsWith("long: trailing garbage: 3 bytes after the data of shape [2, 3] of ubyte (6 bytes of "
                + "data)"), m);
        // a header that claims far more than the file holds is rejected before anything is allocated
        m = error("liar", idx(0x0D, new int[] {100_000, 1000, 5}, new byte[16]));
        assertTrue(m.contains("liar: truncated: the header declares shape [100000, 1000, 5] of float (2000000000 bytes"
                + " of data) but only 16 bytes follow the header"), m);
    }

    @Test
    void dataLengthErrorsGzip() throws IOException {
        byte[] good = idx(0x08, new int[] {2, 3}, new byte[] {1, 2, 3, 4, 5, 6});
        String m = error("short.gz", gzip(Arrays.copyOf(good, good.length - 2)));
        assertTrue(m.contains("short.gz (gzip): truncated: the header declares shape [2, 3] of ubyte (6 bytes of data)"
                + " but the data ends after 4 bytes"), m);
        m = error("long.gz", gzip(Arrays.copyOf(good, good.length + 3)));
        assertTrue(m.contains("long.gz (gzip): trailing garbage: 3 or more bytes after the data"), m);
        m = error("liar.gz", gzip(idx(0x0D, new int[] {100_000, 1000, 5}, new byte[16])));
        assertTrue(m.contains("liar.gz (gzip): truncated: the header declares shape [100000, 1000, 5] of float "
                + "(2000000000 bytes of data) but the data ends after 16 bytes"), m);
        byte[] gz = gzip(idx(0x08, new int[] {100, 100}, new byte[10_000]));
        m = error("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertTrue(m.contains("cut.gz") && m.contains("truncated"), m);
        byte[] corrupt = gz.clone();
        for (int i = 10; i < corrupt.length - 8; i++) corrupt[i] = (byte) 0xA5;
        m = error("corrupt.gz", corrupt);
        assertTrue(m.contains("corrupt.gz") && (m.contains("corrupt") || m.contains("truncated")), m);
        assertFalse(m.isEmpty());
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nothing-here");
        String m = assertThrows(IOException.class, () -> Idx.read(p)).getMessage();
        assertTrue(m.startsWith(p + ": cannot read the IDX file"), m);
    }
}
