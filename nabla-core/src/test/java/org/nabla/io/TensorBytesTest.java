package org.nabla.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

class TensorBytesTest {
    @Test
    void everyDTypeRoundTripsBitForBit() {
        for (Map.Entry<String, Tensor> e : GoldenFiles.everyDType().entrySet()) {
            Tensor t = e.getValue();
            int bytes = t.shape().intSize() * t.dtype().byteSize();
            ByteBuffer b = ByteBuffer.allocate(bytes + 3).position(3); // an offset, and big-endian order
            TensorBytes.put(b, t);
            assertEquals(bytes + 3, b.position(), e.getKey());
            Tensor back = TensorBytes.get(b.position(3), t.dtype(), t.shape());
            assertEquals(bytes + 3, b.position(), e.getKey());
            assertEquals(t.spec(), back.spec(), e.getKey());
            assertArrayEquals(bits(t), bits(back), e.getKey());
        }
    }

    @Test
    void elementsAreLittleEndianAndRowMajor() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        TensorBytes.put(b, Ops.transpose(Tensors.of(new short[] {1, 2, 3, 4}, 2, 2), 1, 0)); // [[1, 3], [2, 4]]
        assertArrayEquals(new byte[] {1, 0, 3, 0, 2, 0, 4, 0}, b.array());
    }

    @Test
    void boolBytesOtherThanZeroAndOneAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorBytes.get(ByteBuffer.wrap(new byte[] {1, 2}), DType.BOOL, Shape.of(2)));
        assertEquals("a bool byte is 2, not 0 or 1", e.getMessage());
    }

    private static long[] bits(Tensor t) {
        long[] b = t.toLongArray();
        for (int i = 0; i < b.length; i++) {
            if (t.data() instanceof float[] f) b[i] = Float.floatToRawIntBits(f[i]);
            if (t.data() instanceof double[] f) b[i] = Double.doubleToRawLongBits(f[i]);
        }
        return b;
    }
}
