package org.nabla.kernels.cpu;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.storage.Strided;

/**
 * Sort, Argsort and TopK for {@link CpuArrayKernels}. The sorted axis is moved last (one copy when it is not), and
 * each row is ordered by an order-preserving integer key per element: NaN maps above +inf and -0.0 onto 0.0, and a
 * descending sort uses the bitwise complement of the key. For 32-bit dtypes the key and the element's index are
 * packed into one long, so a plain {@code Arrays.sort(long[])} is already stable; 64-bit dtypes use a stable merge
 * sort of indices. Unsigned dtypes flip the sign bit of their key (uint32, uint64) or read zero-extended (uint8,
 * uint16), so every key orders as a signed integer.
 */
final class Sorting {
    private Sorting() {}

    /** Sort ({@code indices} false) or Argsort ({@code indices} true) along the {@code axis} attribute. */
    static Tensor sort(Tensor x, Attrs attrs, boolean indices) {
        int r = x.rank();
        int axis = attrs.getInt("axis") < 0 ? attrs.getInt("axis") + r : attrs.getInt("axis");
        boolean descending = attrs.getBool("descending");
        Tensor rows = lastAxis(x, axis);
        int n = x.shape().dim(axis);
        int size = x.shape().intSize();
        DType outType = indices ? DType.INT32 : x.dtype();
        Object z = Strided.allocate(outType.storage(), size);
        Object src = rows.data();
        int count = n == 0 ? 0 : size / n;
        DType dtype = x.dtype();
        // Arrays.sort on the values themselves orders them right only where the storage is the dtype's value type.
        boolean plain = !indices && (dtype.isFloating() || dtype == DType.INT32 || dtype == DType.INT64);
        Parallel.forRange(count, Math.max(1, Broadcasting.GRAIN / Math.max(1, n)), (from, to) -> {
            int[] order = new int[n];
            Scratch scratch = new Scratch(n);
            for (int row = from; row < to; row++) {
                int base = row * n;
                if (plain) {
                    System.arraycopy(src, base, z, base, n);
                    sortRange(z, base, base + n);
                    if (descending) reverse(z, base, n);
                    continue;
                }
                argsortRow(src, dtype, base, n, descending, order, scratch);
                if (indices) System.arraycopy(order, 0, z, base, n);
                else gatherRow(src, base, order, n, z, base);
            }
        });
        return restoreAxis(Tensor.wrap(outType, rows.shape(), z), x.shape(), axis);
    }

    /** TopK along the last axis: values and int32 indices, largest first, ties with the lower index first. */
    static Tensor[] topK(Tensor x, int k) {
        Shape s = x.shape();
        int n = s.dim(-1);
        int[] od = s.dims();
        od[od.length - 1] = k;
        Shape os = Shape.of(od);
        int count = n == 0 ? 0 : s.intSize() / n;
        Object values = Strided.allocate(x.dtype().storage(), os.intSize());
        int[] idx = new int[os.intSize()];
        Object src = x.data();
        Parallel.forRange(count, Math.max(1, Broadcasting.GRAIN / Math.max(1, n)), (from, to) -> {
            int[] order = new int[n];
            Scratch scratch = new Scratch(n);
            for (int row = from; row < to; row++) {
                if (k * 8L < n && !(src instanceof double[] || src instanceof long[])) {
                    selectTop(src, x.dtype(), row * n, n, k, order, scratch.packed);
                } else {
                    argsortRow(src, x.dtype(), row * n, n, true, order, scratch);
                }
                System.arraycopy(order, 0, idx, row * k, k);
                gatherRow(src, row * n, order, k, values, row * k);
            }
        });
        return new Tensor[] {Tensor.wrap(x.dtype(), os, values), Tensor.wrap(DType.INT32, os, idx)};
    }

    /** Per-thread buffers for one row. */
    private static final class Scratch {
        final long[] packed;
        final long[] keys;
        final int[] tmp;
        final int[] ukeys;
        final int[] ukeysTmp;
        final int[] count = new int[RADIX + 1];

        Scratch(int n) {
            packed = new long[n];
            keys = new long[n];
            tmp = new int[n];
            ukeys = new int[n];
            ukeysTmp = new int[n];
        }
    }

    /** Rows at least this long are argsorted by an LSD radix sort (three 11-bit passes) instead of a comparison sort. */
    private static final int RADIX_MIN = 256;
    private static final int RADIX = 1 << 11;

    private static Tensor lastAxis(Tensor x, int axis) {
        int r = x.rank();
        if (axis == r - 1) return x.dense();
        int[] dims = x.shape().dims(), xs = x.strides();
        int[] pd = new int[r], ps = new int[r];
        for (int i = 0, k = 0; i < r; i++) {
            if (i != axis) {
                pd[k] = dims[i];
                ps[k++] = xs[i];
            }
        }
        pd[r - 1] = dims[axis];
        ps[r - 1] = xs[axis];
        return Tensor.view(x, Shape.of(pd), x.offset(), ps).dense();
    }

    /** A view of a result laid out with {@code axis} last, in the input's axis order. */
    private static Tensor restoreAxis(Tensor t, Shape shape, int axis) {
        int r = shape.rank();
        if (axis == r - 1 || shape.size() == 0) return Tensor.wrap(t.dtype(), shape, t.data());
        int[] ts = t.strides();
        int[] s = new int[r];
        for (int a = 0; a < r; a++) s[a] = a < axis ? ts[a] : a == axis ? ts[r - 1] : ts[a - 1];
        return Tensor.view(t, shape, 0, s);
    }

    private static int floatKey(float v) {
        int b = Float.floatToIntBits(v == 0 ? 0f : v); // canonical NaN, -0.0 as 0.0
        return b ^ ((b >> 31) & 0x7fffffff);
    }

    private static long doubleKey(double v) {
        long b = Double.doubleToLongBits(v == 0 ? 0.0 : v);
        return b ^ ((b >> 63) & 0x7fffffffffffffffL);
    }

    /** Writes into {@code order} the stable ascending (or descending) order of row {@code [base, base + n)}. */
    private static void argsortRow(Object src, DType dtype, int base, int n, boolean descending, int[] order,
            Scratch s) {
        if (src instanceof double[] || src instanceof long[]) {
            long[] keys = s.keys;
            for (int j = 0; j < n; j++) {
                long key = src instanceof double[] d ? doubleKey(d[base + j])
                        : ((long[]) src)[base + j] ^ (dtype == DType.UINT64 ? Long.MIN_VALUE : 0);
                keys[j] = descending ? ~key : key;
                order[j] = j;
            }
            mergeSort(order, keys, s.tmp, n);
            return;
        }
        if (n >= RADIX_MIN) {
            int[] keys = s.ukeys;
            for (int j = 0; j < n; j++) {
                int key = key32(src, base + j, dtype);
                keys[j] = (descending ? ~key : key) ^ Integer.MIN_VALUE; // signed order -> unsigned order
                order[j] = j;
            }
            radixSort(keys, order, s.ukeysTmp, s.tmp, s.count, n);
            return;
        }
        long[] packed = s.packed;
        for (int j = 0; j < n; j++) {
            int key = key32(src, base + j, dtype);
            packed[j] = ((long) (descending ? ~key : key) << 32) | j;
        }
        Arrays.sort(packed, 0, n);
        for (int j = 0; j < n; j++) order[j] = (int) packed[j];
    }

    private static int key32(Object src, int i, DType dtype) {
        return switch (src) {
            case float[] f -> floatKey(f[i]);
            case int[] a -> dtype == DType.UINT32 ? a[i] ^ Integer.MIN_VALUE : a[i];
            case byte[] a -> a[i] & (int) dtype.valueMask();
            case short[] a -> a[i] & (int) dtype.valueMask();
            default -> throw new IllegalStateException(src.getClass().toString());
        };
    }

    /**
     * The {@code k} largest of a row (32-bit dtypes) in O(n log k): a max-heap holds the k smallest packed
     * (complemented key, index) values seen so far, then those k are sorted.
     */
    private static void selectTop(Object src, DType dtype, int base, int n, int k, int[] order, long[] heap) {
        if (k == 0) return;
        for (int j = 0; j < n; j++) {
            long p = ((long) ~key32(src, base + j, dtype) << 32) | j;
            if (j < k) {
                int c = j; // sift up
                while (c > 0 && heap[(c - 1) / 2] < p) {
                    heap[c] = heap[(c - 1) / 2];
                    c = (c - 1) / 2;
                }
                heap[c] = p;
            } else if (p < heap[0]) {
                int c = 0; // sift down from the root
                while (true) {
                    int l = 2 * c + 1;
                    if (l >= k) break;
                    int big = l + 1 < k && heap[l + 1] > heap[l] ? l + 1 : l;
                    if (heap[big] <= p) break;
                    heap[c] = heap[big];
                    c = big;
                }
                heap[c] = p;
            }
        }
        Arrays.sort(heap, 0, k);
        for (int j = 0; j < k; j++) order[j] = (int) heap[j];
    }

    /**
     * Stable LSD radix sort of {@code idx[0, n)} by unsigned {@code keys}; passes whose digit is the same for every
     * element are skipped (small integer ranges need one pass).
     */
    private static void radixSort(int[] keys, int[] idx, int[] keysTmp, int[] idxTmp, int[] count, int n) {
        int[] k = keys, i = idx, k2 = keysTmp, i2 = idxTmp;
        for (int shift = 0; shift < 32; shift += 11) {
            java.util.Arrays.fill(count, 0);
            for (int j = 0; j < n; j++) count[((k[j] >>> shift) & (RADIX - 1)) + 1]++;
            if (count[((k[0] >>> shift) & (RADIX - 1)) + 1] == n) continue;
            for (int d = 0; d < RADIX; d++) count[d + 1] += count[d];
            for (int j = 0; j < n; j++) {
                int pos = count[(k[j] >>> shift) & (RADIX - 1)]++;
                k2[pos] = k[j];
                i2[pos] = i[j];
            }
            int[] t = k; k = k2; k2 = t;
            t = i; i = i2; i2 = t;
        }
        if (i != idx) System.arraycopy(i, 0, idx, 0, n);
    }

    /** Bottom-up stable merge sort of {@code order[0, n)} by {@code keys[order[i]]}. */
    private static void mergeSort(int[] order, long[] keys, int[] tmp, int n) {
        int[] a = order, b = tmp;
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
                int i = lo, j = mid, k = lo;
                while (i < mid && j < hi) b[k++] = keys[a[j]] < keys[a[i]] ? a[j++] : a[i++];
                while (i < mid) b[k++] = a[i++];
                while (j < hi) b[k++] = a[j++];
            }
            int[] t = a;
            a = b;
            b = t;
        }
        if (a != order) System.arraycopy(a, 0, order, 0, n);
    }

    private static void sortRange(Object z, int from, int to) {
        switch (z) {
            case float[] a -> Arrays.sort(a, from, to);
            case double[] a -> Arrays.sort(a, from, to);
            case int[] a -> Arrays.sort(a, from, to);
            case long[] a -> Arrays.sort(a, from, to);
            default -> throw new IllegalStateException(z.getClass().toString());
        }
    }

    private static void reverse(Object z, int base, int n) {
        for (int i = base, j = base + n - 1; i < j; i++, j--) {
            switch (z) {
                case float[] a -> { float t = a[i]; a[i] = a[j]; a[j] = t; }
                case double[] a -> { double t = a[i]; a[i] = a[j]; a[j] = t; }
                case int[] a -> { int t = a[i]; a[i] = a[j]; a[j] = t; }
                case long[] a -> { long t = a[i]; a[i] = a[j]; a[j] = t; }
                default -> throw new IllegalStateException(z.getClass().toString());
            }
        }
    }

    /** {@code dst[dstBase + t] = src[srcBase + order[t]]} for {@code t < k}. */
    private static void gatherRow(Object src, int srcBase, int[] order, int k, Object dst, int dstBase) {
        switch (src) {
            case float[] s -> { float[] d = (float[]) dst; for (int t = 0; t < k; t++) d[dstBase + t] = s[srcBase + order[t]]; }
            case double[] s -> { double[] d = (double[]) dst; for (int t = 0; t < k; t++) d[dstBase + t] = s[srcBase + order[t]]; }
            case int[] s -> { int[] d = (int[]) dst; for (int t = 0; t < k; t++) d[dstBase + t] = s[srcBase + order[t]]; }
            case long[] s -> { long[] d = (long[]) dst; for (int t = 0; t < k; t++) d[dstBase + t] = s[srcBase + order[t]]; }
            case byte[] s -> { byte[] d = (byte[]) dst; for (int t = 0; t < k; t++) d[dstBase + t] = s[srcBase + order[t]]; }
            case short[] s -> { short[] d = (short[]) dst; for (int t = 0; t < k; t++) d[dstBase + t] = s[srcBase + order[t]]; }
            default -> throw new IllegalStateException(src.getClass().toString());
        }
    }
}
