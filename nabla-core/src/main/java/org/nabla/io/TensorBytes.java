package org.nabla.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * The element bytes of a tensor as Nabla's graph files and checkpoints store them: the dense row-major elements of its
 * backing array, little-endian, {@code elements x dtype.byteSize()} bytes. Floats are their IEEE 754 bits (NaN
 * payloads and -0.0 kept), bool one byte 0 or 1, unsigned dtypes the bits of their signed storage. The header in front
 * of the bytes (dtype code, shape, length) is each format's own.
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
        ByteBuffer le = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (d.data()) {
            case float[] a -> le.asFloatBuffer().put(a, 0, n);
            case double[] a -> le.asDoubleBuffer().put(a, 0, n);
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
        ByteBuffer le = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        Object data = switch (dtype.storage()) {
            case FLOAT -> { float[] a = new float[n]; le.asFloatBuffer().get(a); yield a; }
            case DOUBLE -> { double[] a = new double[n]; le.asDoubleBuffer().get(a); yield a; }
            case INT -> { int[] a = new int[n]; le.asIntBuffer().get(a); yield a; }
            case LONG -> { long[] a = new long[n]; le.asLongBuffer().get(a); yield a; }
            case BYTE -> { byte[] a = new byte[n]; le.get(a); yield a; }
            case SHORT -> { short[] a = new short[n]; le.asShortBuffer().get(a); yield a; }
        };
        if (dtype == DType.BOOL) {
            for (byte x : (byte[]) data) {
                if (x != 0 && x != 1) throw new IllegalArgumentException("a bool byte is " + x + ", not 0 or 1");
            }
        }
        b.position(b.position() + n * dtype.byteSize());
        return Tensor.wrap(dtype, shape, data);
    }
}
