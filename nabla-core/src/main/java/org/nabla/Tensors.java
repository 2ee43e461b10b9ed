package org.nabla;

/**
 * Making tensors from Java values: {@code Tensors.of(new float[][] {{1, 2}, {3, 4}})}, {@code Tensors.scalar(3f)}.
 * Values are copied, so later changes to the Java array do not affect the tensor.
 */
public final class Tensors {
    private Tensors() {}

    /**
     * A tensor from a Java scalar, a nested primitive array of any rank, or a tensor (returned as is). The dtype
     * follows the Java type: float -> float32, double -> float64, int -> int32, long -> int64, short -> int16,
     * byte -> uint8, boolean -> bool.
     */
    public static Tensor convert(Object value) { return JavaArrays.fromJava(value, null); }

    /**
     * Like {@link #convert(Object)}, converting Java values to {@code dtype} as a C cast would (integers keep their
     * low bits: {@code convert(-1L, DType.UINT64)} is 2^64 - 1, {@code convert(200, DType.INT8)} is -56).
     */
    public static Tensor convert(Object value, DType dtype) { return JavaArrays.fromJava(value, dtype); }

    /** Same as {@link #convert(Object)}: reads well at call sites, {@code Tensors.of(new int[] {1, 2})}. */
    public static Tensor of(Object value) { return convert(value); }

    /** A float32 scalar. */
    public static Tensor scalar(float v) { return Tensor.wrap(DType.FLOAT32, Shape.SCALAR, new float[] {v}); }

    /** A float64 scalar. */
    public static Tensor scalar(double v) { return Tensor.wrap(DType.FLOAT64, Shape.SCALAR, new double[] {v}); }

    /** An int32 scalar. */
    public static Tensor scalar(int v) { return Tensor.wrap(DType.INT32, Shape.SCALAR, new int[] {v}); }

    /** An int64 scalar. */
    public static Tensor scalar(long v) { return Tensor.wrap(DType.INT64, Shape.SCALAR, new long[] {v}); }

    /** A bool scalar. */
    public static Tensor scalar(boolean v) { return Tensor.wrap(DType.BOOL, Shape.SCALAR, new byte[] {(byte) (v ? 1 : 0)}); }

    /** A float32 tensor of the given shape from row-major values (copied). */
    public static Tensor of(float[] values, int... shape) { return Tensor.wrap(DType.FLOAT32, Shape.of(shape), checked(values.clone(), values.length, shape)); }

    /** A float64 tensor of {@code shape} holding a copy of {@code values} (row-major); the counts must match. */
    public static Tensor of(double[] values, int... shape) { return Tensor.wrap(DType.FLOAT64, Shape.of(shape), checked(values.clone(), values.length, shape)); }

    /** An int32 tensor of {@code shape} holding a copy of {@code values} (row-major); the counts must match. */
    public static Tensor of(int[] values, int... shape) { return Tensor.wrap(DType.INT32, Shape.of(shape), checked(values.clone(), values.length, shape)); }

    /** An int64 tensor of {@code shape} holding a copy of {@code values} (row-major); the counts must match. */
    public static Tensor of(long[] values, int... shape) { return Tensor.wrap(DType.INT64, Shape.of(shape), checked(values.clone(), values.length, shape)); }

    /** An int16 tensor of {@code shape} holding a copy of {@code values} (row-major); the counts must match. */
    public static Tensor of(short[] values, int... shape) { return Tensor.wrap(DType.INT16, Shape.of(shape), checked(values.clone(), values.length, shape)); }

    /**
     * A string tensor of the given shape (a vector when no shape is given), each element encoded as UTF-8
     * (TensorFlow's tf.string).
     */
    public static Tensor of(String[] values, int... shape) {
        byte[][] b = new byte[values.length][];
        for (int i = 0; i < b.length; i++) {
            b[i] = java.util.Objects.requireNonNull(values[i], "string element " + i).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        return Tensor.wrap(DType.STRING, Shape.of(shape.length == 0 ? new int[] {values.length} : shape),
                checked(b, values.length, shape.length == 0 ? new int[] {values.length} : shape));
    }

    /** A string scalar, encoded as UTF-8. */
    public static Tensor scalar(String v) {
        return Tensor.wrap(DType.STRING, Shape.SCALAR, new byte[][] {v.getBytes(java.nio.charset.StandardCharsets.UTF_8)});
    }

    /** A string tensor of raw byte strings (copied; any bytes, not only UTF-8) in the given shape (else a vector). */
    public static Tensor ofBytes(byte[][] values, int... shape) {
        byte[][] b = new byte[values.length][];
        for (int i = 0; i < b.length; i++) b[i] = java.util.Objects.requireNonNull(values[i], "element " + i).clone();
        int[] dims = shape.length == 0 ? new int[] {values.length} : shape;
        return Tensor.wrap(DType.STRING, Shape.of(dims), checked(b, values.length, dims));
    }

    /**
     * A complex64 tensor from its real and imaginary parts ({@code re[i] + im[i] * 1j}); no shape means a vector.
     * The parts must have the same length.
     */
    public static Tensor complex(float[] re, float[] im, int... shape) {
        return complexOf(DType.COMPLEX64, re, im, re.length, im.length, shape);
    }

    /** A complex128 tensor from its real and imaginary parts; no shape means a vector. */
    public static Tensor complex(double[] re, double[] im, int... shape) {
        return complexOf(DType.COMPLEX128, re, im, re.length, im.length, shape);
    }

    /**
     * A complex64 or complex128 tensor from interleaved parts {@code re0, im0, re1, im1...} (NumPy's memory layout of
     * a complex array), converted to {@code dtype}; no shape means a vector.
     */
    public static Tensor complexInterleaved(DType dtype, double[] parts, int... shape) {
        if (!dtype.isComplex()) throw new IllegalArgumentException("complexInterleaved: " + dtype + " is not complex");
        if (parts.length % 2 != 0) {
            throw new IllegalArgumentException("complexInterleaved: an odd number of parts (" + parts.length + ")");
        }
        int n = parts.length / 2;
        int[] dims = shape.length == 0 ? new int[] {n} : shape;
        return Tensor.wrap(dtype, Shape.of(dims), checked(org.nabla.storage.ComplexParts.fromDoubles(dtype,
                parts.clone()), n, dims));
    }

    private static Tensor complexOf(DType dtype, Object re, Object im, int reLength, int imLength, int[] shape) {
        if (reLength != imLength) {
            throw new IllegalArgumentException("Tensors.complex: " + reLength + " real parts but " + imLength
                    + " imaginary parts");
        }
        int[] dims = shape.length == 0 ? new int[] {reLength} : shape;
        Object z = org.nabla.storage.ComplexParts.join(dtype, re, im, dtype.realPart(), reLength);
        return Tensor.wrap(dtype, Shape.of(dims), checked(z, reLength, dims));
    }

    private static Object checked(Object array, int length, int[] shape) {
        long size = Shape.of(shape).size();
        if (size != length) {
            throw new IllegalArgumentException("Tensors.of: " + length + " values do not fill shape " + Shape.of(shape)
                    + " (" + size + " elements)");
        }
        return array;
    }
}
