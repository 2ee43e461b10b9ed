package org.nabla.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * The element bytes of a tensor as Nabla's graph files and checkpoints store them: the dense row-major elements of its
 * backing array, little-endian, {@code elements x dtype.byteSize()} bytes. Floats are their IEEE 754 bits (NaN
 * payloads and -0.0 kept), bool one byte 0 or 1, unsigned dtypes the bits of their signed storage. A string tensor's
 * elements are each a little-endian uint32 byte count followed by that many bytes (so {@link #byteCount} varies). The
 * header in front of the bytes (dtype code, shape, length) is each format's own.
 */
public final class TensorBytes {
    private TensorBytes() {}

    /**
     * Writes the elements of concrete tensor {@code t} at {@code b}'s position (little-endian, whatever {@code b}'s
     * order) and moves the position past them; {@code b} must have room for them.
     */
    public static void put(ByteBuffer b, Tensor t) {
        Tensor d = t.dense();
        int n = d.shape().intSize();
        if (d.data() instanceof byte[][] strings) {
            ByteOrder was = b.order(); // written through b itself (its position moves), in its order again after
            b.order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) b.putInt(strings[i].length).put(strings[i]);
            b.order(was);
            return;
        }
        ByteBuffer le = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        int parts = d.dtype().isComplex() ? 2 : 1; // complex: re, im pairs, as NumPy and ONNX store them
        switch (d.data()) {
            case float[] a -> le.asFloatBuffer().put(a, 0, n * parts);
            case double[] a -> le.asDoubleBuffer().put(a, 0, n * parts);
            case int[] a -> le.asIntBuffer().put(a, 0, n);
            case long[] a -> le.asLongBuffer().put(a, 0, n);
            case byte[] a -> le.put(a, 0, n);
            case short[] a -> le.asShortBuffer().put(a, 0, n);
            default -> throw new IllegalArgumentException("cannot write tensor storage " + d.data().getClass());
        }
        b.position(b.position() + n * d.dtype().byteSize());
    }

    /**
     * Reads a tensor of {@code dtype} and {@code shape} from {@code b}'s position (little-endian, whatever {@code b}'s
     * order) and moves the position past its bytes; the caller has checked that they are there. A bool byte other than
     * 0 and 1 is an {@link IllegalArgumentException} saying so, for the reader to prefix with the file and place.
     */
    public static Tensor get(ByteBuffer b, DType dtype, Shape shape) {
        int n = shape.intSize();
        if (dtype == DType.STRING) return getStrings(b, shape, n);
        ByteBuffer le = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        Object data = switch (dtype.storage()) {
            case FLOAT -> { float[] a = new float[n]; le.asFloatBuffer().get(a); yield a; }
            case DOUBLE -> { double[] a = new double[n]; le.asDoubleBuffer().get(a); yield a; }
            case INT -> { int[] a = new int[n]; le.asIntBuffer().get(a); yield a; }
            case LONG -> { long[] a = new long[n]; le.asLongBuffer().get(a); yield a; }
            case BYTE -> { byte[] a = new byte[n]; le.get(a); yield a; }
            case SHORT -> { short[] a = new short[n]; le.asShortBuffer().get(a); yield a; }
            case STRING -> throw new AssertionError("read by getStrings");
            case COMPLEX64 -> { float[] a = new float[2 * n]; le.asFloatBuffer().get(a); yield a; }
            case COMPLEX128 -> { double[] a = new double[2 * n]; le.asDoubleBuffer().get(a); yield a; }
        };
        if (dtype == DType.BOOL) {
            for (byte x : (byte[]) data) {
                if (x != 0 && x != 1) throw new IllegalArgumentException("a bool byte is " + x + ", not 0 or 1");
            }
        }
        b.position(b.position() + n * dtype.byteSize());
        return Tensor.wrap(dtype, shape, data);
    }

    /**
     * The number of bytes {@link #put} writes for {@code t}: elements x byte size, or for strings 4 + length per
     * element.
     */
    public static long byteCount(Tensor t) {
        if (t.dtype() != DType.STRING) return t.size() * t.dtype().byteSize();
        byte[][] a = (byte[][]) t.dense().data();
        long n = 0;
        for (int i = 0, size = t.shape().intSize(); i < size; i++) n += 4 + a[i].length;
        return n;
    }

    /**
     * Whether {@code byteCount} bytes can hold {@code elements} elements of {@code dtype}: exactly elements x byte
     * size, or for strings at least 4 per element (each element's own length is checked as it is read).
     */
    public static boolean plausibleByteCount(DType dtype, long elements, long byteCount) {
        return dtype == DType.STRING ? byteCount >= 4 * elements : byteCount == elements * dtype.byteSize();
    }

    private static Tensor getStrings(ByteBuffer b, Shape shape, int n) {
        ByteOrder was = b.order();
        b.order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[][] a = new byte[n][];
            for (int i = 0; i < n; i++) {
                if (b.remaining() < 4) throw new IllegalArgumentException("string element " + i + " of " + n
                        + " has no length: the bytes end");
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new IllegalArgumentException("string element " + i + " of " + n + " claims "
                            + Integer.toUnsignedString(len) + " bytes but " + b.remaining() + " remain");
                }
                a[i] = new byte[len];
                b.get(a[i]);
            }
            return Tensor.wrap(DType.STRING, shape, a);
        } finally {
            b.order(was);
        }
    }
}
