package org.nabla.kernels.cpu;

import org.nabla.Shape;

/**
 * Iterates a broadcasting binary op as rows: dimensions are aligned NumPy-style, broadcast axes get stride 0,
 * adjacent axes that are contiguous for both inputs are merged, and the innermost merged axis becomes a row that a
 * {@link RowOp} processes in a tight (vectorizable) loop. Rows, or pieces of one long row, run in parallel.
 */
public final class Broadcasting {
    /** Minimum elements per parallel chunk; below this, threads cost more than they save. */
    public static final int GRAIN = 1 << 15;

    private Broadcasting() {}

    /**
     * Processes {@code len} output elements starting at {@code outPos}; input positions advance by their steps
     * (1 = contiguous, 0 = broadcast scalar along the row).
     */
    @FunctionalInterface
    public interface RowOp {
        void row(int aPos, int aStep, int bPos, int bStep, int outPos, int len);
    }

    /** Runs {@code op} over every output element of {@code a (op) b} broadcast to {@code out}. Inputs are dense. */
    public static void forEachRow(Shape a, Shape b, Shape out, RowOp op) {
        int n = out.intSize();
        if (n == 0) return;
        if (a.equals(b)) {
            Parallel.forRange(n, GRAIN, (from, to) -> op.row(from, 1, from, 1, from, to - from));
            return;
        }
        if (b.size() == 1) {
            Parallel.forRange(n, GRAIN, (from, to) -> op.row(a.size() == 1 ? 0 : from, a.size() == 1 ? 0 : 1, 0, 0,
                    from, to - from));
            return;
        }
        if (a.size() == 1) {
            Parallel.forRange(n, GRAIN, (from, to) -> op.row(0, 0, from, 1, from, to - from));
            return;
        }
        int rank = out.rank();
        int[] dims = out.dims();
        int[] sa = broadcastStrides(a, rank, dims);
        int[] sb = broadcastStrides(b, rank, dims);
        // Merge axes from the inside out while both inputs stay contiguous across them.
        int[] md = new int[rank];
        int[] ma = new int[rank];
        int[] mb = new int[rank];
        int m = 0;
        for (int i = rank - 1; i >= 0; i--) {
            if (dims[i] == 1) continue;
            if (m > 0 && sa[i] == ma[m - 1] * md[m - 1] && sb[i] == mb[m - 1] * md[m - 1]) {
                md[m - 1] *= dims[i];
            } else {
                md[m] = dims[i];
                ma[m] = sa[i];
                mb[m] = sb[i];
                m++;
            }
        }
        // md[0] is now the innermost merged axis: the row.
        int len = md[0];
        int aStep = ma[0];
        int bStep = mb[0];
        int rows = n / len;
        int[] outer = new int[m - 1];
        int[] outerA = new int[m - 1];
        int[] outerB = new int[m - 1];
        for (int k = 1; k < m; k++) {
            outer[k - 1] = md[k];
            outerA[k - 1] = ma[k];
            outerB[k - 1] = mb[k];
        }
        int grainRows = Math.max(1, GRAIN / Math.max(1, len));
        Parallel.forRange(rows, grainRows, (from, to) -> {
            for (int r = from; r < to; r++) {
                int rem = r;
                int pa = 0;
                int pb = 0;
                for (int k = 0; k < outer.length; k++) {
                    int idx = rem % outer[k];
                    rem /= outer[k];
                    pa += idx * outerA[k];
                    pb += idx * outerB[k];
                }
                op.row(pa, aStep, pb, bStep, r * len, len);
            }
        });
    }

    /** Row-major strides of {@code s} aligned to {@code rank} axes, 0 on broadcast axes. */
    static int[] broadcastStrides(Shape s, int rank, int[] outDims) {
        int[] strides = new int[rank];
        int[] own = s.contiguousStrides();
        int shift = rank - s.rank();
        for (int i = 0; i < rank; i++) {
            if (i < shift) continue;
            int d = s.dim(i - shift);
            strides[i] = d == 1 && outDims[i] != 1 ? 0 : own[i - shift];
        }
        return strides;
    }
}
