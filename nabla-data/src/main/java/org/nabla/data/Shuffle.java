package org.nabla.data;

import java.util.ArrayList;

/**
 * One pass of {@link Dataset#shuffle}: a buffer filled from upstream, each output a uniformly chosen buffer entry
 * replaced by the next input. The generator is SplitMix64 written out here, so orders never change with the JDK.
 */
final class Shuffle<T> extends Stages.Unary<T, T> {
    private final int bufferSize;
    private final ArrayList<T> buffer;
    private long state;
    private boolean upDone;

    Shuffle(DatasetIterator<T> up, int bufferSize, long seed) {
        super(up);
        this.bufferSize = bufferSize;
        this.buffer = new ArrayList<>(Math.min(bufferSize, 1 << 12));
        this.state = seed;
    }

    /** The seed of pass {@code pass} of a shuffle seeded with {@code seed}. */
    static long passSeed(long seed, long pass) { return mix(seed ^ mix(pass + 0x632BE59BD9B4E019L)); }

    @Override
    protected T computeNext() {
        while (!upDone && buffer.size() < bufferSize) {
            if (up.hasNext()) buffer.add(up.next());
            else upDone = true;
        }
        if (buffer.isEmpty()) return endOfData();
        int r = nextInt(buffer.size());
        int last = buffer.size() - 1;
        T x = buffer.get(r);
        buffer.set(r, buffer.get(last));
        buffer.remove(last);
        return x;
    }

    private int nextInt(int bound) {
        // Lemire's multiply-shift with rejection: unbiased for any bound
        long m = ((nextLong() >>> 32) * bound);
        if ((m & 0xFFFFFFFFL) < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while ((m & 0xFFFFFFFFL) < threshold) m = (nextLong() >>> 32) * bound;
        }
        return (int) (m >>> 32);
    }

    private long nextLong() { return mix(state += 0x9E3779B97F4A7C15L); }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
