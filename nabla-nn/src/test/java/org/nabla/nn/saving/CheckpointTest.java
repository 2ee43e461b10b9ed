package org.nabla.nn.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;

class CheckpointTest {
    @TempDir Path dir;

    static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("dense/kernel", Tensors.of(new float[] {1.5f, -2f, Float.NaN, -0f, Float.MAX_VALUE, 1e-40f}, 2, 3));
        m.put("dense/bias", Tensors.of(new double[] {Math.PI, Double.NEGATIVE_INFINITY}, 2));
        m.put("step", Tensors.scalar(42L));
        m.put("counts", Tensors.of(new int[] {7, -8, Integer.MIN_VALUE}, 3));
        m.put("pixels", Tensor.wrap(DType.UINT8, Shape.of(2, 2), new byte[] {0, 127, (byte) 200, (byte) 255}));
        m.put("mask", Tensor.wrap(DType.BOOL, Shape.of(3), new byte[] {1, 0, 1}));
        m.put("empty", Tensor.wrap(DType.FLOAT32, Shape.of(0, 4), new float[0]));
        m.put("名前 with spaces", Tensors.scalar(1f));
        // a transposed (strided) view is saved as its dense row-major values
        m.put("transposed", Ops.transpose(Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), 1, 0));
        return m;
    }

    static void assertSameTensor(String name, Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), name);
        assertEquals(expected.shape(), actual.shape(), name);
        switch (expected.dtype().storage()) {
            case FLOAT -> {
                float[] e = expected.toFloatArray();
                float[] a = actual.toFloatArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), name + "[" + i + "]");
                }
            }
            case DOUBLE -> {
                double[] e = expected.toDoubleArray();
                double[] a = actual.toDoubleArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), name);
                }
            }
            case INT -> assertArrayEquals(expected.toIntArray(), actual.toIntArray(), name);
            case LONG -> assertArrayEquals(expected.toLongArray(), actual.toLongArray(), name);
            case BYTE -> assertArrayEquals(expected.toByteArray(), actual.toByteArray(), name);
            case SHORT -> assertArrayEquals(expected.toShortArray(), actual.toShortArray(), name);
            case COMPLEX64, COMPLEX128 -> {   // both parts of every element, bit for bit
                double[] e = expected.toComplexArray();
                double[] a = actual.toComplexArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), name);
                }
            }
            case STRING -> assertArrayEquals(expected.toStringArray(), actual.toStringArray(), name);
        }
    }

    @Test
    void roundTripKeepsTheSmallIntegerUnsignedAndComplexDTypes() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("i8", Tensors.convert(new int[] {-128, 0, 127}, DType.INT8));
        m.put("i16", Tensors.of(new short[] {-32768, 1, 32767}));
        m.put("u16", Tensors.convert(new int[] {0, 40000, 65535}, DType.UINT16));
        m.put("u32", Tensors.convert(new long[] {0, 1L << 31, 4294967295L}, DType.UINT32));
        m.put("u64", Tensors.convert(new long[] {0, Long.MIN_VALUE, -1}, DType.UINT64));
        m.put("c64", Tensors.complex(new float[] {1, -0f, Float.NaN}, new float[] {2, 3, Float.NEGATIVE_INFINITY}));
        m.put("c128", Tensors.complex(new double[] {1e-300, 4}, new double[] {-5, 1e300}, 2, 1));
        Path f = dir.resolve("ints.nckpt");
        Checkpoint.save(f, m);
        Map<String, Tensor> back = Checkpoint.load(f);
        for (String k : m.keySet()) {
            assertSameTensor(k, m.get(k), back.get(k));
            if (!m.get(k).dtype().isComplex()) assertArrayEquals(m.get(k).toLongArray(), back.get(k).toLongArray(), k);
        }
    }

    @Test
    void roundTripKeepsEveryDTypeBitForBitAndTheOrder() throws IOException {
        Map<String, Tensor> m = sample();
        Path f = dir.resolve("model.nckpt");
        Checkpoint.save(f, m);
        Map<String, Tensor> back = Checkpoint.load(f);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()));
        for (String k : m.keySet()) assertSameTensor(k, m.get(k), back.get(k));
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.get("transposed").toFloatArray());
        // only the checkpoint is left in the folder: no temporary files
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    @Test
    void headerIsTheDocumentedLayout() {
        byte[] b = Checkpoint.toBytes(Map.of("x", Tensors.scalar(1f)));
        assertEquals("NABLACKP", new String(b, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, h.getInt(8));        // version
        assertEquals(1, h.getInt(12));       // entries
        assertEquals(b.length, h.getLong(16)); // file length
        // the entry: body length, name "x", dtype 1 (float32), rank 0, 4 data bytes, 1.0f, crc
        assertEquals(4 + 1 + 1 + 4 + 8 + 4, h.getInt(24));
        assertEquals(1, h.getInt(28));
        assertEquals('x', b[32]);
        assertEquals(1, b[33]);
        assertEquals(0, h.getInt(34));
        assertEquals(4L, h.getLong(38));
        assertEquals(1f, h.getFloat(46));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, 28, 22);
        assertEquals((int) crc.getValue(), h.getInt(50));
        crc.reset();
        crc.update(b, 0, b.length - 4);
        assertEquals((int) crc.getValue(), h.getInt(b.length - 4));
    }

    @Test
    void unknownDTypeCodeNamesTheEntryAndTheKnownCodes() {
        byte[] b = Checkpoint.toBytes(Map.of("x", Tensors.scalar(1f)));
        b[33] = 99; // the dtype byte of entry "x" (layout above); then both checksums made right again
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, 28, 22);
        h.putInt(50, (int) crc.getValue());
        crc.reset();
        crc.update(b, 0, b.length - 4);
        h.putInt(b.length - 4, (int) crc.getValue());
        IOException e = assertThrows(IOException.class, () -> Checkpoint.fromBytes(b, "w.nckpt"));
        assertEquals("w.nckpt: corrupted checkpoint: entry 'x' has unknown dtype code 99 (known codes: 1 float32, "
                + "2 float64, 3 int32, 4 int64, 5 uint8, 6 bool, 7 int8, 8 int16, 9 uint16, 10 uint32, 11 uint64, "
                + "12 float16, 13 bfloat16, 14 string, 15 complex64, 16 complex128, 17 float8_e4m3fn, 18 float8_e4m3fnuz, "
                + "19 float8_e5m2, 20 float8_e5m2fnuz, 21 uint4, 22 int4, 23 float4_e2m1fn, 24 uint2, 25 int2)",
                e.getMessage());
    }

    @Test
    void everyFlippedByteIsDetectedWithTheFileNamed() throws IOException {
        byte[] good = Checkpoint.toBytes(sample());
        Path f = dir.resolve("flipped.nckpt");
        Random rnd = new Random(7);
        for (int pos = 0; pos < good.length; pos++) {
            byte[] bad = good.clone();
            bad[pos] ^= (byte) (1 + rnd.nextInt(255));
            Files.write(f, bad);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(f), "flip at " + pos);
            assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
        }
    }

    @Test
    void aFlipInsideAnEntrySaysWhichEntry() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensors.of(new float[] {1, 2, 3}, 3));
        m.put("b", Tensors.of(new float[] {4, 5, 6}, 3));
        byte[] b = Checkpoint.toBytes(m);
        b[b.length - 8] ^= 1; // last data byte of entry "b"
        Path f = dir.resolve("c.nckpt");
        Files.write(f, b);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(f));
        assertEquals(f + ": corrupted checkpoint: checksum mismatch in entry 'b'", e.getMessage().replaceAll(
                " \\(stored.*", ""));
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        byte[] good = Checkpoint.toBytes(sample());
        Path f = dir.resolve("cut.nckpt");
        for (int len = 0; len < good.length; len++) {
            Files.write(f, java.util.Arrays.copyOf(good, len));
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(f), "length " + len);
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            if (len >= 28) assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        Files.write(f, java.util.Arrays.copyOf(good, good.length + 3));
        assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(f)).getMessage().contains("corrupted"));
    }

    @Test
    void otherFilesAndVersionsAreRejectedClearly() throws IOException {
        Path f = dir.resolve("x.nckpt");
        Files.writeString(f, "hello, this is not a checkpoint at all");
        assertEquals(f + ": not a Nabla checkpoint file (the first bytes are not the magic \"NABLACKP\")",
                assertThrows(IOException.class, () -> Checkpoint.load(f)).getMessage());
        byte[] b = Checkpoint.toBytes(Map.of("x", Tensors.scalar(1f)));
        b[8] = 9;
        Files.write(f, b);
        assertEquals(f + ": unsupported checkpoint format version 9 (this build reads version 1)",
                assertThrows(IOException.class, () -> Checkpoint.load(f)).getMessage());
        Path missing = dir.resolve("nope.nckpt");
        assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(missing)).getMessage()
                .contains("nope.nckpt"));
    }

    @Test
    void hugeLengthsInACraftedFileDoNotAllocate() throws IOException {
        // a well-formed header and checksums around an entry claiming 2^31-1 elements
        java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(4 + 1 + 1 + 4 + 4 + 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        body.putInt(1).put((byte) 'x').put((byte) 1).putInt(1).putInt(Integer.MAX_VALUE).putLong(4L * Integer.MAX_VALUE);
        byte[] entryBody = body.array();
        int total = 24 + 4 + entryBody.length + 4 + 4;
        java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(total).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        f.put("NABLACKP".getBytes()).putInt(1).putInt(1).putLong(total).putInt(entryBody.length).put(entryBody);
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(entryBody);
        f.putInt((int) c.getValue());
        c.reset();
        c.update(f.array(), 0, f.position());
        f.putInt((int) c.getValue());
        Path p = dir.resolve("huge.nckpt");
        Files.write(p, f.array());
        String msg = assertThrows(IOException.class, () -> Checkpoint.load(p)).getMessage();
        assertTrue(msg.contains("entry 'x'") && msg.contains("claims 8589934588 data bytes"), msg);
    }

    @Test
    void restoreAssignsEveryVariable() throws IOException {
        Variable w = Variable.of("w", Tensors.of(new float[] {1, 2, 3, 4}, 2, 2), true);
        Variable step = Variable.of("step", Tensors.scalar(5L), false);
        Map<String, Variable> vars = new LinkedHashMap<>();
        vars.put("w", w);
        vars.put("optimizer/step", step);
        Path f = dir.resolve("v.nckpt");
        Checkpoint.saveVariables(f, vars);
        w.assign(Tensors.of(new float[] {0, 0, 0, 0}, 2, 2));
        step.assign(Tensors.scalar(9L));
        Checkpoint.restore(f, vars);
        assertArrayEquals(new float[] {1, 2, 3, 4}, w.read().toFloatArray());
        assertArrayEquals(new long[] {5}, step.read().toLongArray());
    }

    @Test
    void aCheckpointOfAnotherModelSaysWhatDiffersAndAssignsNothing() throws IOException {
        Map<String, Variable> saved = new LinkedHashMap<>();
        saved.put("dense/kernel", Variable.of("k", Tensors.of(new float[6], 2, 3), true));
        saved.put("dense/bias", Variable.of("b", Tensors.of(new float[3], 3), true));
        saved.put("extra", Variable.of("e", Tensors.scalar(1f), true));
        Path f = dir.resolve("other.nckpt");
        Checkpoint.saveVariables(f, saved);

        Variable kernel = Variable.of("k", Tensors.of(new float[] {1, 2, 3, 4}, 2, 2), true);
        Variable bias = Variable.of("b", Tensors.of(new double[] {7, 7, 7}, 3), true);
        Variable other = Variable.of("o", Tensors.scalar(1f), true);
        Map<String, Variable> model = new LinkedHashMap<>();
        model.put("dense/kernel", kernel);
        model.put("dense/bias", bias);
        model.put("conv/kernel", other);
        String msg = assertThrows(IOException.class, () -> Checkpoint.restore(f, model)).getMessage();
        assertEquals(f + ": checkpoint does not fit this model (saved from another model?): "
                + "missing from the checkpoint: ['conv/kernel']; "
                + "in the checkpoint but not in the model: ['extra']; "
                + "variable 'dense/kernel' is float32(2, 2) in the model but float32(2, 3) in the checkpoint; "
                + "variable 'dense/bias' is float64(3,) in the model but float32(3,) in the checkpoint", msg);
        assertArrayEquals(new float[] {1, 2, 3, 4}, kernel.read().toFloatArray()); // untouched
    }

    @Test
    void aFailedSaveLeavesThePreviousFileIntact() throws IOException {
        Path f = dir.resolve("keep.nckpt");
        Checkpoint.save(f, Map.of("a", Tensors.scalar(1f)));
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("a", Tensors.scalar(2f));
        bad.put("", Tensors.scalar(3f));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(f, bad));
        assertArrayEquals(new float[] {1}, Checkpoint.load(f).get("a").toFloatArray());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
