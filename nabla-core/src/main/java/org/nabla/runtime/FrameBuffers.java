package org.nabla.runtime;

import java.util.IdentityHashMap;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.storage.Strided;

/**
 * Which result buffers of one run of a partition may go back to its {@link GraphBufferPool}, and when. A buffer is
 * the frame's when one of its kernels allocated it ({@link NodeKernelContext#allocate}); the frame counts the value
 * slots holding it (an op output, or a view or identity of one: views share their base's array, so counting by
 * array identity covers them) and returns it when the count drops to zero. A buffer that reaches a slot that is
 * fetched, or read by a node that may keep its inputs (stateful ops such as variable assignments, function calls,
 * sends), is pinned: it outlives the step and never returns. Buffers of fed values and variables are never the
 * frame's. Thread-safe (nodes of a parallel run finish concurrently).
 */
final class FrameBuffers {
    /** A buffer of this frame: its storage, length, live slot count and whether it escaped the step. */
    private static final class Entry {
        final DType.Storage storage;
        final int length;
        int slots;
        boolean pinned;

        Entry(DType.Storage storage, int length) {
            this.storage = storage;
            this.length = length;
        }
    }

    private final GraphBufferPool pool;
    private final Map<Object, Entry> owned = new IdentityHashMap<>();

    FrameBuffers(GraphBufferPool pool) { this.pool = pool; }

    /** Result memory of undefined contents: a pooled buffer of this exact size, or a fresh one. */
    Object allocate(DType.Storage storage, int length) {
        if ((long) length * storage.bytes() < GraphBufferPool.MIN_BYTES) return Strided.allocate(storage, length);
        Object buffer = pool.take(storage, length);
        if (buffer == null) buffer = Strided.allocate(storage, length);
        synchronized (this) {
            owned.put(buffer, new Entry(storage, length));
        }
        return buffer;
    }

    /** {@code t} now sits in a value slot; {@code escapes}: that slot is fetched or read by a node that keeps it. */
    synchronized void stored(Tensor t, boolean escapes) {
        Entry e = t == null ? null : owned.get(t.data());
        if (e == null) return;
        e.slots++;
        e.pinned |= escapes;
    }

    /**
     * {@code t} left a value slot (its last reader ran) or was never stored (no reader); returns its buffer to the
     * pool when no slot holds it any more.
     */
    void dropped(Tensor t) {
        Entry e;
        Object buffer;
        synchronized (this) {
            buffer = t == null ? null : t.data();
            e = buffer == null ? null : owned.get(buffer);
            if (e == null || e.pinned || --e.slots > 0) return;
            owned.remove(buffer);
        }
        pool.give(buffer, e.storage, e.length);
    }

    /** Like {@link #dropped} for an output no slot took: returned unless another slot holds it. */
    void unstored(Tensor t) {
        synchronized (this) {
            Entry e = t == null ? null : owned.get(t.data());
            if (e == null) return;
            e.slots++; // balanced by dropped
        }
        dropped(t);
    }
}
