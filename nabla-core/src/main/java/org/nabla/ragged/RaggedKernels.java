package org.nabla.ragged;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.OpException;
import org.nabla.storage.Strided;

/**
 * CPU kernels of {@link RaggedOps}. Values are moved as elements of their storage array; sums and maxima are
 * typed (float32 adds in float, integers in long and wrap to their width). Row splits are checked: they start at 0,
 * never decrease and end at the number of values.
 */
final class RaggedKernels {
    private RaggedKernels() {}

    private static Object data(Tensor t) { return (t.isDenseFromZero() ? t : t.dense()).data(); }

    /** New storage for {@code length} elements of {@code dtype}, zero-filled. */
    static Object newArray(DType dtype, int length) { return Strided.allocate(dtype.storage(), length); }

    /** The checked splits of {@code n} values. */
    static long[] splits(String op, Tensor splitsT, long n) {
        long[] s = splitsT.toLongArray();
        if (s.length == 0 || s[0] != 0 || s[s.length - 1] != n) {
            throw new OpException(op, "row_splits must start at 0 and end at the number of values " + n + ", got "
                    + Arrays.toString(s));
        }
        for (int i = 1; i < s.length; i++) {
            if (s[i] < s[i - 1]) throw new OpException(op, "row_splits must not decrease, got " + Arrays.toString(s));
        }
        return s;
    }

    /** Elements per value (the product of the inner dimensions). */
    private static int inner(Tensor values) {
        int[] d = values.shape().dims();
        int k = 1;
        for (int i = 1; i < d.length; i++) k *= d[i];
        return k;
    }

    private static Shape withFirst(Shape s, int first) {
        int[] d = s.dims();
        d[0] = first;
        return Shape.of(d);
    }

    private static double getD(Object a, int i) {
        return a instanceof float[] f ? f[i] : ((double[]) a)[i];
    }

    private static long getL(Object a, int i) {
        return switch (a) {
            case int[] x -> x[i];
            case long[] x -> x[i];
            case short[] x -> x[i];
            case byte[] x -> x[i];
            default -> throw new IllegalStateException("not an integer array: " + a.getClass());
        };
    }

    private static void setL(Object a, int i, long v) {
        switch (a) {
            case int[] x -> x[i] = (int) v;
            case long[] x -> x[i] = v;
            case short[] x -> x[i] = (short) v;
            case byte[] x -> x[i] = (byte) v;
            default -> throw new IllegalStateException("not an integer array: " + a.getClass());
        }
    }

    static Tensor[] reduceSum(KernelContext ctx) { return reduce(ctx, "RaggedReduceSum", false); }

    static Tensor[] reduceMax(KernelContext ctx) { return reduce(ctx, "RaggedReduceMax", true); }

    private static Tensor[] reduce(KernelContext ctx, String op, boolean max) {
        Tensor values = ctx.input(0);
        long[] s = splits(op, ctx.input(1), values.shape().dim(0));
        int rows = s.length - 1, k = inner(values);
        DType dtype = values.dtype();
        Object v = data(values), out = newArray(dtype, rows * k);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                int o = r * k + j;
                if (dtype.isFloating()) {
                    boolean f32 = dtype == DType.FLOAT32;
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    float accF = max ? Float.NEGATIVE_INFINITY : 0f;
                    for (long i = s[r]; i < s[r + 1]; i++) {
                        double x = getD(v, (int) i * k + j);
                        if (max) {
                            // NaN wins, as in every max of Nabla
                            if (!Double.isNaN(acc) && (x > acc || Double.isNaN(x))) acc = x;
                            accF = (float) acc;
                        } else if (f32) {
                            accF += (float) x;
                        } else {
                            acc += x;
                        }
                    }
                    if (f32) ((float[]) out)[o] = accF;
                    else ((double[]) out)[o] = acc;
                } else {
                    long acc = max ? minimum(dtype) : 0;
                    for (long i = s[r]; i < s[r + 1]; i++) {
                        long x = getL(v, (int) i * k + j);
                        if (dtype == DType.UINT64 && max) acc = Long.compareUnsigned(x, acc) > 0 ? x : acc;
                        else acc = max ? Math.max(acc, unsigned(dtype, x)) : acc + x;
                    }
                    setL(out, o, acc);
                }
            }
        }
        return new Tensor[] {Tensor.wrap(dtype, withFirst(values.shape(), rows), out)};
    }

    /** An unsigned dtype's element read from its signed storage. */
    private static long unsigned(DType dtype, long x) {
        return switch (dtype) {
            case UINT8 -> x & 0xff;
            case UINT16 -> x & 0xffff;
            case UINT32 -> x & 0xffffffffL;
            default -> x;
        };
    }

    private static long minimum(DType dtype) {
        return switch (dtype) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;   // unsigned
        };
    }

    static Tensor[] broadcastRows(KernelContext ctx) {
        String op = "RaggedBroadcastRows";
        Tensor rows = ctx.input(0);
        long[] s = ctx.input(1).toLongArray();
        if (s.length != rows.shape().dim(0) + 1) {
            throw new OpException(op, "row_splits " + Arrays.toString(s) + " are for " + (s.length - 1) + " rows, "
                    + "got " + rows.shape());
        }
        splits(op, ctx.input(1), s[s.length - 1]);
        int k = inner(rows), n = (int) s[s.length - 1];
        Object src = data(rows), out = newArray(rows.dtype(), n * k);
        for (int r = 0; r + 1 < s.length; r++) {
            for (long i = s[r]; i < s[r + 1]; i++) System.arraycopy(src, r * k, out, (int) i * k, k);
        }
        return new Tensor[] {Tensor.wrap(rows.dtype(), withFirst(rows.shape(), n), out)};
    }

    static Tensor[] toTensor(KernelContext ctx) {
        Tensor values = ctx.input(0);
        long[] s = splits("RaggedToTensor", ctx.input(1), values.shape().dim(0));
        int rows = s.length - 1, k = inner(values);
        int width = 0;
        for (int r = 0; r < rows; r++) width = (int) Math.max(width, s[r + 1] - s[r]);
        DType dtype = values.dtype();
        Object v = data(values), out = newArray(dtype, rows * width * k);
        Object dflt = data(ctx.input(2));
        int total = rows * width * k;
        for (int i = 0; i < total; i++) System.arraycopy(dflt, 0, out, i, 1);
        for (int r = 0; r < rows; r++) {
            int len = (int) (s[r + 1] - s[r]);
            System.arraycopy(v, (int) s[r] * k, out, r * width * k, len * k);
        }
        int[] d = values.shape().dims();
        int[] od = new int[d.length + 1];
        od[0] = rows;
        od[1] = width;
        System.arraycopy(d, 1, od, 2, d.length - 1);
        return new Tensor[] {Tensor.wrap(dtype, Shape.of(od), out)};
    }

    static Tensor[] fromTensor(KernelContext ctx) {
        String op = "RaggedFromTensor";
        Tensor dense = ctx.input(0);
        long[] s = ctx.input(1).toLongArray();
        int rows = dense.shape().dim(0), width = dense.shape().dim(1);
        if (s.length != rows + 1) {
            throw new OpException(op, "row_splits " + Arrays.toString(s) + " are for " + (s.length - 1) + " rows, "
                    + "dense has " + rows);
        }
        splits(op, ctx.input(1), s[rows]);
        int k = 1;
        int[] d = dense.shape().dims();
        for (int i = 2; i < d.length; i++) k *= d[i];
        int n = (int) s[rows];
        Object src = data(dense), out = newArray(dense.dtype(), n * k);
        for (int r = 0; r < rows; r++) {
            int len = (int) (s[r + 1] - s[r]);
            if (len > width) throw new OpException(op, "row " + r + " has " + len + " values, dense only " + width);
            System.arraycopy(src, r * width * k, out, (int) s[r] * k, len * k);
        }
        int[] od = new int[d.length - 1];
        od[0] = n;
        System.arraycopy(d, 2, od, 1, d.length - 2);
        return new Tensor[] {Tensor.wrap(dense.dtype(), Shape.of(od), out)};
    }
}
