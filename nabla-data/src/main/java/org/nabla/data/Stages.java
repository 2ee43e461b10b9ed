package org.nabla.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** The passes of the single-threaded transformations: map, filter, batch, repeat, take, skip and cache. */
final class Stages {
    private Stages() {}

    /** A stage reading one upstream pass, which it closes when it ends. */
    abstract static class Unary<I, O> extends Step<O> {
        final DatasetIterator<I> up;

        Unary(DatasetIterator<I> up) { this.up = up; }

        @Override
        protected void release() { up.close(); }
    }

    static final class Map<T, R> extends Unary<T, R> {
        private final Function<? super T, ? extends R> fn;

        Map(DatasetIterator<T> up, Function<? super T, ? extends R> fn) {
            super(up);
            this.fn = fn;
        }

        @Override
        protected R computeNext() {
            if (!up.hasNext()) return endOfData();
            R r = fn.apply(up.next());
            if (r == null) throw new DatasetException("map: the function returned null");
            return r;
        }
    }

    static final class Filter<T> extends Unary<T, T> {
        private final Predicate<? super T> predicate;

        Filter(DatasetIterator<T> up, Predicate<? super T> predicate) {
            super(up);
            this.predicate = predicate;
        }

        @Override
        protected T computeNext() {
            while (up.hasNext()) {
                T x = up.next();
                if (predicate.test(x)) return x;
            }
            return endOfData();
        }
    }

    static final class Batch<T, R> extends Unary<T, R> {
        private final int size;
        private final boolean dropRemainder;
        private final Function<List<T>, R> collate;

        Batch(DatasetIterator<T> up, int size, boolean dropRemainder, Function<List<T>, R> collate) {
            super(up);
            this.size = size;
            this.dropRemainder = dropRemainder;
            this.collate = collate;
        }

        @Override
        protected R computeNext() {
            List<T> items = new ArrayList<>(Math.min(size, 4096));
            while (items.size() < size && up.hasNext()) items.add(up.next());
            if (items.isEmpty() || (dropRemainder && items.size() < size)) return endOfData();
            return collate.apply(items);
        }
    }

    static final class Take<T> extends Unary<T, T> {
        private long left;

        Take(DatasetIterator<T> up, long count) {
            super(up);
            this.left = count;
        }

        @Override
        protected T computeNext() {
            if (left <= 0 || !up.hasNext()) return endOfData();
            left--;
            return up.next();
        }
    }

    static final class Skip<T> extends Unary<T, T> {
        private long toSkip;

        Skip(DatasetIterator<T> up, long count) {
            super(up);
            this.toSkip = count;
        }

        @Override
        protected T computeNext() {
            while (toSkip > 0 && up.hasNext()) {
                up.next();
                toSkip--;
            }
            return up.hasNext() ? up.next() : endOfData();
        }
    }

    /** Passes over {@code source} {@code count} times (forever when negative); stops if one pass is empty. */
    static final class Repeat<T> extends Step<T> {
        private final Dataset<T> source;
        private final long count;
        private DatasetIterator<T> up;
        private long started;
        private boolean currentEmpty = true;

        Repeat(Dataset<T> source, long count) {
            this.source = source;
            this.count = count;
        }

        @Override
        protected T computeNext() {
            while (true) {
                if (up == null) {
                    if (count >= 0 && started >= count) return endOfData();
                    up = source.iterator();
                    started++;
                    currentEmpty = true;
                }
                if (up.hasNext()) {
                    currentEmpty = false;
                    return up.next();
                }
                up.close();
                up = null;
                if (currentEmpty) return endOfData(); // an empty dataset repeated forever stays empty
            }
        }

        @Override
        protected void release() {
            if (up != null) up.close();
        }
    }

    /** {@link Dataset#cache()}: the first complete pass records the elements, later passes replay them. */
    static final class Cached<T> extends Dataset<T> {
        private final Dataset<T> source;
        private volatile List<T> elements;

        Cached(Dataset<T> source, String description, long cardinality) {
            super(description, cardinality);
            if (cardinality == INFINITE) throw new IllegalArgumentException("cache: " + source + " is infinite; "
                    + "cache before repeat()");
            this.source = source;
        }

        @Override
        public DatasetIterator<T> iterator() {
            List<T> done = elements;
            if (done != null) return new Sources.ListPass<>(done, x -> x instanceof Object[] a ? (T) a.clone() : x);
            return new Recording(source.iterator());
        }

        private final class Recording extends Unary<T, T> {
            private final List<T> seen = new ArrayList<>();

            Recording(DatasetIterator<T> up) { super(up); }

            @Override
            @SuppressWarnings("unchecked")
            protected T computeNext() {
                if (!up.hasNext()) {
                    if (elements == null) elements = List.copyOf(seen);
                    return endOfData();
                }
                T x = up.next();
                escapeScopes(x);
                seen.add(x instanceof Object[] a ? (T) a.clone() : x);
                return x;
            }
        }

        /** Recorded tensors outlive any TensorScope the first pass ran in. */
        private static void escapeScopes(Object x) {
            if (x instanceof org.nabla.Tensor t) org.nabla.TensorScope.escape(t);
            if (x instanceof Object[] parts) for (Object p : parts) escapeScopes(p);
        }
    }
}
