package org.nabla.ops;

import java.util.Arrays;
import org.nabla.Shape;

/**
 * TensorFlow's StridedSlice rules resolved against an input shape: the output shape, where the slice starts on each
 * input axis, and for each output axis the input axis it walks (-1 for a new axis) and its step. Shape inference and
 * the CPU kernel (which builds a view from it) share this one reading of the masks.
 */
public record StridedSlicing(Shape shape, int[] inputStart, int[] outputSource, int[] outputStep) {
    private static final String OP = "StridedSlice";

    /** Resolves the attributes {@code begin, end, strides} and the five masks of {@link ArrayOps#STRIDED_SLICE}. */
    public static StridedSlicing of(Shape s, Attrs a) {
        int[] begin = a.getInts("begin"), end = a.getInts("end"), strides = a.getInts("strides");
        int beginMask = a.getInt("beginMask"), endMask = a.getInt("endMask"), ellipsisMask = a.getInt("ellipsisMask");
        int newAxisMask = a.getInt("newAxisMask"), shrinkMask = a.getInt("shrinkAxisMask");
        int m = begin.length;
        if (end.length != m || strides.length != m) {
            throw new OpException(OP, "begin " + Arrays.toString(begin) + ", end " + Arrays.toString(end)
                    + " and strides " + Arrays.toString(strides) + " must have the same length");
        }
        if (m > 31) throw new OpException(OP, "at most 31 slice entries are supported, got " + m);
        if (Integer.bitCount(ellipsisMask & ((1 << m) - 1)) > 1) {
            throw new OpException(OP, "ellipsisMask " + ellipsisMask + " marks more than one ellipsis");
        }
        int r = s.rank();
        int consuming = 0;
        for (int i = 0; i < m; i++) if (!bit(ellipsisMask, i) && !bit(newAxisMask, i)) consuming++;
        if (consuming > r) {
            throw new OpException(OP, "the slice indexes " + consuming + " axes but the input " + s + " has rank " + r);
        }
        int[] start = new int[r];
        int[] outDims = new int[m + r];
        int[] src = new int[m + r];
        int[] step = new int[m + r];
        int k = 0, d = 0;
        for (int i = 0; i < m; i++) {
            if (bit(ellipsisMask, i)) {
                for (int span = r - consuming; span > 0; span--, d++, k++) {
                    outDims[k] = s.dim(d);
                    src[k] = d;
                    step[k] = 1;
                }
                continue;
            }
            if (bit(newAxisMask, i)) {
                outDims[k] = 1;
                src[k] = -1;
                step[k++] = 1;
                continue;
            }
            int n = s.dim(d);
            int st = strides[i];
            if (st == 0) throw new OpException(OP, "stride " + i + " is 0 (strides " + Arrays.toString(strides) + ")");
            if (bit(shrinkMask, i)) {
                long b = begin[i] < 0 ? (long) begin[i] + n : begin[i];
                if (n >= 0 && (b < 0 || b >= n)) {
                    throw new OpException(OP, "index " + begin[i] + " is out of range for axis " + d + " of size " + n
                            + " (input " + s + ")");
                }
                start[d++] = (int) b;
                continue;
            }
            long b, e, len;
            if (n < 0) {
                b = 0;
                len = -1;
            } else if (st > 0) {
                b = bit(beginMask, i) ? 0 : clamp(norm(begin[i], n), 0, n);
                e = bit(endMask, i) ? n : clamp(norm(end[i], n), 0, n);
                len = e > b ? (e - b + st - 1) / st : 0;
            } else {
                b = bit(beginMask, i) ? n - 1 : clamp(norm(begin[i], n), -1, n - 1);
                e = bit(endMask, i) ? -1 : clamp(norm(end[i], n), -1, n - 1);
                len = b > e ? (b - e - st - 1) / -st : 0;
            }
            start[d] = (int) b;
            outDims[k] = (int) len;
            src[k] = d++;
            step[k++] = st;
        }
        for (; d < r; d++, k++) {
            outDims[k] = s.dim(d);
            src[k] = d;
            step[k] = 1;
        }
        return new StridedSlicing(Shape.of(Arrays.copyOf(outDims, k)), start, Arrays.copyOf(src, k),
                Arrays.copyOf(step, k));
    }

    private static boolean bit(int mask, int i) { return (mask >>> i & 1) != 0; }

    private static long norm(int v, int n) { return v < 0 ? (long) v + n : v; }

    private static long clamp(long v, long lo, long hi) { return Math.max(lo, Math.min(hi, v)); }
}
