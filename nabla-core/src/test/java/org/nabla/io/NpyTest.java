package org.nabla.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.storage.Strided;

class NpyTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    /** One tensor per dtype and a few shapes: values chosen to exercise signs, extremes and non-integers. */
    private static List<Tensor> samples() {
        List<Tensor> out = new ArrayList<>();
        out.add(Tensors.of(new float[] {1.5f, -2.25f, Float.MAX_VALUE, Float.MIN_VALUE, Float.NaN, -0f}, 2, 3));
        out.add(Tensors.of(new double[] {Math.PI, -1e300, Double.NEGATIVE_INFINITY, 4.9e-324}, 2, 2));
        out.add(Tensors.of(new int[] {Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE, 42}, 3, 1, 2));
        out.add(Tensors.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40}, 3));
        out.add(Tensors.of(new byte[] {0, 1, (byte) 200, (byte) 255}));
        out.add(Tensors.of(new boolean[][] {{true, false}, {false, true}}));
        out.add(Tensors.scalar(2.5));
        out.add(Tensors.scalar(7));
        out.add(Tensors.of(new float[0], 0, 3));
        out.add(Tensors.of(new long[0], 4, 0, 2));
        return out;
    }

    private static void assertSameTensor(Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype());
        assertEquals(expected.shape(), actual.shape());
        switch (expected.dtype()) {
            case FLOAT32 -> assertArrayEquals(expected.toFloatArray(), actual.toFloatArray());
            case FLOAT64 -> assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray());
            default -> assertArrayEquals(expected.toLongArray(), actual.toLongArray());
        }
    }

    @Test
    void roundTripsEveryDTypeThroughFilesBytesAndStreams() throws IOException {
        int k = 0;
        for (Tensor t : samples()) {
            Path p = dir.resolve("t" + k++ + ".npy");
            Npy.write(t, p);
            assertSameTensor(t, Npy.read(p));
            assertSameTensor(t, Npy.fromBytes(Npy.toBytes(t)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Npy.write(t, out);
            assertSameTensor(t, Npy.read(new ByteArrayInputStream(out.toByteArray())));
            assertEquals(0, (Files.size(p) - t.size() * t.dtype().byteSize()) % 64, "header aligned to 64 bytes");
        }
    }

    @Test
    void writesViewsInRowMajorOrder() throws IOException {
        Tensor m = Tensors.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose();
        Tensor back = Npy.fromBytes(Npy.toBytes(m));
        assertEquals(Shape.of(3, 2), back.shape());
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, back.toIntArray());
    }

    /** The exact bytes NumPy 1.24 writes for np.save(f, np.array([[1, 2, 3], [4, 5, 6]], dtype='<f4')). */
    @Test
    void goldenBytesMatchNumPy() {
        byte[] bytes = Npy.toBytes(Tensors.of(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        assertEquals(152, bytes.length);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0},
                Arrays.copyOf(bytes, 10));
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(58) + "\n";
        assertEquals(header, new String(bytes, 10, 118, StandardCharsets.ISO_8859_1));
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, (byte) 0x80,
                0x40, 0, 0, (byte) 0xa0, 0x40, 0, 0, (byte) 0xc0, 0x40}, Arrays.copyOfRange(bytes, 128, 152));
        String scalar = new String(Npy.toBytes(Tensors.scalar(3.5)), 10, 118, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f8', 'fortran_order': False, 'shape': (), }" + " ".repeat(62) + "\n", scalar);
        String bool = new String(Npy.toBytes(Tensors.of(new boolean[] {true, false})), 10, 118,
                StandardCharsets.ISO_8859_1);
        assertTrue(bool.startsWith("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }   "), bool);
    }

    /** NumPy's descr of every dtype, written and read, and the one-letter type characters older writers use. */
    @Test
    void everyDTypeHasItsNumPyDescr() throws IOException {
        Map<DType, String> descr = new LinkedHashMap<>();
        descr.put(DType.FLOAT32, "<f4");
        descr.put(DType.FLOAT64, "<f8");
        descr.put(DType.INT32, "<i4");
        descr.put(DType.INT64, "<i8");
        descr.put(DType.UINT8, "|u1");
        descr.put(DType.BOOL, "|b1");
        descr.put(DType.INT8, "|i1");
        descr.put(DType.INT16, "<i2");
        descr.put(DType.UINT16, "<u2");
        descr.put(DType.UINT32, "<u4");
        descr.put(DType.UINT64, "<u8");
        descr.put(DType.FLOAT16, "<f2");
        descr.put(DType.BFLOAT16, "<V2");
        descr.put(DType.COMPLEX64, "<c8");
        descr.put(DType.COMPLEX128, "<c16");
        long lowPrecision = java.util.Arrays.stream(DType.values()).filter(DType::isLowPrecision).count();
        assertEquals(DType.values().length - 1 - lowPrecision, descr.size(),
                "every dtype but string and the low-precision ones (ml_dtypes writes all of those '|V1') has a descr");
        for (Map.Entry<DType, String> e : descr.entrySet()) {
            Tensor t = Tensor.wrap(e.getKey(), Shape.SCALAR, Strided.allocate(e.getKey().storage(), 1));
            String want = "{'descr': '" + e.getValue() + "', ";
            String header = new String(Npy.toBytes(t), 10, want.length(), StandardCharsets.ISO_8859_1);
            assertEquals(want, header, e.getKey().toString());
            assertEquals(e.getKey(), Npy.fromBytes(npy(1, "{'descr': '" + e.getValue() + "', 'fortran_order': False, "
                    + "'shape': (), }", new byte[e.getKey().byteSize()])).dtype());
        }
        Map<String, DType> letters = Map.of("|B", DType.UINT8, "|?", DType.BOOL, "|b", DType.INT8, "<h", DType.INT16,
                "<H", DType.UINT16, "<I", DType.UINT32);
        for (Map.Entry<String, DType> e : letters.entrySet()) {
            assertEquals(e.getValue(), Npy.fromBytes(npy(1, "{'descr': '" + e.getKey() + "', 'fortran_order': False, "
                    + "'shape': (), }", new byte[e.getValue().byteSize()])).dtype(), e.getKey());
        }
    }

    /** Builds a .npy file by hand: any version, any header text, raw data. */
    private static byte[] npy(int major, String header, byte[] data) {
        byte[] text = (header + "\n").getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int pre = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(pre + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) b.putShort((short) text.length); else b.putInt(text.length);
        return b.put(text).put(data).array();
    }

    private static byte[] ints(ByteOrder order, int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    @Test
    void readsVersionsTwoAndThreeBigEndianAndFortranOrder() throws IOException {
        String h = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }";
        byte[] data = ints(ByteOrder.LITTLE_ENDIAN, 1, -2, 3);
        assertArrayEquals(new int[] {1, -2, 3}, Npy.fromBytes(npy(2, h, data)).toIntArray());
        assertArrayEquals(new int[] {1, -2, 3}, Npy.fromBytes(npy(3, h, data)).toIntArray());
        String big = "{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }";
        assertArrayEquals(new int[] {1, -2, 3}, Npy.fromBytes(npy(1, big, ints(ByteOrder.BIG_ENDIAN, 1, -2, 3)))
                .toIntArray());
        ByteBuffer f = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(0.5).putDouble(-1.5);
        Tensor d = Npy.fromBytes(npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", f.array()));
        assertArrayEquals(new double[] {0.5, -1.5}, d.toDoubleArray());
        // NumPy's bytes for np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3)), keys in another order
        String fortran = "{'shape': (2, 3), 'fortran_order': True, 'descr': '<i4'}";
        Tensor t = Npy.fromBytes(npy(1, fortran, ints(ByteOrder.LITTLE_ENDIAN, 0, 3, 1, 4, 2, 5)));
        assertEquals(Shape.of(2, 3), t.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, t.toIntArray());
        Tensor bools = Npy.fromBytes(npy(1, "{\"descr\": \"|b1\", \"fortran_order\": False, \"shape\": (3L,)}",
                new byte[] {0, 2, 1}));
        assertArrayEquals(new boolean[] {false, true, true}, (boolean[]) bools.toArray());
        assertArrayEquals(new byte[] {0, 1, 1}, (byte[]) bools.data(), "bool normalized to 0/1");
    }

    private static String error(byte[] bytes) {
        return assertThrows(IOException.class, () -> Npy.fromBytes(bytes)).getMessage();
    }

    @Test
    void corruptHeadersGiveClearErrors() {
        byte[] data = ints(ByteOrder.LITTLE_ENDIAN, 1, 2, 3);
        String ok = "'fortran_order': False, 'shape': (3,)";
        assertEquals("<bytes>: truncated: 4 bytes, shorter than the 10-byte .npy preamble",
                error(new byte[] {(byte) 0x93, 'N', 'U', 'M'}));
        assertEquals("<bytes>: not a .npy file (missing the \\x93NUMPY magic string)",
                error("PK\3\4 this is a zip file".getBytes(StandardCharsets.ISO_8859_1)));
        byte[] v4 = npy(1, "{'descr': '<i4', " + ok + "}", data);
        v4[6] = 4;
        assertEquals("<bytes>: unsupported .npy format version 4.0 (expected 1.0, 2.0 or 3.0)", error(v4));
        assertEquals("<bytes>: unsupported dtype descr '<c32'; supported: <f4, <f8, <i4, <i8, |u1, |b1, |i1, <i2, "
                + "<u2, <u4, <u8, <f2, <V2, <c8, <c16 (or '>' for big-endian)",
                error(npy(1, "{'descr': '<c32', " + ok + "}", data)));
        assertEquals("<bytes>: unsupported dtype descr '<U3'; supported: <f4, <f8, <i4, <i8, |u1, |b1, |i1, <i2, "
                + "<u2, <u4, <u8, <f2, <V2, <c8, <c16 (or '>' for big-endian)",
                error(npy(1, "{'descr': '<U3', " + ok + "}", data)));
        assertTrue(error(npy(1, "{'descr': [('a', '<f4')], " + ok + "}", data))
                .contains("lists are not supported (structured dtypes cannot be read)"));
        assertTrue(error(npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3), }", data))
                .contains("malformed header: '(n)' is an int, a 1-tuple is written '(n,)'"));
        assertTrue(error(npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (-3,), }", data))
                .contains("malformed header: expected a non-negative integer"));
        assertTrue(error(npy(1, "{'descr': '<i4', 'fortran_order': False 'shape': (3,), }", data))
                .contains("malformed header: expected ','"));
        assertTrue(error(npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), } junk", data))
                .contains("malformed header: unexpected text after the header dict"));
        assertTrue(error(npy(1, "{'descr': '<i4', 'fortran_order': 0, 'shape': (3,)}", data))
                .contains("header 'fortran_order' must be True or False, got 0"));
        assertTrue(error(npy(1, "{'descr': '<i4', 'shape': (3,)}", data)).endsWith("header lacks 'fortran_order'"));
        assertTrue(error(npy(1, "{'descr': '<i4', " + ok + ", 'extra': 1}", data))
                .endsWith("header has an unexpected key 'extra' (expected descr, fortran_order, shape)"));
        assertTrue(error(npy(1, "{'descr': '<i4', 'descr': '<i4', " + ok + "}", data))
                .endsWith("header repeats the key 'descr'"));
        assertTrue(error(npy(1, "{'descr': '<i4', 'fortran_order': __import__('os'), 'shape': (3,)}", data))
                .contains("malformed header: unsupported value"));
    }

    @Test
    void sizesAreCheckedAgainstTheRealLengthBeforeAllocating() {
        byte[] data = ints(ByteOrder.LITTLE_ENDIAN, 1, 2, 3);
        byte[] good = npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", data);
        assertEquals("<bytes>: truncated: shape (3,) of dtype int32 needs 12 data bytes but the file has 8 after "
                + "the header", error(Arrays.copyOf(good, good.length - 4)));
        assertEquals("<bytes>: size mismatch: shape (3,) of dtype int32 needs 12 data bytes but the file has 16 "
                + "after the header", error(Arrays.copyOf(good, good.length + 4)));
        // A header claiming a huge shape must fail on the size check, not try to allocate 8 * 10^9 bytes.
        assertEquals("<bytes>: truncated: shape (1000000, 1000) of dtype float64 needs 8000000000 data bytes "
                + "but the file has 12 after the header",
                error(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000), }", data)));
        assertTrue(error(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", data))
                .contains("has more elements than one tensor holds"));
        assertTrue(error(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}", data))
                .contains("is too large"));
        byte[] longHeader = Arrays.copyOf(good, 40);
        assertEquals("<bytes>: header length " + (good.length - 10 - 12) + " runs past the end of the file (40 "
                + "bytes)", error(longHeader));
        byte[] v2 = npy(2, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", data);
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1); // 4 GiB header claimed
        assertEquals("<bytes>: header length 4294967295 runs past the end of the file (" + v2.length + " bytes)",
                error(v2));
        byte[] noNewline = npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", data);
        noNewline[noNewline.length - 13] = ' ';
        assertEquals("<bytes>: header does not end with a newline", error(noNewline));
    }

    @Test
    void fileErrorsNameTheFile() throws IOException {
        Path p = dir.resolve("broken.npy");
        byte[] good = Npy.toBytes(Tensors.of(new double[] {1, 2, 3}));
        Files.write(p, Arrays.copyOf(good, good.length - 1));
        IOException e = assertThrows(IOException.class, () -> Npy.read(p));
        assertEquals(p + ": truncated: shape (3,) of dtype float64 needs 24 data bytes but the file has 23 after "
                + "the header", e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Npy.read(dir.resolve("missing.npy")));
    }

    @Test
    void writesAreAtomicAndLeaveNoTemporaryFiles() throws IOException {
        Path p = dir.resolve("w.npy");
        Npy.write(Tensors.of(new int[] {1, 2}), p);
        Npy.write(Tensors.of(new int[] {3, 4, 5}), p); // replaces the old file
        assertArrayEquals(new int[] {3, 4, 5}, Npy.read(p).toIntArray());
        Path sub = Files.createDirectories(dir.resolve("occupied.npy"));
        Files.writeString(sub.resolve("x"), "keeps the directory non-empty");
        assertThrows(IOException.class, () -> Npy.write(Tensors.of(new int[] {1}), sub));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("occupied.npy", "w.npy"), files.map(f -> f.getFileName().toString()).sorted()
                    .toList());
        }
    }

    // ---------------------------------------------------------------- interoperability with real NumPy

    private static boolean numpyAvailable() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String python(Path cwd, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", script).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), "python failed:\n" + out);
        return out;
    }

    @Test
    void numpyAndNablaReadEachOthersFiles() throws IOException, InterruptedException {
        Assumptions.assumeTrue(numpyAvailable(), "skipped: " + PYTHON + " with numpy is not available");
        python(dir, """
                import numpy as np
                np.save('f32.npy', np.array([[1.5, -2.25, 3e38], [1e-45, 0.1, -0.0]], dtype='<f4'))
                np.save('f64.npy', np.linspace(-1, 1, 7))
                np.save('i32.npy', np.arange(-6, 6, dtype='<i4').reshape(2, 3, 2))
                np.save('i64.npy', np.array([-2**63, 2**63 - 1, 2**40], dtype='<i8'))
                np.save('u8.npy', np.array([0, 1, 200, 255], dtype=np.uint8))
                np.save('b.npy', np.array([[True, False, True]]))
                np.save('scalar.npy', np.float32(2.5))
                np.save('empty.npy', np.zeros((0, 3), dtype='<f8'))
                np.save('big.npy', np.arange(6, dtype='>i8').reshape(3, 2))
                np.save('fortran.npy', np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4)))
                """);
        assertArrayEquals(new float[] {1.5f, -2.25f, 3e38f, 1e-45f, 0.1f, -0f}, Npy.read(dir.resolve("f32.npy"))
                .toFloatArray());
        double[] lin = new double[7];
        for (int i = 0; i < 7; i++) lin[i] = -1 + i / 3.0;
        Tensor f64 = Npy.read(dir.resolve("f64.npy"));
        assertEquals(DType.FLOAT64, f64.dtype());
        for (int i = 0; i < 7; i++) assertEquals(lin[i], f64.toDoubleArray()[i], 1e-15);
        Tensor i32 = Npy.read(dir.resolve("i32.npy"));
        assertEquals(Shape.of(2, 3, 2), i32.shape());
        assertArrayEquals(new int[] {-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5}, i32.toIntArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40}, Npy.read(dir.resolve("i64.npy"))
                .toLongArray());
        Tensor u8 = Npy.read(dir.resolve("u8.npy"));
        assertEquals(DType.UINT8, u8.dtype());
        assertArrayEquals(new long[] {0, 1, 200, 255}, u8.toLongArray());
        Tensor b = Npy.read(dir.resolve("b.npy"));
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new boolean[][] {{true, false, true}}, (boolean[][]) b.toArray());
        Tensor scalar = Npy.read(dir.resolve("scalar.npy"));
        assertEquals(Shape.SCALAR, scalar.shape());
        assertEquals(2.5f, scalar.floatValue());
        assertEquals(Shape.of(0, 3), Npy.read(dir.resolve("empty.npy")).shape());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, Npy.read(dir.resolve("big.npy")).toLongArray());
        float[] seq = new float[24];
        for (int i = 0; i < 24; i++) seq[i] = i;
        Tensor fortran = Npy.read(dir.resolve("fortran.npy"));
        assertEquals(Shape.of(2, 3, 4), fortran.shape());
        assertArrayEquals(seq, fortran.toFloatArray());

        int k = 0;
        StringBuilder checks = new StringBuilder("import numpy as np\nimport math\nimport io\n");
        for (Tensor t : samples()) {
            String file = "nabla" + k++ + ".npy";
            Npy.write(t, dir.resolve(file));
            checks.append("a = np.load('").append(file).append("')\n")
                    .append("assert a.dtype == np.dtype('").append(numpyDType(t.dtype())).append("'), a.dtype\n")
                    .append("assert a.shape == ").append(t.shape()).append(", a.shape\n")
                    .append("assert a.flags['C_CONTIGUOUS']\n")
                    .append("expected = ").append(pythonList(t)).append("\n")
                    .append("got = a.ravel().tolist()\n")
                    .append("assert len(got) == len(expected)\n")
                    .append("for x, y in zip(got, expected):\n")
                    .append("    assert x == y or (x != x and y != y), (x, y)\n")
                    .append("buf = io.BytesIO()\nnp.save(buf, a)\n")
                    .append("assert buf.getvalue() == open('").append(file).append("', 'rb').read(), 'bytes differ'\n");
        }
        checks.append("print('ok')\n");
        assertEquals("ok", python(dir, checks.toString()).strip());
    }

    private static String numpyDType(DType d) { return d == DType.BOOL ? "bool" : d.pythonName(); }

    /** The tensor's elements as a Python list literal, exact (floats via float.fromhex). */
    private static String pythonList(Tensor t) {
        StringBuilder sb = new StringBuilder("[");
        switch (t.dtype()) {
            case FLOAT32, FLOAT64 -> {
                for (double v : t.toDoubleArray()) {
                    sb.append(Double.isNaN(v) ? "float('nan')" : Double.isInfinite(v) ? (v > 0 ? "math.inf"
                            : "-math.inf") : "float.fromhex('" + Double.toHexString(v) + "')").append(", ");
                }
            }
            case BOOL -> { for (long v : t.toLongArray()) sb.append(v != 0 ? "True" : "False").append(", "); }
            default -> { for (long v : t.toLongArray()) sb.append(v).append(", "); }
        }
        return sb.append(']').toString();
    }
}
