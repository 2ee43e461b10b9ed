package org.nabla.kernels.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The part of one (batch, head) attention that its mask leaves alive: which query rows see at least one key
 * ({@code live}, with {@code dead} the count of those that see none), the rows up to the last live one ({@code rows})
 * and the keys up to the last one any live row sees ({@code keys}). Padding puts dead rows and unseen keys at the end,
 * so the float32 kernel's products shrink from Tq x Tk to rows x keys: a key no live row sees gets probability exactly
 * 0 (exp of the lowest score minus a finite log-sum-exp), and a dead row's softmax is uniform over all Tk keys, which
 * the kernel writes directly (the mean of the values).
 */
record AttentionLive(int rows, int keys, boolean[] live, int dead) {

    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;

    /** Everything alive: no mask and no causal order. */
    static AttentionLive all(AttentionLayout l, boolean[] live) {
        java.util.Arrays.fill(live, 0, l.tq(), true);
        return new AttentionLive(l.tq(), l.tk(), live, 0);
    }

    /** The live part of (bi, hi); {@code live} is scratch of at least Tq entries, filled here. */
    static AttentionLive of(AttentionLayout l, int bi, int hi, boolean[] live) {
        if (!l.masks() || l.tk() == 0) return l.tk() == 0 ? new AttentionLive(0, 0, clear(live, l.tq()), l.tq())
                : all(l, live);
        AttentionLayout.Mask m = l.mask();
        boolean sameRows = !l.causal() && (m == null || m.si() == 0);
        int rows = 0, keys = 0, dead = 0, shared = Integer.MIN_VALUE;
        for (int i = 0; i < l.tq(); i++) {
            int last;
            if (sameRows) {
                if (shared == Integer.MIN_VALUE) shared = lastSeen(l, m, bi, hi, 0);
                last = shared;
            } else {
                last = lastSeen(l, m, bi, hi, i);
            }
            live[i] = last >= 0;
            if (last >= 0) {
                rows = i + 1;
                keys = Math.max(keys, last + 1);
            } else {
                dead++;
            }
        }
        return new AttentionLive(rows, keys, live, dead);
    }

    private static boolean[] clear(boolean[] live, int n) {
        java.util.Arrays.fill(live, 0, n, false);
        return live;
    }

    /** The last key query row i may see (causal order and mask), or -1 when it sees none. */
    private static int lastSeen(AttentionLayout l, AttentionLayout.Mask m, int bi, int hi, int i) {
        int end = l.causal() ? Math.min(l.tk(), i + 1) : l.tk();
        if (m == null) return end - 1;
        byte[] d = m.data();
        int row = m.base() + bi * m.sb() + hi * m.sh() + i * m.si(), sj = m.sj(), j = end - 1;
        if (sj == 1) {   // whole vectors of hidden keys at a time, from the end
            int lanes = B.length();
            while (j + 1 >= lanes && !ByteVector.fromArray(B, d, row + j + 1 - lanes)
                    .compare(VectorOperators.NE, (byte) 0).anyTrue()) {
                j -= lanes;
            }
        }
        for (; j >= 0; j--) if (d[row + j * sj] != 0) return j;
        return -1;
    }
}
