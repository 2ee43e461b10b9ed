package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * BitwiseAnd/Or/Xor, LeftShift, RightShift, Invert and Bitcast against hand-worked bit patterns in every integer
 * width.
 */
class BitwiseOpsTest {
    private static Tensor of(DType dtype, long... v) { return Ops.cast(Tensors.of(v, v.length), dtype); }

    @Test
    void andOrXorInEveryIntegerDtype() {
        for (DType d : DType.values()) {
            if (!d.isInteger()) continue;
            Tensor a = of(d, 0b0101, 0b1100, 0), b = of(d, 0b0011, 0b1010, 0b1111);
            assertArrayEquals(new long[] {0b0001, 0b1000, 0}, Ops.bitwiseAnd(a, b).toLongArray(), d.toString());
            assertArrayEquals(new long[] {0b0111, 0b1110, 0b1111}, Ops.bitwiseOr(a, b).toLongArray(), d.toString());
            assertArrayEquals(new long[] {0b0110, 0b0110, 0b1111}, Ops.bitwiseXor(a, b).toLongArray(), d.toString());
            assertEquals(d, Ops.bitwiseAnd(a, b).dtype());
        }
    }

    @Test
    void invertFlipsEveryBitOfTheDtype() {
        assertArrayEquals(new long[] {-6, -1}, Ops.invert(of(DType.INT8, 5, 0)).toLongArray());
        assertArrayEquals(new long[] {250, 255}, Ops.invert(of(DType.UINT8, 5, 0)).toLongArray());
        assertArrayEquals(new long[] {65530}, Ops.invert(of(DType.UINT16, 5)).toLongArray());
        assertArrayEquals(new long[] {4294967290L}, Ops.invert(of(DType.UINT32, 5)).toLongArray());
        assertArrayEquals(new long[] {-6}, Ops.invert(of(DType.INT64, 5)).toLongArray());
    }

    @Test
    void shiftsLoseBitsPastTheWidthAndRightShiftIsArithmeticOnlyForSigned() {
        assertArrayEquals(new long[] {144, 16}, Ops.leftShift(of(DType.UINT8, 200, 1), of(DType.UINT8, 1, 4))
                .toLongArray()); // 400 keeps its low 8 bits
        assertArrayEquals(new long[] {1L << 40}, Ops.leftShift(of(DType.INT64, 1), of(DType.INT64, 40)).toLongArray());
        assertArrayEquals(new long[] {-4, 2}, Ops.rightShift(of(DType.INT32, -8, 8), of(DType.INT32, 1, 2))
                .toLongArray());
        assertArrayEquals(new long[] {0x0FFFFFFFL}, Ops.rightShift(of(DType.UINT32, 0xFFFFFFF0L), of(DType.UINT32, 4))
                .toLongArray());
        assertArrayEquals(new long[] {127}, Ops.rightShift(of(DType.UINT8, 255), of(DType.UINT8, 1)).toLongArray());
        Tensor allOnes = Ops.invert(of(DType.UINT64, 0));
        assertArrayEquals(new long[] {15}, Ops.rightShift(allOnes, of(DType.UINT64, 60)).toLongArray());
        assertArrayEquals(new long[] {0, -1}, Ops.rightShift(of(DType.INT32, 5, -5), of(DType.INT32, 40, 40))
                .toLongArray()); // past the width: 0, or the sign
    }

    @Test
    void bitcastReadsTheSameBitsAsAnotherDtypeOfTheSameWidth() {
        // 1.0f is 0x3F800000, -2.0 is 0xC000000000000000 (IEEE 754); 0xFFFFFFFF as int32 is -1.
        assertArrayEquals(new long[] {0x3F800000L, 0}, Ops.bitcast(Tensors.of(new float[] {1f, 0f}, 2), DType.INT32)
                .toLongArray());
        assertArrayEquals(new long[] {0xC000000000000000L}, Ops.bitcast(Tensors.of(new double[] {-2}, 1),
                DType.INT64).toLongArray());
        assertArrayEquals(new double[] {1.0}, Ops.bitcast(of(DType.INT32, 0x3F800000L), DType.FLOAT32)
                .toDoubleArray());
        assertArrayEquals(new long[] {-1}, Ops.bitcast(of(DType.UINT32, 0xFFFFFFFFL), DType.INT32).toLongArray());
        assertArrayEquals(new long[] {1, 0}, Ops.bitcast(of(DType.BOOL, 1, 0), DType.UINT8)
                .toLongArray());
        OpException e = assertThrows(OpException.class, () -> Ops.bitcast(Tensors.of(new float[] {1}, 1),
                DType.INT64));
        assertTrue(e.getMessage().contains("same width"), e.getMessage());
    }

    @Test
    void floatsAreRefusedWithTheOpName() {
        OpException e = assertThrows(OpException.class, () -> Ops.bitwiseAnd(Tensors.of(new float[] {1}, 1),
                Tensors.of(new float[] {1}, 1)));
        assertTrue(e.getMessage().contains("BitwiseAnd") && e.getMessage().contains("integer"), e.getMessage());
    }
}
