package org.nabla.runtime;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.storage.Strided;

/**
 * Which result buffers of one run of a partition may go back to its {@link GraphBufferPool}, and when. A buffer is
 * the frame's when one of its kernels allocated it ({@link NodeKernelContext#allocate}); the frame counts the value
 * slots holding it (an op output, or a view or identity of one: views share their base's array, so counting by
 * array identity covers them) and returns it when the count drops to zero. A buffer that reaches a slot that is
 * fetched, or read by a node that may keep its inputs (stateful ops such as variable assignments, function calls,
 * sends), is pinned: it outlives the step and never returns. Buffers of fed values and variables are never the
 * frame's.
 *
 * <p>Variable values that kernels return (graph reads) are lent by the {@link ResourceManager} and counted the same
 * way: when no slot holds one any more the frame gives it back, so that the variable may then be updated in place;
 * one that escapes the step is marked shared instead (it will be copied before any change). Thread-safe (nodes of a
 * parallel run finish concurrently).
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

    /** A variable value lent to this frame: the slots holding it and the lent tensors not yet in a slot. */
    private static final class Loan {
        final ResourceManager resources;
        final String name;
        final Tensor value;
        final List<Tensor> unplaced = new ArrayList<>();
        int loans;
        int slots;

        Loan(ResourceManager resources, String name, Tensor value) {
            this.resources = resources;
            this.name = name;
            this.value = value;
        }
    }

    private final GraphBufferPool pool;
    private final Map<Object, Entry> owned = new IdentityHashMap<>();
    private final Map<Object, Loan> loans = new IdentityHashMap<>();

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

    /**
     * A kernel returns {@code value}, the value of variable {@code name} that {@code resources} lent it: the frame
     * gives the loan back once the output's slot and every view of it in other slots were dropped.
     */
    synchronized void borrowed(Tensor value, ResourceManager resources, String name) {
        Loan l = loans.computeIfAbsent(value.data(), k -> new Loan(resources, name, value));
        l.loans++;
        l.unplaced.add(value);
    }

    /** {@code t} now sits in a value slot; {@code escapes}: that slot is fetched or read by a node that keeps it. */
    void stored(Tensor t, boolean escapes) {
        Loan shared = null;
        synchronized (this) {
            Entry e = t == null ? null : owned.get(t.data());
            if (e != null) {
                e.slots++;
                e.pinned |= escapes;
                return;
            }
            Loan l = t == null ? null : loans.get(t.data());
            if (l == null) return;
            placed(l, t);
            l.slots++;
            if (escapes) shared = l;
        }
        if (shared != null) shared.resources.share(shared.name, shared.value);
    }

    /** The lent tensor {@code t} itself (not a view of it) reached its slot. */
    private static void placed(Loan l, Tensor t) {
        for (int i = 0; i < l.unplaced.size(); i++) {
            if (l.unplaced.get(i) == t) {
                l.unplaced.remove(i);
                return;
            }
        }
    }

    /**
     * {@code t} left a value slot (its last reader ran) or was never stored (no reader); returns its buffer to the
     * pool when no slot holds it any more.
     */
    void dropped(Tensor t) {
        Entry e;
        Object buffer;
        Loan ended;
        synchronized (this) {
            buffer = t == null ? null : t.data();
            e = buffer == null ? null : owned.get(buffer);
            if (e == null) {
                ended = buffer == null ? null : loans.get(buffer);
                if (ended == null || --ended.slots > 0 || !ended.unplaced.isEmpty()) return;
                loans.remove(buffer);
            } else {
                if (e.pinned || --e.slots > 0) return;
                owned.remove(buffer);
                ended = null;
            }
        }
        if (ended != null) {
            ended.resources.giveBack(ended.name, ended.value, ended.loans);
            return;
        }
        pool.give(buffer, e.storage, e.length);
    }

    /** Like {@link #dropped} for an output no slot took: returned unless another slot holds it. */
    void unstored(Tensor t) {
        synchronized (this) {
            Entry e = t == null ? null : owned.get(t.data());
            Loan l = e != null || t == null ? null : loans.get(t.data());
            if (e != null) {
                e.slots++; // balanced by dropped
            } else if (l != null) {
                placed(l, t);
                l.slots++;
            } else {
                return;
            }
        }
        dropped(t);
    }
}
