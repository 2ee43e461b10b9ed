package org.nabla;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * One thread's released tensor buffers, by element type and exact length, for {@link TensorScope}. Last in, first
 * out: the most recently released buffer is the likeliest to still be in the caches. Holds at most
 * {@code -Dnabla.scopePoolMB} (default: an eighth of the heap, at most 512 MB); buffers beyond that are dropped.
 */
final class BufferPool {
    private static final long CAPACITY_BYTES = Long.getLong("nabla.scopePoolMB",
            Math.min(512, Runtime.getRuntime().maxMemory() / 8 / (1 << 20))) << 20;
    private static final ThreadLocal<BufferPool> POOLS = ThreadLocal.withInitial(BufferPool::new);

    private final Map<Long, ArrayDeque<Object>> free = new HashMap<>();
    private long bytes;

    private BufferPool() {}

    static BufferPool current() { return POOLS.get(); }

    /** A released buffer of exactly {@code length} elements, or null. */
    Object take(DType.Storage storage, int length) {
        ArrayDeque<Object> list = free.get(key(storage, length));
        Object buffer = list == null ? null : list.pollFirst();
        if (buffer != null) bytes -= (long) length * storage.bytes();
        return buffer;
    }

    /** Adds a released buffer of {@code storage} elements, unless the pool is full. */
    void give(Object buffer, DType.Storage storage) {
        // elements, as take counts them: a complex buffer holds two array slots (re, im) per element
        boolean complex = storage == DType.Storage.COMPLEX64 || storage == DType.Storage.COMPLEX128;
        int length = java.lang.reflect.Array.getLength(buffer) / (complex ? 2 : 1);
        long size = (long) length * storage.bytes();
        if (length == 0 || bytes + size > CAPACITY_BYTES) return;
        free.computeIfAbsent(key(storage, length), k -> new ArrayDeque<>()).addFirst(buffer);
        bytes += size;
    }

    void clear() {
        free.clear();
        bytes = 0;
    }

    private static long key(DType.Storage storage, int length) {
        return ((long) storage.ordinal() << 32) | length;
    }
}
