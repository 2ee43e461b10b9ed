package org.nabla.kernels.cpu;

/**
 * Per-thread working arrays of the fused conv + pool kernels (band buffers, tiles, offsets), kept between calls. A
 * batch-1 inference call of the cnn allocated ~95 KB of them per call; that garbage made the young generation grow
 * and fault in fresh (huge) pages while the calls ran, ms-long stalls (docs/benchmarks.md). Each array grows to the
 * largest size asked of its slot and is never shrunk; the sizes are bounded by a band (tens of KB). The contents are
 * whatever the last user left: callers write before they read. Only one kernel call uses a thread's arrays at a time
 * (the kernels do not nest).
 */
final class ConvScratch {
    private static final ThreadLocal<ConvScratch> OF_THREAD = ThreadLocal.withInitial(ConvScratch::new);
    /** Distinct arrays per kind one kernel call needs at once. */
    private static final int SLOTS = 2;

    private final float[][] floats = new float[SLOTS][0];
    private final int[][] ints = new int[SLOTS][0];

    private ConvScratch() {}

    /** The calling thread's scratch. */
    static ConvScratch get() { return OF_THREAD.get(); }

    /** Float array {@code slot} with at least {@code size} elements (not cleared). */
    float[] floats(int slot, int size) {
        if (floats[slot].length < size) floats[slot] = new float[size];
        return floats[slot];
    }

    /** Int array {@code slot} with at least {@code size} elements (not cleared). */
    int[] ints(int slot, int size) {
        if (ints[slot].length < size) ints[slot] = new int[size];
        return ints[slot];
    }
}
