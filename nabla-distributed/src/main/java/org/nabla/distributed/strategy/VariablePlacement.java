package org.nabla.distributed.strategy;

/**
 * How parameter-server training spreads variables over the ps tasks (TensorFlow's {@code replica_device_setter}
 * strategies): each variable lives whole on one ps task. The placement depends only on the variables' order and
 * sizes, so every replica computes the same one.
 */
public enum VariablePlacement {
    /** Variable i on ps task i mod n (TensorFlow's default). */
    ROUND_ROBIN {
        @Override
        public int[] place(long[] bytes, int psTasks) {
            check(psTasks);
            int[] out = new int[bytes.length];
            for (int i = 0; i < out.length; i++) out[i] = i % psTasks;
            return out;
        }
    },
    /**
     * Largest variables first, each on the ps task holding the fewest bytes so far (the lowest index on a tie):
     * TensorFlow's {@code GreedyLoadBalancingStrategy} with a byte-size load function. Balances the bytes each ps
     * stores, serves and updates when the sizes differ widely (an embedding table and many biases).
     */
    GREEDY_BY_SIZE {
        @Override
        public int[] place(long[] bytes, int psTasks) {
            check(psTasks);
            Integer[] order = new Integer[bytes.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            // stable: equal sizes keep their order, so the result is the same on every replica
            java.util.Arrays.sort(order, (a, b) -> Long.compare(bytes[b], bytes[a]));
            long[] load = new long[psTasks];
            int[] out = new int[bytes.length];
            for (int i : order) {
                int best = 0;
                for (int p = 1; p < psTasks; p++) if (load[p] < load[best]) best = p;
                out[i] = best;
                load[best] += bytes[i];
            }
            return out;
        }
    };

    /** The ps task (0 .. psTasks - 1) of each variable, given the variables' sizes in bytes, in order. */
    public abstract int[] place(long[] bytes, int psTasks);

    private static void check(int psTasks) {
        if (psTasks < 1) throw new IllegalArgumentException("variable placement: no ps task to place variables on");
    }
}
