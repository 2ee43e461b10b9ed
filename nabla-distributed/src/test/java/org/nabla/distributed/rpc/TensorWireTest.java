package org.nabla.distributed.rpc;

import org.nabla.distributed.DistributedOptions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

class TensorWireTest {
    @Test
    void theHeaderIsMagicDtypeRankAndDimsThenLittleEndianElements() {
        byte[] b = TensorWire.encode(Tensors.convert(new float[][] {{1.5f, -2}}, DType.FLOAT32));
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("NTW1", new String(b, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        le.position(4);
        assertEquals(DType.FLOAT32.fileCode(), le.getInt());
        assertEquals(2, le.getInt());
        assertEquals(1, le.getLong());
        assertEquals(2, le.getLong());
        assertEquals(1.5f, le.getFloat());
        assertEquals(-2f, le.getFloat());
        assertEquals(b.length, le.position());
        assertEquals(12 + 16 + 8, b.length, "no per-element framing");
    }

    @Test
    void everyDtypeRoundTrips() {
        Tensor strings = Tensors.of(new String[] {"", "ab", "héllo"});
        Tensor stringsBack = TensorWire.decode(TensorWire.encode(strings), 1 << 20);
        org.junit.jupiter.api.Assertions.assertArrayEquals(strings.toStringArray(), stringsBack.toStringArray());
        for (DType d : DType.values()) {
            if (d == DType.STRING) continue; // above: strings hold no numbers
            Tensor t = Tensors.convert(new double[][] {{0, 1, 1}, {1, 0, 1}}, d);
            Tensor back = TensorWire.decode(TensorWire.encode(t), 1 << 20);
            assertEquals(t.dtype(), back.dtype());
            assertEquals(t.shape(), back.shape());
            if (d.isComplex()) {   // interleaved re/im pairs
                assertArrayEquals(t.toComplexArray(), back.toComplexArray(), d.toString());
            } else {
                assertArrayEquals(t.toDoubleArray(), back.toDoubleArray(), d.toString());
            }
        }
        Tensor scalar = TensorWire.decode(TensorWire.encode(Tensors.scalar(7.25)), 8);
        assertEquals(Shape.of(), scalar.shape());
        assertEquals(7.25, scalar.doubleValue());
        Tensor empty = TensorWire.decode(TensorWire.encode(Tensor.wrap(DType.FLOAT32, Shape.of(0, 3), new float[0])), 0);
        assertEquals(Shape.of(0, 3), empty.shape());
    }

    private static byte[] header(int dtype, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 * dims.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(TensorWire.MAGIC).putInt(dtype).putInt(dims.length);
        for (long d : dims) b.putLong(d);
        return b.array();
    }

    private static String refused(byte[] bytes, long max) {
        return assertThrows(IllegalArgumentException.class, () -> TensorWire.decode(bytes, max)).getMessage();
    }

    @Test
    void malformedMessagesAreRefusedSayingWhy() {
        int f32 = DType.FLOAT32.fileCode();
        assertEquals("malformed tensor message: it is 3 bytes, shorter than a header", refused(new byte[3], 100));
        byte[] badMagic = header(f32);
        badMagic[0] = 'X';
        assertEquals("malformed tensor message: it does not start with the magic bytes \"NTW1\"",
                refused(badMagic, 100));
        assertEquals("malformed tensor message: unknown dtype code 999", refused(header(999), 100));
        byte[] rank = header(f32);
        ByteBuffer.wrap(rank).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1000);
        assertEquals("malformed tensor message: rank 1000 is not between 0 and 64", refused(rank, 100));
        assertEquals("malformed tensor message: dimension 1 is -4", refused(header(f32, 2, -4), 100));
        assertEquals("malformed tensor message: the header announces 8 element bytes (float32 [2]) but 0 follow",
                refused(header(f32, 2), 100));
        byte[] extra = Arrays.copyOf(header(f32, 1), 12 + 8 + 5);
        assertTrue(refused(extra, 100).endsWith("but 5 follow"));
    }

    @Test
    void aMessageClaimingAHugeTensorIsRefusedBeforeAnythingIsAllocated() {
        // 2^30 floats (4 GiB) announced by a 20-byte message: refused by the limit, not by an OutOfMemoryError
        String m = refused(header(DType.FLOAT32.fileCode(), 1L << 30), 1L << 30);
        assertEquals("tensor message: a float32 tensor of shape [1073741824] is 4294967296 bytes, more than the "
                + "limit of 1073741824 (DistributedOptions.maxTensorBytes)", m);
        assertEquals("malformed tensor message: the shape [4294967296, 4294967296] has more than 2^31 elements",
                refused(header(DType.FLOAT32.fileCode(), 1L << 32, 1L << 32), Long.MAX_VALUE));

    }

    @Test
    void theAssemblerChecksTheAnnouncedSizeFirst() {
        byte[] whole = TensorWire.encode(Tensors.convert(new float[] {1, 2, 3, 4, 5}, DType.FLOAT32));
        TensorWire.Assembler a = new TensorWire.Assembler(1 << 20);
        a.add(whole.length, ByteBuffer.wrap(whole, 0, 10));
        a.add(0, ByteBuffer.wrap(whole, 10, whole.length - 10));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, a.finish().toFloatArray());

        TensorWire.Assembler huge = new TensorWire.Assembler(1 << 20);
        IllegalArgumentException e = assertThrows(TensorWire.TensorTooLargeException.class,
                () -> huge.add(1L << 40, ByteBuffer.wrap(new byte[10])));
        assertTrue(e.getMessage().startsWith("tensor message: the stream announces 1099511627776 bytes, more than the "
                + "limit of 1049100 (DistributedOptions.maxTensorBytes 1048576 plus the header)"), e.getMessage());

        TensorWire.Assembler tooMuch = new TensorWire.Assembler(1 << 20);
        tooMuch.add(4, ByteBuffer.wrap(new byte[4]));
        assertEquals("malformed tensor message: the stream sends more than the 4 bytes it announced",
                assertThrows(IllegalArgumentException.class, () -> tooMuch.add(0, ByteBuffer.wrap(new byte[1])))
                        .getMessage());

        TensorWire.Assembler cut = new TensorWire.Assembler(1 << 20);
        cut.add(whole.length, ByteBuffer.wrap(whole, 0, 10));
        assertEquals("malformed tensor message: the stream ended after 10 of the " + whole.length
                + " bytes it announced", assertThrows(IllegalArgumentException.class, cut::finish).getMessage());
        assertEquals("malformed tensor message: the first chunk announces 0 bytes (expected the tensor's size)",
                assertThrows(IllegalArgumentException.class,
                        () -> new TensorWire.Assembler(10).add(0, ByteBuffer.wrap(new byte[1]))).getMessage());
    }

    @Test
    void theAssemblerAllocatesAsBytesArriveNotAsTheStreamClaims() {
        // within the limit, a stream announcing 1 GiB and sending 10 bytes gets a buffer of the first size only
        TensorWire.Assembler liar = new TensorWire.Assembler(1L << 30);
        liar.add(1L << 30, ByteBuffer.wrap(new byte[10]));
        assertEquals(TensorWire.Assembler.FIRST_BUFFER_BYTES, liar.capacity());
        assertThrows(IllegalArgumentException.class, liar::finish);

        // an honest stream larger than the first buffer grows it and comes back whole
        float[] values = new float[(TensorWire.Assembler.FIRST_BUFFER_BYTES + (3 << 20)) / 4];
        for (int i = 0; i < values.length; i++) values[i] = i % 1000;
        byte[] whole = TensorWire.encode(Tensors.convert(values, DType.FLOAT32));
        TensorWire.Assembler a = new TensorWire.Assembler(1L << 30);
        for (int at = 0; at < whole.length; at += 1 << 20) {
            a.add(whole.length, ByteBuffer.wrap(whole, at, Math.min(1 << 20, whole.length - at)));
        }
        assertEquals(whole.length, a.capacity());
        assertArrayEquals(values, a.finish().toFloatArray());
    }
}
