package org.nabla.kernels.cpu;

import java.lang.ref.WeakReference;
import java.util.function.Supplier;
import org.nabla.ResourceManager;
import org.nabla.Tensor;

/**
 * Packed copies of GEMM B operands that come back call after call: a dense layer's weights in an inference loop
 * (ONNX Runtime's pre-packed initializers). The packing is then done once per weight value instead of once per call,
 * and the packed panels stay in both cores' caches unchanged instead of being rewritten (and moved between cores)
 * every call.
 *
 * <p>A copy is keyed by the tensor object (identity) and its layout, and is valid while
 * {@link ResourceManager#inPlaceWriteEpoch()} has not moved: a tensor's contents change only through an in-place
 * variable update, and an assignment makes a new tensor. A tensor is packed here the second time it is seen, so
 * intermediate results (a new tensor each run, even when the executor reuses its array) never cost a copy. A few
 * entries only, replaced oldest first; the keys are weak, so a dropped weight frees its entry's copy at the next
 * replacement. {@code -Dnabla.gemm.prepack=false} turns it off.
 */
final class PackedWeights {
    /** Volatile, not final: a probe flips it to compare both ways in one process (scripts/probes/MlpInfer.java). */
    static volatile boolean enabled = !"false".equals(System.getProperty("nabla.gemm.prepack"));
    /** Entries kept: enough for the dense layers of a few models served side by side. */
    private static final int CAPACITY = 16;

    /** How B is packed: which GEMM path, transposed or not, and its K x N shape. */
    record Layout(int path, boolean transB, int k, int n) {}

    private static final class Entry {
        final WeakReference<Tensor> key;
        final Layout layout;
        final long epoch;
        /** Null while the tensor has been seen once only. */
        float[] packed;

        Entry(Tensor key, Layout layout, long epoch) {
            this.key = new WeakReference<>(key);
            this.layout = layout;
            this.epoch = epoch;
        }
    }

    private static final Entry[] ENTRIES = new Entry[CAPACITY];
    private static int next;

    private PackedWeights() {}

    /**
     * The packed copy of {@code b} in {@code layout}, made by {@code pack} on the second call for the same tensor and
     * layout; null on the first (the caller packs as usual then) or when turned off.
     */
    static float[] get(Tensor b, Layout layout, Supplier<float[]> pack) {
        if (!enabled || b == null) return null;
        long epoch = ResourceManager.inPlaceWriteEpoch();
        Entry e;
        synchronized (ENTRIES) {
            e = find(b, layout, epoch);
            if (e == null) {
                int free = java.util.Arrays.asList(ENTRIES).indexOf(null);
                if (free < 0) {
                    free = next;
                    next = (next + 1) % CAPACITY;
                }
                ENTRIES[free] = new Entry(b, layout, epoch);
                return null;
            }
            if (e.packed != null) return e.packed;
        }
        float[] packed = pack.get(); // outside the lock: a large weight takes a while
        synchronized (ENTRIES) {
            if (e.packed == null) e.packed = packed;
            return e.packed;
        }
    }

    /** The valid entry of this tensor and layout (stale ones are dropped on the way), or null. */
    private static Entry find(Tensor b, Layout layout, long epoch) {
        for (int i = 0; i < CAPACITY; i++) {
            Entry e = ENTRIES[i];
            if (e == null) continue;
            Tensor key = e.key.get();
            if (key == null || e.epoch != epoch) {
                ENTRIES[i] = null;
            } else if (key == b && e.layout.equals(layout)) {
                return e;
            }
        }
        return null;
    }

    /** Drops every entry (tests). */
    static void clear() {
        synchronized (ENTRIES) {
            java.util.Arrays.fill(ENTRIES, null);
        }
    }
}
