package org.nabla.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.nabla.DType;

/**
 * The result buffers one {@link Executor} hands back to its kernels, step after step: a buffer whose every reader
 * has run goes here and the next allocation of the same storage and length takes it, still warm in the caches
 * (a fresh Java array is zeroed and written through cold lines: ~20 µs for 400 KB here, more than a small GEMM's
 * packing). Last in, first out per (storage, length); thread-safe, as frames of concurrent runs share it. Holds at
 * most {@link #CAPACITY_BYTES}; buffers beyond that are left to the garbage collector.
 */
final class GraphBufferPool {
    /** Per executor: {@code -Dnabla.graphPoolMB} (default: a sixteenth of the heap, at most 256 MB). */
    static final long CAPACITY_BYTES = Long.getLong("nabla.graphPoolMB",
            Math.min(256, Runtime.getRuntime().maxMemory() / 16 / (1 << 20))) << 20;
    /** Smaller buffers are left to the JVM: a TLAB bump is cheaper than the bookkeeping. */
    static final int MIN_BYTES = 16 * 1024;

    private final Map<Long, ConcurrentLinkedDeque<Object>> free = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /** A released buffer of exactly {@code length} elements, or null. */
    Object take(DType.Storage storage, int length) {
        ConcurrentLinkedDeque<Object> list = free.get(key(storage, length));
        Object buffer = list == null ? null : list.pollFirst();
        if (buffer != null) bytes.addAndGet(-(long) length * storage.bytes());
        return buffer;
    }

    /** Adds a buffer no one reads any more, unless the pool is full. */
    void give(Object buffer, DType.Storage storage, int length) {
        long size = (long) length * storage.bytes();
        if (bytes.addAndGet(size) > CAPACITY_BYTES) {
            bytes.addAndGet(-size);
            return;
        }
        free.computeIfAbsent(key(storage, length), k -> new ConcurrentLinkedDeque<>()).addFirst(buffer);
    }

    /** Bytes held now (for tests and run metadata). */
    long bytes() { return bytes.get(); }

    private static long key(DType.Storage storage, int length) { return ((long) storage.ordinal() << 32) | length; }
}
