package org.nabla.kernels.cpu;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.Strided;

/**
 * Index-driven data movement for {@link CpuArrayKernels}: Gather, GatherNd, GatherElements, OneHot and Pad. Inputs arrive dense
 * from offset 0; every index is checked before any copy, and a bad one is reported with its value and position.
 */
final class Gathering {
    private Gathering() {}

    private static long[] indices(Tensor t) {
        return t.data() instanceof long[] l ? l : t.toLongArray();
    }

    /** "[1, 0]": the position of flat element {@code k} in {@code shape}. */
    private static String position(Shape shape, long k) {
        int[] idx = new int[shape.rank()];
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            idx[i] = (int) (k % d);
            k /= d;
        }
        return Arrays.toString(idx);
    }

    private static int product(Shape s, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) n *= s.dim(i);
        return n;
    }

    /** Gather's result in {@code ctx}'s memory (a graph step's recycled buffer: every element is written). */
    static Tensor gather(KernelContext ctx, Tensor params, Tensor indices, int axisAttr, int batchAttr,
                         TensorSpec out) {
        Shape p = params.shape();
        int axis = axisAttr < 0 ? axisAttr + p.rank() : axisAttr;
        int batch = batchAttr < 0 ? batchAttr + indices.rank() : batchAttr;
        int b = product(p, 0, batch), o = product(p, batch, axis), inner = product(p, axis + 1, p.rank());
        int n = p.dim(axis);
        long[] idx = indices(indices);
        int count = indices.shape().intSize();
        int j = b == 0 ? 0 : count / b;
        for (int k = 0; k < count; k++) {
            if (idx[k] < 0 || idx[k] >= n) {
                throw new OpException("Gather", "index " + idx[k] + " at position " + position(indices.shape(), k)
                        + " of indices " + indices.shape() + " is out of range [0, " + n + ") for axis " + axis
                        + " of params " + p);
            }
        }
        Object src = params.data();
        Object z = ctx.allocate(out.dtype().storage(), out.shape().intSize());
        int rows = b * o;
        Parallel.forRange(rows, Math.max(1, Broadcasting.GRAIN / Math.max(1, j * inner)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int bi = r / o;
                for (int jj = 0; jj < j; jj++) {
                    int sel = (int) idx[bi * j + jj];
                    System.arraycopy(src, (r * n + sel) * inner, z, (r * j + jj) * inner, inner);
                }
            }
        });
        return Tensor.wrap(out.dtype(), out.shape(), z);
    }

    static Tensor gatherNd(Tensor params, Tensor indices, TensorSpec out) {
        Shape p = params.shape();
        int k = indices.shape().dim(-1);
        int[] strides = p.contiguousStrides();
        int slice = 1;
        for (int i = k; i < p.rank(); i++) slice *= p.dim(i);
        long[] idx = indices(indices);
        int count = 1;
        for (int i = 0; i < indices.rank() - 1; i++) count *= indices.shape().dim(i);
        Object src = params.data();
        Object z = Strided.allocate(out.dtype().storage(), out.shape().intSize());
        for (int c = 0; c < count; c++) {
            int base = 0;
            for (int i = 0; i < k; i++) {
                long v = idx[c * k + i];
                if (v < 0 || v >= p.dim(i)) {
                    throw new OpException("GatherNd", "index " + v + " at position "
                            + position(indices.shape(), (long) c * k + i) + " of indices " + indices.shape()
                            + " is out of range [0, " + p.dim(i) + ") for axis " + i + " of params " + p);
                }
                base += (int) v * strides[i];
            }
            System.arraycopy(src, base, z, c * slice, slice);
        }
        return Tensor.wrap(out.dtype(), out.shape(), z);
    }

    /** GatherElements: out[..., i, ...] = data[..., indices[..., i, ...], ...] along axis, one row per task. */
    static Tensor gatherElements(Tensor data, Tensor indices, int axisAttr, TensorSpec out) {
        Shape d = data.shape(), s = indices.shape();
        int rank = d.rank(), axis = axisAttr < 0 ? axisAttr + rank : axisAttr, last = rank - 1;
        int n = d.dim(axis);
        long[] idx = indices(indices);
        int count = s.intSize();
        for (int k = 0; k < count; k++) {
            if (idx[k] < -n || idx[k] >= n) {
                throw new OpException("GatherElements", "index " + idx[k] + " at position " + position(s, k)
                        + " of indices " + s + " is out of range [" + -n + ", " + n + ") for axis " + axis
                        + " of data " + d);
            }
        }
        int[] strides = d.contiguousStrides();
        int cols = s.dim(last), rows = cols == 0 ? 0 : count / cols;
        int[] map = new int[count];
        Parallel.forRange(rows, Math.max(1, Broadcasting.GRAIN / Math.max(1, cols)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = 0;
                for (int i = last - 1, rem = r; i >= 0; i--) {
                    int c = rem % s.dim(i);
                    rem /= s.dim(i);
                    if (i != axis) base += c * strides[i];
                }
                for (int j = 0, k = r * cols; j < cols; j++, k++) {
                    long v = idx[k] < 0 ? idx[k] + n : idx[k];
                    map[k] = base + (int) v * strides[axis] + (axis == last ? 0 : j);
                }
            }
        });
        return Tensor.wrap(out.dtype(), out.shape(), take(data.data(), map));
    }

    /** The elements of {@code src} at positions {@code at}, in an array of the same type. */
    static Object take(Object src, int[] at) {
        int n = at.length;
        switch (src) {
            case float[] a -> { float[] y = new float[n]; for (int k = 0; k < n; k++) y[k] = a[at[k]]; return y; }
            case double[] a -> { double[] y = new double[n]; for (int k = 0; k < n; k++) y[k] = a[at[k]]; return y; }
            case int[] a -> { int[] y = new int[n]; for (int k = 0; k < n; k++) y[k] = a[at[k]]; return y; }
            case long[] a -> { long[] y = new long[n]; for (int k = 0; k < n; k++) y[k] = a[at[k]]; return y; }
            case byte[] a -> { byte[] y = new byte[n]; for (int k = 0; k < n; k++) y[k] = a[at[k]]; return y; }
            case short[] a -> { short[] y = new short[n]; for (int k = 0; k < n; k++) y[k] = a[at[k]]; return y; }
            case byte[][] a -> { byte[][] y = new byte[n][]; for (int k = 0; k < n; k++) y[k] = a[at[k]]; return y; }
            default -> throw new IllegalStateException(src.getClass().toString());
        }
    }

    static Tensor oneHot(Tensor indices, Attrs attrs, TensorSpec out) {
        int depth = attrs.getInt("depth");
        int axis = attrs.getInt("axis") == -1 ? indices.rank() : attrs.getInt("axis");
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= indices.shape().dim(i);
        for (int i = axis; i < indices.rank(); i++) inner *= indices.shape().dim(i);
        DType dtype = out.dtype();
        Object z = Strided.allocate(dtype.storage(), out.shape().intSize());
        fill(z, CpuArrayKernels.scalarStorage(dtype, attrs.getDouble("offValue")));
        Object on = CpuArrayKernels.scalarStorage(dtype, attrs.getDouble("onValue"));
        long[] idx = indices(indices);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                long v = idx[o * inner + i];
                if (v >= 0 && v < depth) System.arraycopy(on, 0, z, (o * depth + (int) v) * inner + i, 1);
            }
        }
        return Tensor.wrap(dtype, out.shape(), z);
    }

    /** Fills {@code array} with the single element of {@code one} (same storage kind). */
    private static void fill(Object array, Object one) {
        switch (array) {
            case float[] a -> Arrays.fill(a, ((float[]) one)[0]);
            case double[] a -> Arrays.fill(a, ((double[]) one)[0]);
            case int[] a -> Arrays.fill(a, ((int[]) one)[0]);
            case long[] a -> Arrays.fill(a, ((long[]) one)[0]);
            case byte[] a -> Arrays.fill(a, ((byte[]) one)[0]);
            case short[] a -> Arrays.fill(a, ((short[]) one)[0]);
            case byte[][] a -> Arrays.fill(a, ((byte[][]) one)[0]);
            default -> throw new IllegalStateException(array.getClass().toString());
        }
    }

    /**
     * Pad through one source index per output position and axis ({@code -1} = padding). CONSTANT copies each
     * interior row with one arraycopy; REFLECT and SYMMETRIC copy elementwise through the last axis's map.
     */
    static Tensor pad(Tensor x, Attrs attrs, TensorSpec out) {
        int[] p = attrs.getInts("paddings");
        String mode = attrs.getString("mode");
        Shape s = x.shape(), os = out.shape();
        int r = s.rank();
        DType dtype = x.dtype();
        Object z = Strided.allocate(dtype.storage(), os.intSize());
        if (mode.equals("CONSTANT")) fill(z, CpuArrayKernels.scalarStorage(dtype, attrs.getDouble("constantValue")));
        if (os.intSize() == 0 || s.intSize() == 0 && !mode.equals("CONSTANT")) return Tensor.wrap(dtype, os, z);
        if (r == 0) {
            System.arraycopy(x.data(), 0, z, 0, 1);
            return Tensor.wrap(dtype, os, z);
        }
        int[][] map = new int[r][];
        for (int a = 0; a < r; a++) {
            int n = s.dim(a), before = p[2 * a];
            map[a] = new int[os.dim(a)];
            for (int j = 0; j < map[a].length; j++) {
                int i = j - before;
                if (i < 0 || i >= n) {
                    if (mode.equals("CONSTANT")) i = -1;
                    else if (mode.equals("REFLECT")) i = i < 0 ? -i : 2 * (n - 1) - i;
                    else i = i < 0 ? -i - 1 : 2 * n - 1 - i;
                }
                map[a][j] = i;
            }
        }
        int[] xs = s.contiguousStrides();
        int rowLen = os.dim(r - 1), inRow = s.dim(r - 1), before = p[2 * (r - 1)];
        int rows = os.intSize() / rowLen;
        int[] idx = new int[r];
        Object src = x.data();
        int[] last = map[r - 1];
        for (int row = 0; row < rows; row++) {
            int base = 0;
            boolean padded = false;
            for (int a = 0; a < r - 1; a++) {
                int m = map[a][idx[a]];
                if (m < 0) padded = true;
                else base += m * xs[a];
            }
            int dst = row * rowLen;
            if (!padded) {
                if (mode.equals("CONSTANT")) System.arraycopy(src, base, z, dst + before, inRow);
                else {
                    System.arraycopy(src, base, z, dst + before, inRow); // the interior, then the mirrored edges
                    for (int j = 0; j < before; j++) System.arraycopy(src, base + last[j], z, dst + j, 1);
                    for (int j = before + inRow; j < rowLen; j++) System.arraycopy(src, base + last[j], z, dst + j, 1);
                }
            }
            for (int a = r - 2; a >= 0; a--) {
                if (++idx[a] < os.dim(a)) break;
                idx[a] = 0;
            }
        }
        return Tensor.wrap(dtype, os, z);
    }
}
