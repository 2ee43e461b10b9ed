package org.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions on tensors shared by the tests: shape, dtype and values against a float64 reference. */
public final class TensorAssert {
    private TensorAssert() {}

    /** Same dtype, same shape, and every value within {@code tol} (absolute + relative) of {@code expected}. */
    public static void assertClose(double[] expected, Tensor actual, DType dtype, int[] shape, double tol) {
        assertEquals(dtype, actual.dtype(), "dtype");
        assertArrayEquals(shape, actual.shape().dims(), () -> "shape " + actual.shape());
        assertClose(expected, actual.toDoubleArray(), tol);
    }

    public static void assertClose(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, "number of elements");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (e == a) continue;
            if (!(Math.abs(e - a) <= tol + tol * Math.abs(e))) {
                fail("element " + i + ": expected " + e + " but was " + a + " (tolerance " + tol + ")");
            }
        }
    }

    /** Exact comparison for integer and boolean results. */
    public static void assertExact(long[] expected, Tensor actual, DType dtype, int... shape) {
        assertEquals(dtype, actual.dtype(), "dtype");
        assertArrayEquals(shape, actual.shape().dims(), () -> "shape " + actual.shape());
        assertArrayEquals(expected, actual.toLongArray());
    }
}
