package org.nabla.distributed.collective;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * One dtype's tensors laid end to end, the array a {@link CollectiveGroup} all-reduce works on in place (exactly one
 * of {@code f} and {@code d} is non-null), with the element loops the ring needs: packing, slicing, adding and copying
 * received little-endian pieces.
 */
record Flat(DType dtype, float[] f, double[] d) {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED
            .withOrder(ByteOrder.LITTLE_ENDIAN);

    static Flat allocate(DType dtype, int n) {
        return dtype == DType.FLOAT32 ? new Flat(dtype, new float[n], null) : new Flat(dtype, null, new double[n]);
    }

    int put(int at, Tensor t) {
        if (f != null) {
            float[] a = t.toFloatArray();
            System.arraycopy(a, 0, f, at, a.length);
            return at + a.length;
        }
        double[] a = t.toDoubleArray();
        System.arraycopy(a, 0, d, at, a.length);
        return at + a.length;
    }

    Tensor slice(int from, int to) {
        Shape s = Shape.of(to - from);
        return f != null ? Tensor.wrap(dtype, s, Arrays.copyOfRange(f, from, to))
                : Tensor.wrap(dtype, s, Arrays.copyOfRange(d, from, to));
    }

    /**
     * {@code t}'s own array, to be read only, when it holds exactly t's elements (dense, from 0, on the heap);
     * null otherwise.
     */
    static Flat borrow(Tensor t) {
        if (!t.isDenseFromZero()) return null;
        Object data = t.data();
        if (data instanceof float[] a && a.length == t.size()) return new Flat(t.dtype(), a, null);
        if (data instanceof double[] a && a.length == t.size()) return new Flat(t.dtype(), null, a);
        return null;
    }

    /** A copy of {@code t}'s elements. */
    static Flat of(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? new Flat(t.dtype(), t.toFloatArray(), null)
                : new Flat(t.dtype(), null, t.toDoubleArray());
    }

    /** Elements [at, at + shape.size()) as a tensor; the whole of this flat is handed over, not copied. */
    Tensor take(int at, Shape shape) {
        int n = (int) shape.size();
        if (at == 0 && n == (f != null ? f.length : d.length)) return Tensor.wrap(dtype, shape, f != null ? f : d);
        return f != null ? Tensor.wrap(dtype, shape, Arrays.copyOfRange(f, at, at + n))
                : Tensor.wrap(dtype, shape, Arrays.copyOfRange(d, at, at + n));
    }

    /**
     * Writes {@code base + in} at {@code at} ({@code base} may be this flat: an add in place), {@code in} being
     * little-endian elements (its remaining bytes), read with the Vector API straight from the (direct) buffer:
     * no copy into an array first.
     */
    void addIn(int at, ByteBuffer in, Flat base) {
        MemorySegment seg = MemorySegment.ofBuffer(in);
        if (f != null) {
            float[] b = base.f;
            int n = in.remaining() / 4;
            int i = 0;
            for (int end = F.loopBound(n); i < end; i += F.length()) {
                FloatVector.fromMemorySegment(F, seg, (long) i * 4, ByteOrder.LITTLE_ENDIAN)
                        .add(FloatVector.fromArray(F, b, at + i)).intoArray(f, at + i);
            }
            for (; i < n; i++) f[at + i] = b[at + i] + seg.get(LE_FLOAT, (long) i * 4);
        } else {
            double[] b = base.d;
            int n = in.remaining() / 8;
            int i = 0;
            for (int end = D.loopBound(n); i < end; i += D.length()) {
                DoubleVector.fromMemorySegment(D, seg, (long) i * 8, ByteOrder.LITTLE_ENDIAN)
                        .add(DoubleVector.fromArray(D, b, at + i)).intoArray(d, at + i);
            }
            for (; i < n; i++) d[at + i] = b[at + i] + seg.get(LE_DOUBLE, (long) i * 8);
        }
    }

    void copyIn(int at, ByteBuffer in) {
        if (f != null) {
            java.nio.FloatBuffer a = in.asFloatBuffer();
            a.get(0, f, at, a.remaining());
        } else {
            java.nio.DoubleBuffer a = in.asDoubleBuffer();
            a.get(0, d, at, a.remaining());
        }
    }
}
