package org.nabla;

import java.util.Arrays;

/**
 * An immutable tensor shape. A dimension of {@code -1} means unknown (only symbolic tensors in a graph have those);
 * a dimension of 0 makes an empty tensor. Rank 0 is a scalar.
 */
public final class Shape {
    /** An unknown dimension, in the shapes of graph tensors and signatures. */
    public static final int UNKNOWN = -1;
    /** The shape of a scalar: rank 0, one element. */
    public static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        this.dims = dims;
        long s = 1;
        boolean known = true;
        for (int d : dims) {
            if (d == UNKNOWN) known = false;
            else s *= d;
        }
        this.size = known ? s : -1;
    }

    /** A shape from its dimensions; each must be at least 0, or -1 for unknown. */
    public static Shape of(int... dims) {
        if (dims.length == 0) return SCALAR;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < UNKNOWN) {
                throw new IllegalArgumentException("negative dimension " + dims[i] + " at axis " + i + " in shape "
                        + Arrays.toString(dims) + ": dimensions must be >= 0 (or -1 for unknown)");
            }
        }
        return new Shape(dims.clone());
    }

    /** Same as {@link #of(int...)} from long dimensions, checking each fits an int. */
    public static Shape of(long... dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE || dims[i] < UNKNOWN) {
                throw new IllegalArgumentException("dimension " + dims[i] + " at axis " + i + " in shape "
                        + Arrays.toString(dims) + " is out of range [-1, " + Integer.MAX_VALUE + "]");
            }
            d[i] = (int) dims[i];
        }
        return of(d);
    }

    /** Wraps an array the caller promises never to modify (kernels use this to avoid a copy). */
    static Shape ofOwned(int[] dims) { return dims.length == 0 ? SCALAR : new Shape(dims); }

    /** The number of dimensions. */
    public int rank() { return dims.length; }

    /** Dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) { return dims[normalizeAxis(axis, dims.length, "Shape.dim")]; }

    /** A copy of the dimensions. */
    public int[] dims() { return dims.clone(); }

    /** Number of elements, or -1 if some dimension is unknown. */
    public long size() { return size; }

    /** The number of elements as an int, failing clearly for shapes too large for one Java array. */
    public int intSize() {
        if (size < 0) throw new IllegalStateException("shape " + this + " is not fully known");
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + this + " has " + size + " elements; a CPU tensor holds at "
                    + "most " + (Integer.MAX_VALUE - 8));
        }
        return (int) size;
    }

    /** Whether every dimension is known (none is {@link #UNKNOWN}). */
    public boolean isFullyDefined() { return size >= 0; }

    /** Whether this is the rank-0 shape. */
    public boolean isScalar() { return dims.length == 0; }

    /** Row-major strides in elements. */
    public int[] contiguousStrides() {
        int[] strides = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(dims[i], 1);
        }
        return strides;
    }

    /** True if the two shapes could describe the same tensor (unknown dims match anything). */
    public boolean isCompatibleWith(Shape other) {
        if (other.dims.length != dims.length) return false;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != UNKNOWN && other.dims[i] != UNKNOWN && dims[i] != other.dims[i]) return false;
        }
        return true;
    }

    /**
     * Turns a possibly negative axis into {@code [0, rank)} or fails with a message naming {@code op}.
     */
    public static int normalizeAxis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank
                    + " (expected " + (rank == 0 ? "no axis" : "-" + rank + " <= axis < " + rank) + ")");
        }
        return a;
    }

    int[] dimsUnsafe() { return dims; }

    @Override
    public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

    @Override
    public int hashCode() { return Arrays.hashCode(dims); }

    /** Python-style: {@code (2, 3)}, {@code ()}, {@code (5,)}, unknown dims as {@code None}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i] == UNKNOWN ? "None" : Integer.toString(dims[i]));
        }
        if (dims.length == 1) sb.append(',');
        return sb.append(')').toString();
    }
}
