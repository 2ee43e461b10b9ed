package org.nabla.data;

import java.util.NoSuchElementException;

/**
 * The base of every pipeline iterator: subclasses compute one element at a time and release their resources in
 * {@link #release()}, which runs exactly once, when the pass ends, fails or is closed.
 */
abstract class Step<T> implements DatasetIterator<T> {
    private static final int UNKNOWN = 0, READY = 1, DONE = 2;
    private int state = UNKNOWN;
    private T next;
    private boolean closed;

    /** The next element, or {@link #endOfData()}'s null when the pass is over. Never returns null otherwise. */
    protected abstract T computeNext();

    /** Stops upstream iterators and background work. Must not throw. */
    protected abstract void release();

    protected final T endOfData() {
        state = DONE;
        return null;
    }

    @Override
    public final boolean hasNext() {
        if (state == READY) return true;
        if (state == DONE || closed) return false;
        try {
            T value = computeNext();
            if (state == DONE) {
                close();
                return false;
            }
            if (value == null) throw new DatasetException("a pipeline stage produced null (" + getClass()
                    .getSimpleName() + "); map and generator functions must return elements, not null");
            next = value;
            state = READY;
            return true;
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public final T next() {
        if (!hasNext()) throw new NoSuchElementException(closed ? "the dataset iterator is closed or exhausted"
                : "no more elements");
        T value = next;
        next = null;
        state = UNKNOWN;
        return value;
    }

    @Override
    public final void close() {
        if (closed) return;
        closed = true;
        state = DONE;
        next = null;
        release();
    }
}
