package org.nabla.kernels.cpu;

import org.nabla.Tensor;
import org.nabla.ops.Attrs;

/**
 * Where the operands of one ScaledDotProductAttention call live: the sizes, the scale, the causal flag, and for each
 * [B, H, T, D] operand the start of each (batch, head) matrix and its row stride. Operands whose rows are contiguous
 * are read in place, so the [B, T, H, D] to [B, H, T, D] transposes of a multi-head layer cost nothing; others are
 * copied once.
 */
record AttentionLayout(int b, int h, int tq, int tk, int d, int dv, double scale, boolean causal, Mask mask) {

    /** The layout of query, key, value (and mask) of a kernel call, whose attributes are {@code a}. */
    static AttentionLayout of(Tensor q, Tensor k, Tensor v, Tensor mask, Attrs a) {
        int d = q.shape().dim(3);
        double scale = a.getDouble("scale");
        if (scale == 0) scale = 1 / Math.sqrt(Math.max(1, d));
        return new AttentionLayout(q.shape().dim(0), q.shape().dim(1), q.shape().dim(2), k.shape().dim(2), d,
                v.shape().dim(3), scale, a.getBool("causal"), mask == null ? null : Mask.of(mask));
    }

    /** Whether query row i may not see key j. */
    boolean hidden(int bi, int hi, int i, int j) {
        return causal && j > i || mask != null && !mask.allows(bi, hi, i, j);
    }

    /** Whether any score is masked at all (otherwise the mask pass is skipped). */
    boolean masks() { return causal || mask != null; }

    /** A [B, H, T, D] operand: matrix (bi, hi) starts at {@code base + bi * sb + hi * sh}, rows {@code ld} apart. */
    record Rows(Object data, int base, int sb, int sh, int ld) {
        static Rows of(Tensor t) {
            int[] st = t.strides();
            boolean inPlace = st[0] >= 0 && st[1] >= 0 && st[2] >= 0 && (t.shape().dim(3) <= 1 || st[3] == 1);
            if (!inPlace) {
                t = t.dense();
                st = t.strides();
            }
            int ld = t.shape().dim(2) <= 1 ? Math.max(1, t.shape().dim(3)) : st[2];
            return new Rows(t.data(), t.offset(), st[0], st[1], ld);
        }

        int at(int bi, int hi) { return base + bi * sb + hi * sh; }
    }

    /** A bool mask broadcast to [B, H, Tq, Tk]: strides are 0 along broadcast axes. */
    record Mask(byte[] data, int base, int sb, int sh, int si, int sj) {
        static Mask of(Tensor m) {
            int rank = m.rank();
            int[] st = m.strides(), s4 = new int[4];
            for (int ax = 0; ax < rank; ax++) {
                s4[4 - rank + ax] = m.shape().dim(ax) == 1 ? 0 : st[ax];
            }
            return new Mask((byte[]) m.data(), m.offset(), s4[0], s4[1], s4[2], s4[3]);
        }

        boolean allows(int bi, int hi, int i, int j) { return data[base + bi * sb + hi * sh + i * si + j * sj] != 0; }
    }
}
