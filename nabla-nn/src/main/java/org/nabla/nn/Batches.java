package org.nabla.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * Mini-batches of in-memory tensors as an {@code Iterable<Tensor[]>}: each batch holds the same rows of every
 * tensor (e.g. {x, y}). Each iteration is one epoch; with shuffling the order of epoch e is a permutation drawn from
 * {@code seed + e}, so it is deterministic given the seed. The last batch may be smaller (unless dropRemainder).
 */
public final class Batches implements Iterable<Tensor[]> {
    private final Tensor[] tensors;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropRemainder;
    private int epoch;
    /** Row buffers each iteration cycles through for its full batches; 0: every batch gets new arrays. */
    private int recycledBuffers;

    private Batches(Tensor[] tensors, int batchSize, boolean shuffle, long seed, boolean dropRemainder) {
        this.tensors = tensors;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropRemainder = dropRemainder;
    }

    /** Batches in order. */
    public static Batches of(int batchSize, Tensor... tensors) { return make(batchSize, false, 0, false, tensors); }

    /** Batches shuffled per epoch with {@code seed}. */
    public static Batches shuffled(int batchSize, long seed, Tensor... tensors) {
        return make(batchSize, true, seed, false, tensors);
    }

    /**
     * Batches of {@code batchSize} rows of every tensor, shuffled per epoch with {@code seed} when {@code shuffle};
     * {@code dropRemainder} skips a last, smaller batch.
     */
    public static Batches make(int batchSize, boolean shuffle, long seed, boolean dropRemainder, Tensor... tensors) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (tensors.length == 0) throw new IllegalArgumentException("Batches: no tensors");
        int n = -1;
        Tensor[] dense = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t == null) throw new IllegalArgumentException("Batches: tensor " + i + " is null");
            if (t.isSymbolic()) throw new IllegalArgumentException("Batches: tensor " + i + " is symbolic");
            if (t.shape().rank() == 0) {
                throw new IllegalArgumentException("Batches: tensor " + i + " is a scalar; need a batch dim");
            }
            if (n < 0) n = t.shape().dim(0);
            else if (t.shape().dim(0) != n) {
                throw new IllegalArgumentException("Batches: tensors have different numbers of examples: "
                        + tensors[0].shape() + " and " + t.shape());
            }
            dense[i] = t.isDenseFromZero() ? t : t.dense();
            if (dense[i].offset() != 0 || !dense[i].isDense()) dense[i] = Tensor.wrap(t.dtype(), t.shape(), copy(t));
        }
        return new Batches(dense, batchSize, shuffle, seed, dropRemainder);
    }

    private static Object copy(Tensor t) {
        return switch (t.dtype().storage()) {
            case FLOAT -> t.toFloatArray();
            case DOUBLE -> t.toDoubleArray();
            case INT -> t.toIntArray();
            case LONG -> t.toLongArray();
            case BYTE -> t.toByteArray();
            case SHORT -> t.toShortArray();
            case STRING -> t.toBytesArray();
            case COMPLEX64, COMPLEX128 -> t.dense().data();   // dense and immutable: shared, not copied
        };
    }

    /** Makes the next iteration epoch {@code e} (its shuffle order), e.g. when resuming training. */
    public Batches startAtEpoch(int e) {
        if (e < 0) throw new IllegalArgumentException("Batches: epoch must be >= 0, got " + e);
        epoch = e;
        return this;
    }

    /**
     * Makes later iterations copy full batches into {@code buffers} arrays per tensor, reused in turn, instead of new
     * arrays (the last, smaller batch still gets its own). Only for a consumer that is done with a batch before it
     * asks for the {@code buffers}-th next one, as {@link Model#fit} is with its prefetch depth + 2: the copies are
     * then the only memory traffic, with no allocation, zeroing or garbage per batch.
     */
    Batches recycling(int buffers) {
        if (buffers < 0) throw new IllegalArgumentException("Batches: buffers must be >= 0, got " + buffers);
        recycledBuffers = buffers;
        return this;
    }

    /** The first batch in order (no shuffling), without starting an epoch: to build a model from its shapes. */
    Tensor[] firstBatch() {
        int n = size(), to = Math.min(n, batchSize);
        Tensor[] out = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) out[i] = rows(tensors[i], null, 0, to, false, null);
        return out;
    }

    /** The number of examples. */
    public int size() { return tensors[0].shape().dim(0); }

    /** Batches per epoch. */
    public int batchesPerEpoch() {
        int n = size();
        return dropRemainder ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<Tensor[]> iterator() {
        int n = size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(seed + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        epoch++;
        int count = batchesPerEpoch();
        int buffers = recycledBuffers;
        Object[][] ring = new Object[tensors.length][buffers];
        return new Iterator<>() {
            int b;

            @Override public boolean hasNext() { return b < count; }

            @Override
            public Tensor[] next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = b * batchSize, to = Math.min(n, from + batchSize);
                Tensor[] out = new Tensor[tensors.length];
                for (int i = 0; i < tensors.length; i++) {
                    Object dst = null;
                    if (buffers > 0 && to - from == batchSize) {
                        Object[] mine = ring[i];
                        int slot = b % buffers;
                        if (mine[slot] == null) mine[slot] = newArray(tensors[i], batchSize);
                        dst = mine[slot];
                    }
                    out[i] = rows(tensors[i], order, from, to, shuffle, dst);
                }
                b++;
                return out;
            }
        };
    }

    /** A storage array for {@code rows} rows of {@code t}. */
    private static Object newArray(Tensor t, int rows) {
        return java.lang.reflect.Array.newInstance(t.data().getClass().getComponentType(),
                rows * rowSize(t.shape().dims()) * slots(t));
    }

    /** Array slots per element: 2 for complex (re, im pairs), else 1. */
    private static int slots(Tensor t) { return t.dtype().isComplex() ? 2 : 1; }

    private static int rowSize(int[] dims) {
        int row = 1;
        for (int i = 1; i < dims.length; i++) row *= dims[i];
        return row;
    }

    /**
     * Rows {@code order[from..to)} of a dense tensor, copied with System.arraycopy into {@code into} (an array of
     * exactly that many rows) or, when null, a new array.
     */
    static Tensor rows(Tensor t, int[] order, int from, int to, boolean permuted, Object into) {
        int[] d = t.shape().dims();
        int row = rowSize(d) * slots(t);
        int count = to - from;
        d[0] = count;
        Object src = t.data();
        Object dst = into != null ? into : newArray(t, count);
        if (!permuted) {
            System.arraycopy(src, from * row, dst, 0, count * row);
        } else {
            for (int i = 0; i < count; i++) System.arraycopy(src, order[from + i] * row, dst, i * row, row);
        }
        return Tensor.wrap(t.dtype(), Shape.of(d), dst);
    }

    /** Splits each batch {x..., y...} list into per-tensor lists (helper for predict). */
    static List<Tensor[]> collect(Iterable<Tensor[]> data) {
        List<Tensor[]> all = new ArrayList<>();
        for (Tensor[] b : data) all.add(b);
        return all;
    }
}
