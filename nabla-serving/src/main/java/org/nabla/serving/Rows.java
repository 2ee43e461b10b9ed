package org.nabla.serving;

import java.util.Arrays;
import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * The values of several tensors that share their first (batch) dimension: {@code count} rows, and per tensor its
 * row-major values (a {@code double[]}, or a {@code String[]} for string inputs such as raw text) and its dims after
 * the batch. Requests become Rows, the batcher stacks and splits them, and the model's outputs come back as Rows.
 * Doubles hold every served numeric dtype exactly except int64 beyond 2^53.
 */
record Rows(int count, Object[] data, int[][] sampleDims) {

    /** The numeric values of tensor {@code t}. */
    double[] numbers(int t) { return (double[]) data[t]; }

    /** How many values tensor {@code t} has per row. */
    int rowSize(int t) { return Math.toIntExact(Arrays.stream(sampleDims[t]).asLongStream().reduce(1, (a, b) -> a * b)); }

    /** Whether {@code other}'s rows can be stacked under these (same dims after the batch for every tensor). */
    boolean stacksWith(Rows other) { return Arrays.deepEquals(sampleDims, other.sampleDims); }

    /** All {@code parts} stacked along the batch dimension (they must stack with each other). */
    static Rows stack(List<Rows> parts) {
        if (parts.size() == 1) return parts.get(0);
        Rows first = parts.get(0);
        int n = parts.stream().mapToInt(Rows::count).sum();
        Object[] data = new Object[first.data.length];
        for (int t = 0; t < data.length; t++) {
            int size = n * first.rowSize(t);
            data[t] = first.data[t] instanceof String[] ? new String[size] : new double[size];
            int at = 0;
            for (Rows p : parts) {
                int len = java.lang.reflect.Array.getLength(p.data[t]);
                System.arraycopy(p.data[t], 0, data[t], at, len);
                at += len;
            }
        }
        return new Rows(n, data, first.sampleDims);
    }

    /** Rows {@code from} (inclusive) to {@code from + n} (exclusive). */
    Rows slice(int from, int n) {
        if (from == 0 && n == count) return this;
        Object[] out = new Object[data.length];
        for (int t = 0; t < data.length; t++) {
            int size = rowSize(t);
            out[t] = data[t] instanceof String[] s ? Arrays.copyOfRange(s, from * size, (from + n) * size)
                    : Arrays.copyOfRange((double[]) data[t], from * size, (from + n) * size);
        }
        return new Rows(n, out, sampleDims);
    }

    /** Tensor {@code t} with {@code dtype}. */
    Tensor tensor(int t, DType dtype) {
        int[] dims = new int[sampleDims[t].length + 1];
        dims[0] = count;
        System.arraycopy(sampleDims[t], 0, dims, 1, sampleDims[t].length);
        if (dtype == DType.STRING || data[t] instanceof String[]) {
            if (dtype != DType.STRING || !(data[t] instanceof String[] s)) {
                throw ServingException.badRequest("input " + t + " must be " + (dtype == DType.STRING ? "strings"
                        : "numbers") + " (" + dtype + ")");
            }
            return org.nabla.Tensors.of(s, dims);
        }
        double[] v = (double[]) data[t];
        Object array = switch (dtype.storage()) {
            case FLOAT -> { float[] a = new float[v.length]; for (int i = 0; i < v.length; i++) a[i] = (float) v[i]; yield a; }
            case DOUBLE -> v.clone();
            case INT -> { int[] a = new int[v.length]; for (int i = 0; i < v.length; i++) a[i] = (int) v[i]; yield a; }
            case LONG -> { long[] a = new long[v.length]; for (int i = 0; i < v.length; i++) a[i] = (long) v[i]; yield a; }
            default -> throw ServingException.badRequest("inputs of dtype " + dtype + " are not served (float32, "
                    + "float64, int32, int64 and string are)");
        };
        return Tensor.wrap(dtype, Shape.of(dims), array);
    }

    /** Tensors' values as Rows; every tensor must have rank >= 1 and {@code count} rows. */
    static Rows of(Tensor[] tensors, int count) {
        Object[] data = new Object[tensors.length];
        int[][] dims = new int[tensors.length][];
        for (int t = 0; t < tensors.length; t++) {
            Shape s = tensors[t].shape();
            if (s.rank() == 0 || s.dim(0) != count) {
                throw new IllegalStateException("output " + t + " has shape " + s + ", not " + count + " rows like "
                        + "the inputs (its rows cannot be handed back to the requests)");
            }
            dims[t] = Arrays.copyOfRange(s.dims(), 1, s.rank());
            data[t] = doubles(tensors[t]);
        }
        return new Rows(count, data, dims);
    }

    private static double[] doubles(Tensor t) {
        return switch (t.dtype().storage()) {
            case FLOAT -> { float[] a = t.toFloatArray(); double[] d = new double[a.length]; for (int i = 0; i < a.length; i++) d[i] = a[i]; yield d; }
            case DOUBLE -> t.toDoubleArray();
            case INT -> Arrays.stream(t.toIntArray()).asDoubleStream().toArray();
            case LONG -> Arrays.stream(t.toLongArray()).asDoubleStream().toArray();
            default -> throw new IllegalStateException("outputs of dtype " + t.dtype() + " are not served");
        };
    }
}
