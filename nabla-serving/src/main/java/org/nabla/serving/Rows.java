package org.nabla.serving;

import java.util.Arrays;
import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * The values of several tensors that share their first (batch) dimension: {@code count} rows, and per tensor its
 * row-major values as doubles and its dims after the batch. Requests become Rows, the batcher stacks and splits them,
 * and the model's outputs come back as Rows. Doubles hold every served dtype exactly except int64 beyond 2^53.
 */
record Rows(int count, double[][] data, int[][] sampleDims) {

    /** How many values tensor {@code t} has per row. */
    int rowSize(int t) { return Math.toIntExact(Arrays.stream(sampleDims[t]).asLongStream().reduce(1, (a, b) -> a * b)); }

    /** Whether {@code other}'s rows can be stacked under these (same dims after the batch for every tensor). */
    boolean stacksWith(Rows other) { return Arrays.deepEquals(sampleDims, other.sampleDims); }

    /** All {@code parts} stacked along the batch dimension (they must stack with each other). */
    static Rows stack(List<Rows> parts) {
        if (parts.size() == 1) return parts.get(0);
        Rows first = parts.get(0);
        int n = parts.stream().mapToInt(Rows::count).sum();
        double[][] data = new double[first.data.length][];
        for (int t = 0; t < data.length; t++) {
            data[t] = new double[n * first.rowSize(t)];
            int at = 0;
            for (Rows p : parts) {
                System.arraycopy(p.data[t], 0, data[t], at, p.data[t].length);
                at += p.data[t].length;
            }
        }
        return new Rows(n, data, first.sampleDims);
    }

    /** Rows {@code from} (inclusive) to {@code from + n} (exclusive). */
    Rows slice(int from, int n) {
        if (from == 0 && n == count) return this;
        double[][] out = new double[data.length][];
        for (int t = 0; t < data.length; t++) {
            int size = rowSize(t);
            out[t] = Arrays.copyOfRange(data[t], from * size, (from + n) * size);
        }
        return new Rows(n, out, sampleDims);
    }

    /** Tensor {@code t} with {@code dtype}. */
    Tensor tensor(int t, DType dtype) {
        int[] dims = new int[sampleDims[t].length + 1];
        dims[0] = count;
        System.arraycopy(sampleDims[t], 0, dims, 1, sampleDims[t].length);
        double[] v = data[t];
        Object array = switch (dtype.storage()) {
            case FLOAT -> { float[] a = new float[v.length]; for (int i = 0; i < v.length; i++) a[i] = (float) v[i]; yield a; }
            case DOUBLE -> v.clone();
            case INT -> { int[] a = new int[v.length]; for (int i = 0; i < v.length; i++) a[i] = (int) v[i]; yield a; }
            case LONG -> { long[] a = new long[v.length]; for (int i = 0; i < v.length; i++) a[i] = (long) v[i]; yield a; }
            default -> throw ServingException.badRequest("inputs of dtype " + dtype + " are not served (float32, "
                    + "float64, int32 and int64 are)");
        };
        return Tensor.wrap(dtype, Shape.of(dims), array);
    }

    /** Tensors' values as Rows; every tensor must have rank >= 1 and {@code count} rows. */
    static Rows of(Tensor[] tensors, int count) {
        double[][] data = new double[tensors.length][];
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
