package org.nabla.data;

import java.util.Iterator;

/**
 * One pass over a {@link Dataset}. Closing it stops the background threads of its pipeline (prefetch, parallel map)
 * and releases buffers; it closes itself when exhausted or when a stage fails, so a for-each loop that runs to the
 * end leaks nothing. Use try-with-resources when a loop may stop early. Not thread-safe: one consumer per iterator.
 */
public interface DatasetIterator<T> extends Iterator<T>, AutoCloseable {
    /** Stops this pass: idempotent, never throws; afterwards {@link #hasNext()} is false. */
    @Override
    void close();
}
