package org.nabla.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.nabla.Tensor;
import org.nabla.ragged.RaggedTensor;

/**
 * A tf.data-like input pipeline: an immutable description of a sequence of elements that can be iterated many times
 * (each {@link #iterator()} is a fresh pass, an "epoch").
 *
 * <p>Elements are usually a {@link Tensor} or a {@code Tensor[]} tuple, e.g. {@code (x, y)} training pairs from
 * {@link #fromTensorSlices(Tensor...)}; {@link #batch(int)} stacks either kind along a new axis 0. Transformations
 * return new datasets and never change this one. {@link #map(Function, int)} and {@link #prefetch(int)} run on
 * daemon background threads that stop when the pass ends or its iterator is closed; the order of elements never
 * depends on thread timing, so a pipeline with seeded shuffles gives the same elements every run.
 */
public abstract class Dataset<T> implements Iterable<T> {
    /** For {@code numParallelCalls} / prefetch buffer sizes: let the pipeline choose (the number of cores / 2). */
    public static final int AUTOTUNE = -1;
    /** {@link #cardinality()} of a dataset that repeats forever. */
    public static final long INFINITE = -1;
    /** {@link #cardinality()} when the number of elements is not known without iterating (filter, generators). */
    public static final long UNKNOWN = -2;

    private final String description;
    private final long cardinality;

    Dataset(String description, long cardinality) {
        this.description = description;
        this.cardinality = cardinality;
    }

    /** A fresh pass over the elements; close it (or run it to the end) to stop its background threads. */
    @Override
    public abstract DatasetIterator<T> iterator();

    /** The number of elements, {@link #INFINITE} or {@link #UNKNOWN}. */
    public long cardinality() { return cardinality; }

    @Override
    public String toString() { return description; }

    static <T> Dataset<T> create(String description, long cardinality, Supplier<DatasetIterator<T>> passes) {
        return new Dataset<>(description, cardinality) {
            @Override
            public DatasetIterator<T> iterator() { return passes.get(); }
        };
    }

    // ---------------------------------------------------------------- sources

    /** A dataset of one element, {@code tensor}. */
    public static Dataset<Tensor> fromTensor(Tensor tensor) {
        Objects.requireNonNull(tensor, "tensor");
        return fromIterable(List.of(tensor)).named("fromTensor(" + tensor.spec() + ")");
    }

    /** A dataset of one element, the tuple {@code tensors}. */
    public static Dataset<Tensor[]> fromTensors(Tensor... tensors) {
        Tensor[] copy = Sources.requireTensors("fromTensors", tensors);
        return create("fromTensors(" + copy.length + " tensors)", 1, () -> new Sources.ListPass<Tensor[]>(
                List.<Tensor[]>of(copy), Tensor[]::clone));
    }

    /** One element per index along axis 0 of {@code tensor}: {@code tensor[i]} (views sharing its storage). */
    public static Dataset<Tensor> fromTensorSlices(Tensor tensor) {
        Tensor[] one = Sources.requireSliceable(new Tensor[] {tensor});
        int n = one[0].shape().dim(0);
        return create("fromTensorSlices(" + one[0].spec() + ")", n, () -> new Sources.SlicePass<>(one, t -> t[0]));
    }

    /**
     * Slices several tensors together along axis 0: element {@code i} is {@code {t0[i], t1[i], ...}}, e.g. an
     * {@code (image, label)} pair. All tensors must have the same size along axis 0.
     */
    public static Dataset<Tensor[]> fromTensorSlices(Tensor... tensors) {
        Tensor[] ts = Sources.requireSliceable(tensors);
        int n = ts[0].shape().dim(0);
        return create("fromTensorSlices(" + ts.length + " tensors of " + n + ")", n,
                () -> new Sources.SlicePass<>(ts, t -> t));
    }

    /** The integers {@code 0, 1, ..., stop - 1}. */
    public static Dataset<Long> range(long stop) { return range(0, stop, 1); }

    /** The integers {@code start, start + 1, ..., stop - 1}. */
    public static Dataset<Long> range(long start, long stop) { return range(start, stop, 1); }

    /** The integers from {@code start} towards {@code stop} (exclusive) by {@code step} (non-zero, may be negative). */
    public static Dataset<Long> range(long start, long stop, long step) {
        if (step == 0) throw new IllegalArgumentException("range: step must be non-zero, got 0");
        long n = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                : (start > stop ? (start - stop - step - 1) / -step : 0);
        return create("range(" + start + ", " + stop + ", " + step + ")", n, () -> new Sources.RangePass(start, step, n));
    }

    /**
     * The elements of {@code iterable}, asking it for a new iterator on every pass (a Java collection, or any
     * iterable that can be traversed several times). An iterator that is {@link AutoCloseable} is closed at the
     * end of the pass.
     */
    public static <T> Dataset<T> fromIterable(Iterable<? extends T> iterable) {
        Objects.requireNonNull(iterable, "iterable");
        long n = iterable instanceof Collection<?> c ? c.size() : UNKNOWN;
        return create("fromIterable", n, () -> new Sources.IteratorPass<>(iterable.iterator()));
    }

    /** The elements of a fresh iterator from {@code generator} on every pass (e.g. reading a file). */
    public static <T> Dataset<T> fromGenerator(Supplier<? extends Iterator<? extends T>> generator) {
        Objects.requireNonNull(generator, "generator");
        return create("fromGenerator", UNKNOWN, () -> new Sources.IteratorPass<>(
                Objects.requireNonNull(generator.get(), "fromGenerator: the generator returned a null iterator")));
    }

    // ---------------------------------------------------------------- transformations

    /** Applies {@code fn} to every element, on the consumer's thread. */
    public <R> Dataset<R> map(Function<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return create(description + ".map()", cardinality, () -> new Stages.Map<T, R>(iterator(), fn));
    }

    /**
     * Applies {@code fn} to every element on {@code numParallelCalls} daemon threads ({@link #AUTOTUNE}: one per
     * core), keeping the input order. {@code fn} must be thread-safe. A failure arrives on the consumer's thread as
     * a {@link DatasetException} whose cause is {@code fn}'s exception.
     */
    public <R> Dataset<R> map(Function<? super T, ? extends R> fn, int numParallelCalls) {
        Objects.requireNonNull(fn, "fn");
        int threads = numParallelCalls == AUTOTUNE ? Runtime.getRuntime().availableProcessors() : numParallelCalls;
        if (threads < 1) throw new IllegalArgumentException("map: numParallelCalls must be >= 1 or AUTOTUNE, got "
                + numParallelCalls);
        if (threads == 1) return map(fn);
        return create(description + ".map(parallel=" + threads + ")", cardinality,
                () -> new ParallelMap<T, R>(iterator(), fn, threads));
    }

    /** Keeps the elements for which {@code predicate} is true. */
    public Dataset<T> filter(Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return create(description + ".filter()", cardinality == INFINITE ? INFINITE : UNKNOWN,
                () -> new Stages.Filter<>(iterator(), predicate));
    }

    /** {@link #shuffle(int, long, boolean)} reshuffling every pass, seeded at random. */
    public Dataset<T> shuffle(int bufferSize) { return shuffle(bufferSize, new SplittableRandom().nextLong(), true); }

    /** {@link #shuffle(int, long, boolean)} reshuffling every pass. */
    public Dataset<T> shuffle(int bufferSize, long seed) { return shuffle(bufferSize, seed, true); }

    /**
     * Shuffles with a buffer of {@code bufferSize} elements (a uniform shuffle when it holds the whole dataset):
     * the buffer is filled, then each output is a random buffer entry, replaced by the next input. The order
     * depends only on {@code seed} and, when {@code reshuffleEachIteration}, on the number of passes made so far
     * over this dataset (pass k of a fresh pipeline is the same in every run).
     */
    public Dataset<T> shuffle(int bufferSize, long seed, boolean reshuffleEachIteration) {
        if (bufferSize < 1) throw new IllegalArgumentException("shuffle: bufferSize must be >= 1, got " + bufferSize);
        AtomicLong passes = new AtomicLong();
        return create(description + ".shuffle(" + bufferSize + ", seed=" + seed + ")", cardinality, () -> {
            long pass = reshuffleEachIteration ? passes.getAndIncrement() : 0;
            return new Shuffle<>(iterator(), bufferSize, Shuffle.passSeed(seed, pass));
        });
    }

    /** {@link #batch(int, boolean)} keeping a smaller last batch. */
    public Dataset<T> batch(int batchSize) { return batch(batchSize, false); }

    /**
     * Groups {@code batchSize} consecutive elements and stacks them along a new axis 0 ({@link Batching#collate}):
     * {@code Tensor} elements of shape {@code s} give {@code [b, s...]}, {@code Tensor[]} tuples give tuples of
     * stacked tensors. With {@code dropRemainder} a last batch smaller than {@code batchSize} is dropped.
     */
    @SuppressWarnings("unchecked")
    public Dataset<T> batch(int batchSize, boolean dropRemainder) {
        return batch(batchSize, dropRemainder, items -> (T) Batching.collate(items));
    }

    /** Groups {@code batchSize} consecutive elements and combines each group with {@code collate}. */
    public <R> Dataset<R> batch(int batchSize, boolean dropRemainder, Function<List<T>, R> collate) {
        if (batchSize < 1) throw new IllegalArgumentException("batch: batchSize must be >= 1, got " + batchSize);
        Objects.requireNonNull(collate, "collate");
        long n = cardinality < 0 ? cardinality
                : dropRemainder ? cardinality / batchSize : (cardinality + batchSize - 1) / batchSize;
        return create(description + ".batch(" + batchSize + (dropRemainder ? ", dropRemainder" : "") + ")", n,
                () -> new Stages.Batch<>(iterator(), batchSize, dropRemainder, collate));
    }

    /** {@link #paddedBatch(int, boolean, double)} keeping a smaller last batch and padding with zeros. */
    public Dataset<T> paddedBatch(int batchSize) { return paddedBatch(batchSize, false, 0); }

    /**
     * Batches elements of different shapes (TensorFlow's {@code padded_batch}): each {@code Tensor} (or each component
     * of {@code Tensor[]} tuples) is padded at the end of every dimension to the largest size in its batch with
     * {@code paddingValue}, then stacked. The elements must share dtype and rank.
     */
    @SuppressWarnings("unchecked")
    public Dataset<T> paddedBatch(int batchSize, boolean dropRemainder, double paddingValue) {
        return batch(batchSize, dropRemainder, items -> (T) Batching.collatePadded(items, paddingValue));
    }

    /**
     * Batches {@code Tensor} elements whose first dimensions differ into {@link RaggedTensor}s, one row per element
     * (TensorFlow's {@code ragged_batch}); their inner dimensions and dtype must agree. {@code RaggedTensor} elements
     * give a tensor with one more ragged dimension (a batch of sentences of words: ragged rank 2).
     */
    public Dataset<RaggedTensor> raggedBatch(int batchSize, boolean dropRemainder) {
        return batch(batchSize, dropRemainder, Batching::collateRagged);
    }

    /** Repeats the dataset forever (an empty dataset stays empty). */
    public Dataset<T> repeat() { return repeat(-1); }

    /** Repeats the dataset {@code count} times; a negative count repeats forever. */
    public Dataset<T> repeat(long count) {
        long n = count < 0 ? (cardinality == 0 ? 0 : INFINITE)
                : cardinality < 0 ? cardinality : Math.multiplyHigh(cardinality, count) != 0 ? UNKNOWN
                        : cardinality * count;
        return create(description + ".repeat(" + (count < 0 ? "" : count) + ")", n,
                () -> new Stages.Repeat<>(this, count));
    }

    /** The first {@code count} elements (all of them when there are fewer). */
    public Dataset<T> take(long count) {
        if (count < 0) throw new IllegalArgumentException("take: count must be >= 0, got " + count);
        long n = cardinality == INFINITE ? count : cardinality < 0 ? UNKNOWN : Math.min(cardinality, count);
        return create(description + ".take(" + count + ")", n, () -> new Stages.Take<>(iterator(), count));
    }

    /** All but the first {@code count} elements. */
    public Dataset<T> skip(long count) {
        if (count < 0) throw new IllegalArgumentException("skip: count must be >= 0, got " + count);
        long n = cardinality < 0 ? cardinality : Math.max(0, cardinality - count);
        return create(description + ".skip(" + count + ")", n, () -> new Stages.Skip<>(iterator(), count));
    }

    /**
     * Keeps the elements in memory after the first complete pass; later passes read them from memory instead of
     * recomputing the pipeline above. A pass stopped early caches nothing.
     */
    public Dataset<T> cache() {
        return new Stages.Cached<>(this, description + ".cache()", cardinality);
    }

    /**
     * Computes up to {@code bufferSize} elements ahead on a daemon background thread ({@link #AUTOTUNE}: 2), so
     * that loading and preprocessing the next batches overlaps the consumer's work (the training step). Failures
     * upstream arrive on the consumer's thread as a {@link DatasetException} with the original cause.
     */
    public Dataset<T> prefetch(int bufferSize) {
        int size = bufferSize == AUTOTUNE ? 2 : bufferSize;
        if (size < 1) throw new IllegalArgumentException("prefetch: bufferSize must be >= 1 or AUTOTUNE, got "
                + bufferSize);
        return create(description + ".prefetch(" + size + ")", cardinality, () -> new Prefetch<>(this, size));
    }

    // ---------------------------------------------------------------- consuming

    /** Runs {@code action} on every element of one pass, closing the pass even when {@code action} throws. */
    @Override
    public void forEach(Consumer<? super T> action) {
        try (DatasetIterator<T> it = iterator()) {
            while (it.hasNext()) action.accept(it.next());
        }
    }

    /** All elements of one pass (refuses an infinite dataset). */
    public List<T> toList() {
        if (cardinality == INFINITE) throw new IllegalStateException("toList: " + description + " is infinite");
        List<T> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    /** The number of elements, counted by iterating when {@link #cardinality()} is unknown. */
    public long count() {
        if (cardinality >= 0) return cardinality;
        if (cardinality == INFINITE) throw new IllegalStateException("count: " + description + " is infinite");
        long[] n = {0};
        forEach(x -> n[0]++);
        return n[0];
    }

    private Dataset<T> named(String name) { return create(name, cardinality, this::iterator); }
}
