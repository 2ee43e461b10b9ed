package org.nabla;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mutable state behind variables: name -> current value (TensorFlow's ResourceMgr). The eager context has one
 * process-wide manager; each Session owns its own. Kernels of the variable ops reach the manager of the run they
 * belong to through {@link org.nabla.kernels.KernelContext#resources()}.
 */
public final class ResourceManager implements AutoCloseable {
    private static final ResourceManager EAGER = new ResourceManager();

    private final Map<String, Tensor> values = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** The process-wide manager of eager variables. */
    public static ResourceManager eager() { return EAGER; }

    /** The value of variable {@code name}, or a clear error if it was never assigned. */
    public Tensor read(String name) {
        checkOpen();
        Tensor v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("variable '" + name + "' is not initialized (run its initializer, or "
                    + "assign it, first)");
        }
        return v;
    }

    public boolean contains(String name) { return values.containsKey(name); }

    public void assign(String name, Tensor value) {
        checkOpen();
        if (value.isSymbolic()) throw new IllegalArgumentException("variable '" + name + "': cannot store a graph tensor");
        TensorScope.escape(value); // a variable's value outlives any eager scope
        values.put(name, value);
    }

    /**
     * Replaces the value of {@code name} by {@code fn(old)} atomically: concurrent updates of one variable (parallel
     * AssignAdd nodes not ordered by edges) never lose each other's effect, as with TensorFlow's variable lock.
     * Fails clearly when the variable has no value.
     */
    public Tensor update(String name, java.util.function.UnaryOperator<Tensor> fn) {
        checkOpen();
        Tensor next = values.computeIfPresent(name, (k, old) -> {
            Tensor v = fn.apply(old);
            if (v.isSymbolic()) {
                throw new IllegalArgumentException("variable '" + name + "': cannot store a graph tensor");
            }
            TensorScope.escape(v);
            return v;
        });
        if (next == null) read(name); // throws the not-initialized error
        return next;
    }

    public void remove(String name) { values.remove(name); }

    /** Names of all variables held (a copy). */
    public Set<String> names() { return Set.copyOf(values.keySet()); }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the resources of this session were released (session closed)");
    }

    /** Releases every value; later reads and writes fail. */
    @Override
    public void close() {
        closed = true;
        values.clear();
    }
}
