package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.io.Npy;
import org.nabla.runtime.Session;

/**
 * The integer dtypes int8, int16, uint16, uint32 and uint64: creation, printing, .npy and graph files, casts, errors
 * and gradients, with the BigInteger reference helpers {@link IntegerDTypesMathTest} shares (values wrap to the
 * dtype's width as in NumPy; uint64 values above Long.MAX_VALUE are held as their bits).
 */
class IntegerDTypesTest {
    static final List<DType> NEW = List.of(DType.INT8, DType.INT16, DType.UINT16, DType.UINT32, DType.UINT64);
    static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- reference arithmetic

    static int bits(DType d) { return 8 * d.byteSize(); }

    /** The mathematical value of an element as {@link Tensor#toLongArray()} returns it (uint64 bits read unsigned). */
    static BigInteger value(DType d, long v) {
        BigInteger b = BigInteger.valueOf(v);
        return d == DType.UINT64 && v < 0 ? b.add(TWO_64) : b;
    }

    /** {@code v} wrapped to the dtype's range, as toLongArray would return it. */
    static long wrap(DType d, BigInteger v) {
        BigInteger m = BigInteger.ONE.shiftLeft(bits(d));
        BigInteger r = v.mod(m);
        if (!d.isUnsigned() && r.testBit(bits(d) - 1)) r = r.subtract(m);
        return r.longValue();
    }

    static long[] randomValues(DType d, Random rnd, int n) {
        long[] special = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << (bits(d) - 1), (1L << (bits(d) - 1)) - 1};
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            long raw = rnd.nextInt(4) == 0 ? special[rnd.nextInt(special.length)] : rnd.nextLong();
            if (rnd.nextInt(3) == 0) raw = rnd.nextInt(7) - 3; // small values too, for ties and signs
            v[i] = wrap(d, BigInteger.valueOf(raw));
        }
        return v;
    }

    static Tensor tensor(DType d, long[] values, int... shape) {
        return Ops.reshape(Tensors.convert(values, d), shape);
    }

    static long[] longs(Tensor t) { return t.toLongArray(); }

    // ---------------------------------------------------------------- dtype, creation, printing

    @Test
    void dtypesNameTheirStorageAndParse() {
        assertEquals(List.of("int8", "int16", "uint16", "uint32", "uint64"), NEW.stream().map(DType::pythonName)
                .toList());
        assertEquals(List.of(1, 2, 2, 4, 8), NEW.stream().map(DType::byteSize).toList());
        assertEquals(List.of(DType.Storage.BYTE, DType.Storage.SHORT, DType.Storage.SHORT, DType.Storage.INT,
                DType.Storage.LONG), NEW.stream().map(DType::storage).toList());
        for (DType d : NEW) {
            assertTrue(d.isInteger() && d.isNumeric() && !d.isFloating(), d.toString());
            assertEquals(d, DType.of(d.pythonName()));
            assertEquals(d, DType.of(d.name()));
        }
        assertEquals(List.of(DType.UINT16, DType.UINT32, DType.UINT64), NEW.stream().filter(DType::isUnsigned).toList());
        assertTrue(DType.UINT8.isUnsigned());
        assertFalse(DType.INT32.isUnsigned() || DType.BOOL.isUnsigned() || DType.BOOL.isInteger());
        assertEquals("unknown dtype 'int128', expected one of float32, float64, int32, int64, uint8, bool, int8, int16,"
                + " uint16, uint32, uint64, float16, bfloat16, string, complex64, complex128, float8_e4m3fn, float8_e4m3fnuz,"
                + " float8_e5m2, float8_e5m2fnuz, uint4, int4, float4_e2m1fn, uint2, int2",
                assertThrows(IllegalArgumentException.class, () -> DType.of("int128")).getMessage());
    }

    @Test
    void creationConvertsAndWraps() {
        Tensor s = Tensors.of(new short[][] {{-32768, 5}, {7, 32767}});
        assertEquals(DType.INT16, s.dtype());
        assertArrayEquals(new short[][] {{-32768, 5}, {7, 32767}}, (short[][]) s.toArray());
        assertArrayEquals(new long[] {-56, 127, -128}, longs(Tensors.convert(new int[] {200, 127, 128}, DType.INT8)));
        assertArrayEquals(new long[] {65535, 1}, longs(Tensors.convert(new long[] {-1, 65537}, DType.UINT16)));
        assertArrayEquals(new long[] {4294967295L, 3}, longs(Tensors.convert(new long[] {-1, 3}, DType.UINT32)));
        Tensor u64 = Tensors.convert(new long[] {-1, Long.MIN_VALUE}, DType.UINT64);
        assertArrayEquals(new long[] {-1, Long.MIN_VALUE}, longs(u64)); // the bits
        assertArrayEquals(new double[] {0x1p64, 0x1p63}, u64.toDoubleArray()); // the unsigned values
        assertEquals(0x1p63, Tensors.convert(0x1p63, DType.UINT64).doubleValue()); // from a double above 2^63
        assertEquals(4294967295L, Tensors.convert(-1, DType.UINT32).longValue());
        assertEquals(-1, Tensors.convert(-1, DType.UINT32).intValue()); // the int holding the bits
        assertEquals(65535.0, Tensors.convert(-1, DType.UINT16).getDouble());
        assertArrayEquals(new int[] {-1, 7}, (int[]) Tensors.convert(new long[] {4294967295L, 7}, DType.UINT32)
                .toArray());
        assertEquals((byte) -3, Tensors.convert((byte) -3, DType.INT8).toArray());
        for (DType d : NEW) {
            assertEquals(d, Ops.zeros(d, 2, 3).dtype());
            assertArrayEquals(new long[6], longs(Ops.zeros(d, 2, 3)));
            assertArrayEquals(new long[] {1, 1, 1, 1}, longs(Ops.ones(d, 2, 2)));
            Tensor seven = Ops.fill(Tensors.convert(7, d), 3);
            assertEquals(d, seven.dtype());
            assertArrayEquals(new long[] {7, 7, 7}, longs(seven));
            assertArrayEquals(new long[] {1, 1}, longs(Ops.onesLike(Ops.zeros(d, 2))));
            assertEquals(d, Ops.constant(Tensors.convert(3, d)).dtype());
            assertEquals(Shape.of(0, 2), Ops.zeros(d, 0, 2).shape());
            assertArrayEquals(new long[] {1, 0, 0, 1}, longs(Ops.eye(2, 2, d)));
            Tensor range = Ops.range(10, 0, -3, d);
            assertEquals(d, range.dtype());
            assertArrayEquals(new long[] {10, 7, 4, 1}, longs(range));
        }
        assertArrayEquals(new long[] {-128, -43, 42, 127}, longs(Ops.range(-128, 128, 85, DType.INT8)));
        assertTrue(assertThrows(OpException.class, () -> Ops.range(0, 300, 100, DType.INT8)).getMessage()
                .contains("do not fit dtype int8"));
        assertTrue(assertThrows(OpException.class, () -> Ops.range(-1, 2, 1, DType.UINT16)).getMessage()
                .contains("do not fit dtype uint16"));
        assertEquals("a int16 tensor is backed by a short[] array, got int[]", assertThrows(
                IllegalArgumentException.class, () -> Tensor.wrap(DType.INT16, Shape.of(1), new int[1])).getMessage());
    }

    @Test
    void printsLikeNumPy() {
        assertEquals("tf.Tensor([-128    0  127], shape=(3,), dtype=int8)", Tensors.convert(new int[] {-128, 0, 127},
                DType.INT8).toString());
        assertEquals("tf.Tensor(\n[[    0 65535]\n [    7   300]], shape=(2, 2), dtype=uint16)",
                tensor(DType.UINT16, new long[] {0, 65535, 7, 300}, 2, 2).toString());
        assertEquals("tf.Tensor([-32768      5], shape=(2,), dtype=int16)", Tensors.of(new short[] {-32768, 5})
                .toString());
        assertEquals("tf.Tensor([         0 4294967295], shape=(2,), dtype=uint32)", Tensors.convert(
                new long[] {0, 4294967295L}, DType.UINT32).toString());
        assertEquals("tf.Tensor([                   0 18446744073709551615  9223372036854775808], shape=(3,), "
                + "dtype=uint64)", Tensors.convert(new long[] {0, -1, Long.MIN_VALUE}, DType.UINT64).toString());
        assertEquals("tf.Tensor(18446744073709551615, shape=(), dtype=uint64)", Tensors.convert(-1L, DType.UINT64)
                .toString());
        long[] big = new long[2000];
        for (int i = 0; i < big.length; i++) big[i] = i * (1L << 53);
        assertEquals("tf.Tensor(\n[                   0     9007199254740992    18014398509481984 ...\n"
                + " 17987376911717761024 17996384110972502016 18005391310227243008], shape=(2000,), dtype=uint64)",
                Tensors.convert(big, DType.UINT64).toString());
    }

    // ---------------------------------------------------------------- files

    @Test
    void npyRoundTripsEveryNewDTypeInBothByteOrders() throws IOException {
        Random rnd = new Random(1);
        for (DType d : NEW) {
            long[] v = randomValues(d, rnd, 12);
            Tensor t = tensor(d, v, 3, 4);
            Path file = dir.resolve(d + ".npy");
            Npy.write(t, file);
            Tensor back = Npy.read(file);
            assertEquals(d, back.dtype());
            assertEquals(t.shape(), back.shape());
            assertArrayEquals(v, longs(back));
            Tensor view = Npy.read(writeThenRead(t.transpose(), d + "T.npy"));
            assertArrayEquals(longs(t.transpose()), longs(view));
        }
        // A big-endian uint16 and uint32 written by hand.
        byte[] be = npy("{'descr': '>u2', 'fortran_order': False, 'shape': (2,), }", new byte[] {(byte) 0xff, (byte) 0xfe,
            0, 1});
        assertArrayEquals(new long[] {65534, 1}, longs(Npy.fromBytes(be)));
        byte[] be4 = npy("{'descr': '>u4', 'fortran_order': False, 'shape': (1,), }", new byte[] {(byte) 0xff, 0, 0, 2});
        assertArrayEquals(new long[] {0xff000002L}, longs(Npy.fromBytes(be4)));
        byte[] i1 = npy("{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }", new byte[] {(byte) 0x80, 5});
        assertArrayEquals(new long[] {-128, 5}, longs(Npy.fromBytes(i1)));
    }

    private Path writeThenRead(Tensor t, String name) throws IOException {
        Path p = dir.resolve(name);
        Npy.write(t, p);
        return p;
    }

    /** A version 1.0 .npy file with the given header dict (padded as NumPy pads it) and data bytes. */
    private static byte[] npy(String dict, byte[] data) {
        int len = 10 + dict.length() + 1;
        int pad = (64 - len % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] out = new byte[10 + header.length() + data.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
        System.arraycopy(magic, 0, out, 0, 8);
        out[8] = (byte) header.length();
        out[9] = (byte) (header.length() >> 8);
        System.arraycopy(header.getBytes(StandardCharsets.ISO_8859_1), 0, out, 10, header.length());
        System.arraycopy(data, 0, out, 10 + header.length(), data.length);
        return out;
    }

    @Test
    void numpyAndNablaReadEachOthersIntegerFiles() throws IOException, InterruptedException {
        Assumptions.assumeTrue(numpyAvailable(), "skipped: " + PYTHON + " with numpy is not available");
        python("""
                import numpy as np
                np.save('i1.npy', np.array([-128, -1, 0, 127], dtype='i1'))
                np.save('i2.npy', np.array([[-32768, 2], [3, 32767]], dtype='<i2'))
                np.save('i2be.npy', np.array([-2, 300], dtype='>i2'))
                np.save('u2.npy', np.array([0, 65535, 40000], dtype='<u2'))
                np.save('u4.npy', np.array([0, 4294967295, 2**31], dtype='<u4'))
                np.save('u4be.npy', np.array([4294967294, 1], dtype='>u4'))
                np.save('u8.npy', np.array([0, 2**64 - 1, 2**63, 12345], dtype='<u8'))
                np.save('u8be.npy', np.array([2**64 - 2], dtype='>u8'))
                np.save('u8f.npy', np.asfortranarray(np.arange(6, dtype='<u8').reshape(2, 3) + 2**63))
                """);
        assertRead("i1.npy", DType.INT8, -128, -1, 0, 127);
        assertRead("i2.npy", DType.INT16, -32768, 2, 3, 32767);
        assertRead("i2be.npy", DType.INT16, -2, 300);
        assertRead("u2.npy", DType.UINT16, 0, 65535, 40000);
        assertRead("u4.npy", DType.UINT32, 0, 4294967295L, 1L << 31);
        assertRead("u4be.npy", DType.UINT32, 4294967294L, 1);
        assertRead("u8.npy", DType.UINT64, 0, -1, Long.MIN_VALUE, 12345);
        assertRead("u8be.npy", DType.UINT64, -2);
        assertRead("u8f.npy", DType.UINT64, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE + 2,
                Long.MIN_VALUE + 3, Long.MIN_VALUE + 4, Long.MIN_VALUE + 5);

        StringBuilder checks = new StringBuilder("import numpy as np\nimport io\n");
        Random rnd = new Random(5);
        for (DType d : NEW) {
            long[] v = randomValues(d, rnd, 6);
            Npy.write(tensor(d, v, 2, 3), dir.resolve("n" + d + ".npy"));
            StringBuilder list = new StringBuilder("[");
            for (long x : v) list.append(d == DType.UINT64 ? Long.toUnsignedString(x) : Long.toString(x)).append(", ");
            checks.append("a = np.load('n").append(d).append(".npy')\n")
                    .append("assert a.dtype == np.dtype('").append(d.pythonName()).append("'), a.dtype\n")
                    .append("assert a.shape == (2, 3), a.shape\n")
                    .append("assert a.ravel().tolist() == ").append(list).append("], a\n")
                    .append("buf = io.BytesIO()\nnp.save(buf, a)\n")
                    .append("assert buf.getvalue() == open('n").append(d).append(".npy', 'rb').read(), 'bytes'\n");
        }
        checks.append("print('ok')\n");
        assertEquals("ok", python(checks.toString()).strip());
    }

    private void assertRead(String file, DType d, long... expected) throws IOException {
        Tensor t = Npy.read(dir.resolve(file));
        assertEquals(d, t.dtype(), file);
        assertArrayEquals(expected, longs(t), file);
    }

    private static boolean numpyAvailable() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private String python(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), "python failed:\n" + out);
        return out;
    }

    @Test
    void graphFilesKeepNewDTypesAndRunTheirOps() throws IOException {
        Graph g = new Graph();
        Tensor sum;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor a = g.constant("a", Tensors.convert(new long[] {-1, 5}, DType.UINT64));
            Tensor b = g.constant("b", Tensors.convert(new long[] {2, 3}, DType.UINT64));
            g.constant("i8", Tensors.convert(new int[] {-128, 127}, DType.INT8));
            g.constant("i16", Tensors.of(new short[] {-3}));
            g.constant("u16", Tensors.convert(new int[] {65535}, DType.UINT16));
            g.constant("u32", Tensors.convert(new long[] {4294967295L}, DType.UINT32));
            sum = Ops.floorDiv(a, b);
        }
        Path file = dir.resolve("g.nabla");
        GraphIO.write(g, file);
        Graph back = GraphIO.read(file);
        try (Session session = new Session(back)) {
            Tensor r = session.run(back.tensor(g.outputOf(sum).toString()));
            assertEquals(DType.UINT64, r.dtype());
            assertArrayEquals(new long[] {Long.MAX_VALUE, 1}, longs(r)); // (2^64 - 1) / 2 unsigned
            assertArrayEquals(new long[] {-128, 127}, longs(session.run(back.tensor("i8"))));
            assertEquals(DType.INT8, session.run(back.tensor("i8")).dtype());
            assertArrayEquals(new long[] {-3}, longs(session.run(back.tensor("i16"))));
            assertArrayEquals(new long[] {65535}, longs(session.run(back.tensor("u16"))));
            assertArrayEquals(new long[] {4294967295L}, longs(session.run(back.tensor("u32"))));
        }
    }

    // ---------------------------------------------------------------- cast

    @Test
    void castWrapsTruncatesAndReadsUnsigned() {
        Tensor i32 = Tensors.of(new int[] {200, -129, 65536 + 7, -1});
        assertArrayEquals(new long[] {-56, 127, 7, -1}, longs(i32.cast(DType.INT8)));
        assertArrayEquals(new long[] {200, -129, 7, -1}, longs(i32.cast(DType.INT16)));
        assertArrayEquals(new long[] {200, 65407, 7, 65535}, longs(i32.cast(DType.UINT16)));
        assertArrayEquals(new long[] {200, 4294967167L, 65543, 4294967295L}, longs(i32.cast(DType.UINT32)));
        assertArrayEquals(new long[] {200, -129, 65543, -1}, longs(i32.cast(DType.UINT64)));
        Tensor f = Tensors.of(new double[] {-3.7, 3.7, 65535.9, -0.5, Double.NaN});
        assertArrayEquals(new long[] {-3, 3, -1, 0, 0}, longs(f.cast(DType.INT8))); // 65535 wraps to -1 in int8
        assertArrayEquals(new long[] {65533, 3, 65535, 0, 0}, longs(f.cast(DType.UINT16)));
        assertArrayEquals(new long[] {-3, 3, -1, 0, 0}, longs(f.cast(DType.INT16)));
        assertArrayEquals(new long[] {4294967293L, 3, 65535, 0, 0}, longs(f.cast(DType.UINT32)));
        Tensor big = Tensors.of(new double[] {0x1p63, 0x1p64 - 2048, 1e30, 12.9});
        assertArrayEquals(new long[] {Long.MIN_VALUE, -2048, -1, 12}, longs(big.cast(DType.UINT64)));
        // float32 too: 2^64 and above saturate at 2^64 - 1
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, -1, 12}, longs(Tensors.of(new float[] {0x1p63f, 0x1p64f,
            1e30f, 12.9f}).cast(DType.UINT64)));
        Tensor umax = Tensors.convert(new long[] {-1, Long.MIN_VALUE, 5}, DType.UINT64);
        assertArrayEquals(new double[] {0x1p64, 0x1p63, 5}, umax.cast(DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new float[] {0x1p64f, 0x1p63f, 5}, umax.cast(DType.FLOAT32).toFloatArray());
        assertArrayEquals(new long[] {-1, Long.MIN_VALUE, 5}, longs(umax.cast(DType.INT64)));
        assertArrayEquals(new long[] {4294967295L, 0, 5}, longs(umax.cast(DType.UINT32)));
        assertArrayEquals(new long[] {255, 0, 5}, longs(umax.cast(DType.UINT8)));
        assertArrayEquals(new long[] {1, 1, 1}, longs(umax.cast(DType.BOOL)));
        Tensor u32 = Tensors.convert(new long[] {4294967295L, 1L << 31, 0}, DType.UINT32);
        assertArrayEquals(new double[] {4294967295.0, 2147483648.0, 0}, u32.cast(DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new long[] {4294967295L, 1L << 31, 0}, longs(u32.cast(DType.INT64)));
        assertArrayEquals(new long[] {-1, Integer.MIN_VALUE, 0}, longs(u32.cast(DType.INT32)));
        assertArrayEquals(new long[] {-1, 0, 0}, longs(u32.cast(DType.INT16)));
        assertArrayEquals(new long[] {1, 1, 0}, longs(u32.cast(DType.BOOL)));
        Tensor u8 = Tensors.convert(new int[] {255, 128}, DType.UINT8);
        assertArrayEquals(new long[] {-1, -128}, longs(u8.cast(DType.INT8)));
        assertArrayEquals(new long[] {255, 128}, longs(u8.cast(DType.INT8).cast(DType.UINT8)));
        assertArrayEquals(new long[] {-1, -128}, longs(u8.cast(DType.INT8).cast(DType.INT64)));
        assertArrayEquals(new long[] {65535, 65408}, longs(u8.cast(DType.INT8).cast(DType.UINT16)));
        Tensor bools = Tensors.of(new boolean[] {true, false});
        for (DType d : NEW) {
            assertArrayEquals(new long[] {1, 0}, longs(bools.cast(d)), d.toString());
            assertEquals(d, Ops.zeros(DType.FLOAT32, 0).cast(d).dtype());
        }
        // Large enough to split across threads.
        int n = 100_003;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = i - n / 2;
        long[] want = new long[n];
        for (int i = 0; i < n; i++) want[i] = (short) v[i];
        assertArrayEquals(want, longs(Tensors.of(v, n).cast(DType.INT16)));
    }

    // ---------------------------------------------------------------- errors, gradients

    @Test
    void unsupportedOpsSayWhichOpAndDType() {
        Tensor i8 = Tensors.convert(new int[][] {{1, 2}, {3, 4}}, DType.INT8);
        OpException matmul = assertThrows(OpException.class, () -> Ops.matmul(i8, i8));
        assertTrue(matmul.getMessage().contains("MatMul") && matmul.getMessage().contains("int8"), matmul.getMessage());
        OpException exp = assertThrows(OpException.class, () -> Ops.exp(Tensors.convert(3, DType.UINT16)));
        assertTrue(exp.getMessage().contains("Exp") && exp.getMessage().contains("uint16"), exp.getMessage());
        OpException div = assertThrows(OpException.class, () -> Tensors.convert(new long[] {-1}, DType.UINT64)
                .div(Tensors.convert(new long[] {0}, DType.UINT64)));
        assertTrue(div.getMessage().startsWith("Div: integer division by zero"), div.getMessage());
        OpException mod = assertThrows(OpException.class, () -> Tensors.of(new short[] {4}).mod(
                Tensors.of(new short[] {0})));
        assertTrue(mod.getMessage().startsWith("Mod: integer division by zero"), mod.getMessage());
        OpException pow = assertThrows(OpException.class, () -> Tensors.convert(2, DType.INT8).pow(
                Tensors.convert(-1, DType.INT8)));
        assertTrue(pow.getMessage().contains("negative power") && pow.getMessage().contains("-1"), pow.getMessage());
        // an unsigned exponent is never negative: 2^(2^64 - 1) wraps to 0
        assertEquals(0, Tensors.convert(2, DType.UINT64).pow(Tensors.convert(-1L, DType.UINT64)).longValue());
        OpException mixed = assertThrows(OpException.class, () -> Ops.add(i8, Tensors.convert(new int[][] {{1, 2},
            {3, 4}}, DType.UINT8)));
        assertTrue(mixed.getMessage().contains("int8") && mixed.getMessage().contains("uint8"), mixed.getMessage());
    }

    @Test
    void integerDTypesCarryNoGradient() {
        for (DType d : NEW) {
            Tensor x = Tensors.convert(new int[] {1, 2}, d);
            try (org.nabla.autodiff.GradientTape tape = new org.nabla.autodiff.GradientTape()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.watch(x));
                assertTrue(e.getMessage().contains(d.toString()), e.getMessage());
            }
            Tensor f = Tensors.of(new float[] {1.5f, 2.5f});
            try (org.nabla.autodiff.GradientTape tape = new org.nabla.autodiff.GradientTape()) {
                tape.watch(f);
                Tensor y = Ops.sum(Ops.mul(Ops.cast(Ops.cast(f, d), DType.FLOAT32), f));
                Tensor g = tape.gradient(y, f);
                // d/df of cast(cast(f, int)) * f: the integer path is constant, so the gradient is cast(f) = [1, 2]
                assertArrayEquals(new float[] {1, 2}, g.toFloatArray(), d.toString());
            }
        }
    }
}
