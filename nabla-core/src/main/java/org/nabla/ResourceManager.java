package org.nabla;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The mutable state behind variables: name -> current value (TensorFlow's ResourceMgr). The eager context has one
 * process-wide manager; each Session owns its own. Kernels of the variable ops reach the manager of the run they
 * belong to through {@link org.nabla.kernels.KernelContext#resources()}.
 *
 * <p>Tensors are immutable to their holders, yet an optimizer step that writes a new copy of every weight and slot
 * costs memory traffic and garbage. So a value may be updated in place ({@link #writeInPlace}) when nobody else can
 * see it: the manager tracks, per value, whether it was ever handed out for good ({@link #read}: eager reads,
 * checkpoints, fetches) and how many graph reads still hold it ({@link #borrow}, returned by the executor when the
 * last node reading it ran: {@link #giveBack}). A shared or borrowed value is copied instead (copy-on-write, as
 * TensorFlow does for a variable buffer whose reference count is above one); the copy is private to the manager.
 */
public final class ResourceManager implements AutoCloseable {
    /** An empty manager, such as each Session makes for its variables. */
    public ResourceManager() {}

    private static final ResourceManager EAGER = new ResourceManager();

    /** One variable: its value and who may see it. Guarded by {@code lock}. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        Tensor value;
        /** Handed out for good: a holder may keep it, so it must never change. */
        boolean shared = true;
        /** Graph reads of {@code value} whose readers have not all run yet. */
        int borrows;
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong inPlace = new AtomicLong();
    /** In-place writes by every manager of the process; see {@link #inPlaceWriteEpoch()}. */
    private static final AtomicLong IN_PLACE_EPOCH = new AtomicLong();
    private final AtomicLong copied = new AtomicLong();
    private volatile boolean closed;

    /** The process-wide manager of eager variables. */
    public static ResourceManager eager() { return EAGER; }

    /** The value of variable {@code name}, handed out for good (it will never change), or a clear error. */
    public Tensor read(String name) {
        Slot s = slot(name);
        s.lock.lock();
        try {
            s.shared = true;
            return s.value;
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * The value of {@code name} lent to a graph run that will {@link #giveBack} it when every node reading it ran;
     * until then it is not updated in place.
     */
    public Tensor borrow(String name) {
        Slot s = slot(name);
        s.lock.lock();
        try {
            s.borrows++;
            return s.value;
        } finally {
            s.lock.unlock();
        }
    }

    /** Lends {@code value} like {@link #borrow} if it still is the value of {@code name}; returns whether it is. */
    public boolean borrow(String name, Tensor value) {
        Slot s = slots.get(name);
        if (s == null) return false;
        s.lock.lock();
        try {
            if (s.value != value) return false;
            s.borrows++;
            return true;
        } finally {
            s.lock.unlock();
        }
    }

    /** Ends {@code count} borrows of {@code value} (ignored if the variable holds another value by now). */
    public void giveBack(String name, Tensor value, int count) {
        Slot s = slots.get(name);
        if (s == null) return;
        s.lock.lock();
        try {
            if (s.value == value) s.borrows = Math.max(0, s.borrows - count);
        } finally {
            s.lock.unlock();
        }
    }

    /** Marks a borrowed {@code value} as handed out for good (a run fetched it or stored it elsewhere). */
    public void share(String name, Tensor value) {
        Slot s = slots.get(name);
        if (s == null) return;
        s.lock.lock();
        try {
            if (s.value == value) s.shared = true;
        } finally {
            s.lock.unlock();
        }
    }

    /** Whether a variable of this name has a value here. */
    public boolean contains(String name) { return slots.containsKey(name); }

    /** Stores {@code value}; the caller may keep it, so it is never updated in place. */
    public void assign(String name, Tensor value) {
        checkOpen();
        if (value.isSymbolic()) throw new IllegalArgumentException("variable '" + name + "': cannot store a graph tensor");
        TensorScope.escape(value); // a variable's value outlives any eager scope
        Slot s = slots.computeIfAbsent(name, k -> new Slot());
        s.lock.lock();
        try {
            s.value = value;
            s.shared = true;
            s.borrows = 0;
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * Replaces the value of {@code name} by {@code fn(old)} atomically: concurrent updates of one variable (parallel
     * AssignAdd nodes not ordered by edges) never lose each other's effect, as with TensorFlow's variable lock.
     * Fails clearly when the variable has no value. The new value is treated as shared (the caller returns it).
     */
    public Tensor update(String name, UnaryOperator<Tensor> fn) {
        Slot s = slot(name);
        s.lock.lock();
        try {
            Tensor v = fn.apply(s.value);
            if (v.isSymbolic()) throw new IllegalArgumentException("variable '" + name + "': cannot store a graph tensor");
            TensorScope.escape(v);
            s.value = v;
            s.shared = true;
            s.borrows = 0;
            return v;
        } finally {
            s.lock.unlock();
        }
    }

    /** An update of several variables at once; see {@link #writeInPlace}. */
    @FunctionalInterface
    public interface InPlaceWriter {
        /**
         * Returns the new values: {@code values[i]} itself, changed in place, only where {@code writable[i]}; a new
         * tensor (of the same dtype and shape, in memory nobody else holds) otherwise.
         */
        Tensor[] write(Tensor[] values, boolean[] writable);
    }

    /**
     * Updates {@code names} together under their locks (taken in name order, so concurrent multi-variable updates
     * cannot deadlock). A value is writable in place when it is dense, private to this manager and not borrowed; the
     * new values the writer allocated are private. Returns the new values.
     */
    public Tensor[] writeInPlace(List<String> names, InPlaceWriter writer) {
        Slot[] held = new Slot[names.size()];
        for (int i = 0; i < held.length; i++) held[i] = slot(names.get(i));
        Slot[] order = held.clone();
        String[] sorted = names.toArray(String[]::new);
        Integer[] idx = new Integer[held.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> sorted[a].compareTo(sorted[b]));
        for (int i = 0; i < idx.length; i++) order[i] = held[idx[i]];
        int locked = 0;
        try {
            for (Slot s : order) {
                if (locked > 0 && s == order[locked - 1]) {
                    throw new IllegalArgumentException("writeInPlace: variable named twice in " + names);
                }
                s.lock.lock();
                locked++;
            }
            Tensor[] values = new Tensor[held.length];
            boolean[] writable = new boolean[held.length];
            for (int i = 0; i < held.length; i++) {
                Slot s = held[i];
                values[i] = s.value;
                writable[i] = !s.shared && s.borrows == 0 && s.value.isDenseFromZero()
                        && java.lang.reflect.Array.getLength(s.value.data()) == s.value.size();
            }
            Tensor[] next = writer.write(values, writable);
            for (int i = 0; i < held.length; i++) {
                Slot s = held[i];
                if (next[i] == values[i]) {
                    if (!writable[i]) throw new IllegalStateException("writeInPlace: '" + names.get(i) + "' was not "
                            + "writable but the writer returned its value");
                    inPlace.incrementAndGet();
                    IN_PLACE_EPOCH.incrementAndGet();
                    continue;
                }
                if (!next[i].spec().equals(values[i].spec())) {
                    throw new IllegalStateException("variable '" + names.get(i) + "' holds " + values[i].spec()
                            + ", the update returned " + next[i].spec());
                }
                TensorScope.escape(next[i]);
                s.value = next[i];
                s.shared = false;
                s.borrows = 0;
                copied.incrementAndGet();
            }
            return next;
        } finally {
            for (int i = 0; i < locked; i++) order[i].lock.unlock();
        }
    }

    /** Updates done in place so far (diagnostics: a training step should make most of its updates in place). */
    public long inPlaceUpdates() { return inPlace.get(); }

    /**
     * How many values any manager of this process has updated in place so far. A tensor's contents change after its
     * creation only through {@link #writeInPlace}, so a copy derived from a tensor (a GEMM's packed weights) stays
     * valid while this number has not moved.
     */
    public static long inPlaceWriteEpoch() { return IN_PLACE_EPOCH.get(); }

    /** Updates {@link #writeInPlace} had to copy (the value was shared or still read). */
    public long copiedUpdates() { return copied.get(); }

    /** Drops the named variable's value (nothing happens when there is none). */
    public void remove(String name) { slots.remove(name); }

    /** Names of all variables held (a copy). */
    public Set<String> names() { return Set.copyOf(slots.keySet()); }

    private Slot slot(String name) {
        checkOpen();
        Slot s = slots.get(name);
        if (s == null || s.value == null) {
            throw new IllegalStateException("variable '" + name + "' is not initialized (run its initializer, or "
                    + "assign it, first)");
        }
        return s;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the resources of this session were released (session closed)");
    }

    /** Releases every value; later reads and writes fail. */
    @Override
    public void close() {
        closed = true;
        slots.clear();
    }
}
