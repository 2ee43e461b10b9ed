package org.nabla;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import org.nabla.storage.ComplexParts;
import org.nabla.storage.HalfFloats;
import org.nabla.storage.LowPrecision;
import org.nabla.storage.Strided;

/** Conversion between tensors and Java scalars / nested Java arrays of any rank (convert_to_tensor and .numpy()). */
final class JavaArrays {
    private JavaArrays() {}

    /**
     * A tensor from a Java scalar (boxed), a nested primitive array of any rank, or a tensor (returned as is).
     * The dtype follows the Java type (float -> float32, double -> float64, int -> int32, long -> int64,
     * short -> int16, byte -> uint8, boolean -> bool) unless {@code dtype} is given, in which case values are
     * converted to it.
     */
    static Tensor fromJava(Object value, DType dtype) {
        if (value instanceof Tensor t) {
            if (dtype != null && t.dtype() != dtype) {
                throw new IllegalArgumentException("convertToTensor: tensor has dtype " + t.dtype()
                        + " but dtype " + dtype + " was requested (use cast to convert)");
            }
            return t;
        }
        if (value == null) throw new IllegalArgumentException("convertToTensor: value is null");
        List<Integer> dims = new ArrayList<>();
        Class<?> leaf = leafType(value, dims);
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        if (leaf == String.class) return strings(value, shape, dtype);
        DType natural = naturalDType(leaf, value);
        DType target = dtype == null ? natural : dtype;
        if (target.isComplex()) {   // real values: imaginary parts 0, as tf.constant(..., tf.complex64)
            Tensor re = fromJava(value, target.realPart());
            return Tensor.wrap(target, re.shape(), ComplexParts.join(target, re.data(), null, re.dtype(),
                    re.shape().intSize()));
        }
        if (target == DType.STRING) {
            throw new IllegalArgumentException("convertToTensor: cannot make a string tensor of Java "
                    + leaf.getSimpleName() + " values; format numbers with Strings.asString");
        }
        long size = 1;
        for (int d : shape) size *= d;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("convertToTensor: " + size + " elements do not fit one tensor");
        }
        double[] asDouble = null;
        long[] asLong = null;
        // int64 sources, and any source bound for a 64-bit integer dtype, are collected as long (a double loses bits
        // above 2^53); everything else fits a double.
        boolean wide = natural == DType.INT64 || (target.storage() == DType.Storage.LONG && natural.isInteger());
        if (wide) asLong = new long[(int) size]; else asDouble = new double[(int) size];
        int[] cursor = {0};
        flatten(value, shape, 0, asDouble, asLong, cursor);
        Object storage = Strided.allocate(target.storage(), (int) size);
        for (int i = 0; i < size; i++) {
            double d = wide ? asLong[i] : asDouble[i];
            switch (storage) {
                case float[] a -> a[i] = (float) d;
                case double[] a -> a[i] = d;
                case int[] a -> a[i] = (int) (wide ? asLong[i] : (long) d);
                case long[] a -> a[i] = wide ? asLong[i]
                        : target == DType.UINT64 ? Strided.doubleToUnsigned(d) : (long) d;
                case byte[] a when target.isLowPrecision() -> a[i] = LowPrecision.fromDouble(target, d);
                case byte[] a -> a[i] = target == DType.BOOL ? (byte) (d != 0 ? 1 : 0)
                        : (byte) (wide ? asLong[i] : (long) d);
                case short[] a when target.isHalfPrecision() -> a[i] = HalfFloats.fromDouble(target, d);
                case short[] a -> a[i] = (short) (wide ? asLong[i] : (long) d);
                default -> throw new IllegalStateException();
            }
        }
        return Tensor.wrap(target, Shape.ofOwned(shape), storage);
    }

    /** A string tensor of a Java String or nested String array, each element encoded as UTF-8. */
    private static Tensor strings(Object value, int[] shape, DType dtype) {
        if (dtype != null && dtype != DType.STRING) {
            throw new IllegalArgumentException("convertToTensor: cannot convert Java strings to " + dtype
                    + "; parse them with Strings.toNumber");
        }
        long size = 1;
        for (int d : shape) size *= d;
        byte[][] out = new byte[(int) size][];
        int[] cursor = {0};
        flattenStrings(value, shape, 0, out, cursor);
        return Tensor.wrap(DType.STRING, Shape.ofOwned(shape), out);
    }

    private static void flattenStrings(Object v, int[] shape, int axis, byte[][] out, int[] cursor) {
        if (v == null) throw new IllegalArgumentException("convertToTensor: nested array contains null");
        if (axis == shape.length) {
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException("convertToTensor: expected a String, found "
                        + v.getClass().getSimpleName());
            }
            out[cursor[0]++] = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return;
        }
        if (!v.getClass().isArray() || Array.getLength(v) != shape[axis]) {
            throw new IllegalArgumentException("convertToTensor: ragged nested array at axis " + axis
                    + " (a tensor must be rectangular)");
        }
        for (int i = 0; i < shape[axis]; i++) flattenStrings(Array.get(v, i), shape, axis + 1, out, cursor);
    }

    private static Class<?> leafType(Object value, List<Integer> dims) {
        Object v = value;
        while (v.getClass().isArray()) {
            int len = Array.getLength(v);
            dims.add(len);
            Class<?> component = v.getClass().getComponentType();
            if (component.isPrimitive()) return component;
            if (len == 0) {
                // An empty outer array: walk component types to find the leaf and give inner axes size 0.
                Class<?> c = component;
                while (c.isArray()) {
                    dims.add(0);
                    c = c.getComponentType();
                }
                return c;
            }
            v = Array.get(v, 0);
            if (v == null) throw new IllegalArgumentException("convertToTensor: nested array contains null");
        }
        return v.getClass();
    }

    private static DType naturalDType(Class<?> leaf, Object value) {
        if (leaf == float.class || leaf == Float.class) return DType.FLOAT32;
        if (leaf == double.class || leaf == Double.class) return DType.FLOAT64;
        if (leaf == int.class || leaf == Integer.class) return DType.INT32;
        if (leaf == short.class || leaf == Short.class) return DType.INT16;
        if (leaf == long.class || leaf == Long.class) return DType.INT64;
        if (leaf == byte.class || leaf == Byte.class) return DType.UINT8;
        if (leaf == boolean.class || leaf == Boolean.class) return DType.BOOL;
        throw new IllegalArgumentException("convertToTensor: cannot convert " + value.getClass().getSimpleName()
                + " (leaf type " + leaf.getSimpleName() + "); expected a Java number, boolean, nested primitive "
                + "array or Tensor");
    }

    private static void flatten(Object v, int[] shape, int axis, double[] d, long[] l, int[] cursor) {
        if (axis == shape.length) {
            put(v, d, l, cursor);
            return;
        }
        int len = Array.getLength(v);
        if (len != shape[axis]) {
            throw new IllegalArgumentException("convertToTensor: ragged nested array: axis " + axis + " has length "
                    + len + " here but " + shape[axis] + " elsewhere (a tensor must be rectangular)");
        }
        Class<?> component = v.getClass().getComponentType();
        if (axis == shape.length - 1 && component.isPrimitive()) {
            switch (v) {
                case float[] a -> { for (float x : a) d[cursor[0]++] = x; }
                case double[] a -> { for (double x : a) d[cursor[0]++] = x; }
                case int[] a -> { for (int x : a) if (l != null) l[cursor[0]++] = x; else d[cursor[0]++] = x; }
                case long[] a -> { for (long x : a) l[cursor[0]++] = x; }
                case short[] a -> { for (short x : a) if (l != null) l[cursor[0]++] = x; else d[cursor[0]++] = x; }
                case byte[] a -> { for (byte x : a) if (l != null) l[cursor[0]++] = x & 0xff; else d[cursor[0]++] = x & 0xff; }
                case boolean[] a -> { for (boolean x : a) if (l != null) l[cursor[0]++] = x ? 1 : 0; else d[cursor[0]++] = x ? 1 : 0; }
                default -> throw new IllegalStateException();
            }
            return;
        }
        for (int i = 0; i < len; i++) {
            Object child = Array.get(v, i);
            if (child == null) throw new IllegalArgumentException("convertToTensor: nested array contains null");
            if (axis + 1 < shape.length && !child.getClass().isArray()) {
                throw new IllegalArgumentException("convertToTensor: ragged nested array: expected an array at axis "
                        + (axis + 1) + ", found " + child.getClass().getSimpleName());
            }
            flatten(child, shape, axis + 1, d, l, cursor);
        }
    }

    private static void put(Object v, double[] d, long[] l, int[] cursor) {
        long asLong;
        double asDouble;
        switch (v) {
            case Boolean b -> { asLong = b ? 1 : 0; asDouble = asLong; }
            case Byte b -> { asLong = b & 0xff; asDouble = asLong; }
            case Long x -> { asLong = x; asDouble = x; }
            case Number n -> { asDouble = n.doubleValue(); asLong = n.longValue(); }
            default -> throw new IllegalArgumentException("convertToTensor: unexpected element "
                    + v.getClass().getSimpleName());
        }
        if (l != null) l[cursor[0]++] = asLong; else d[cursor[0]++] = asDouble;
    }

    /**
     * The tensor's value as nested Java arrays, or a boxed scalar for rank 0. Unsigned dtypes come back in the Java
     * type of their storage (uint8 as byte, uint16 as short, uint32 as int, uint64 as long) holding the same bits;
     * float16 and bfloat16 come back as their (exact) float values, Java having no 16-bit float; complex64 and
     * complex128 as {@code float[]...} and {@code double[]...} with a trailing axis of 2 holding (re, im).
     */
    static Object toNested(Tensor t) {
        Object flat = switch (t.dtype()) {
            case FLOAT32, FLOAT16, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT4E2M1 ->
                    t.toFloatArray();
            case INT4, UINT4, INT2, UINT2 -> t.toByteArray();
            case FLOAT64 -> t.toDoubleArray();
            case INT32 -> t.toIntArray();
            case INT64 -> t.toLongArray();
            case UINT8, INT8 -> t.toByteArray();
            case INT16, UINT16 -> t.toShortArray();
            case UINT32 -> t.toIntArray();
            case UINT64 -> t.toLongArray();
            case BOOL -> t.toBooleanArray();
            case STRING -> t.toStringArray();
            case COMPLEX64, COMPLEX128 -> null;
        };
        int[] dims = t.shape().dims();
        if (flat == null) {   // complex: Java has no complex type, so a trailing axis of 2 holds (re, im)
            Tensor d = t.onHost().dense();
            flat = d.dtype() == DType.COMPLEX64 ? java.util.Arrays.copyOf((float[]) d.data(), 2 * d.shape().intSize())
                    : java.util.Arrays.copyOf((double[]) d.data(), 2 * d.shape().intSize());
            dims = java.util.Arrays.copyOf(dims, dims.length + 1);
            dims[dims.length - 1] = 2;
        }
        if (dims.length == 0) return Array.get(flat, 0);
        return nest(flat, dims, 0, new int[] {0});
    }

    private static Object nest(Object flat, int[] dims, int axis, int[] cursor) {
        Class<?> leaf = flat.getClass().getComponentType();
        if (axis == dims.length - 1) {
            Object row = Array.newInstance(leaf, dims[axis]);
            System.arraycopy(flat, cursor[0], row, 0, dims[axis]);
            cursor[0] += dims[axis];
            return row;
        }
        int[] rest = new int[dims.length - axis];
        Class<?> type = Array.newInstance(leaf, rest).getClass(); // the (rank - axis)-dimensional array type
        Object out = Array.newInstance(type.getComponentType(), dims[axis]);
        for (int i = 0; i < dims[axis]; i++) Array.set(out, i, nest(flat, dims, axis + 1, cursor));
        return out;
    }
}
