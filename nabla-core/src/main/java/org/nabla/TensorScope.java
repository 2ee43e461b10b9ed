package org.nabla;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import org.nabla.storage.Strided;

/**
 * A region of eager code whose intermediate results give their memory back when it closes, so that the next
 * iteration of a loop computes into buffers that are still in the CPU caches (what PyTorch's caching allocator and
 * NumPy's reuse of freed blocks give for free; the JVM instead hands out fresh, cache-cold memory for every result).
 * Java's counterpart of DJL's {@code NDManager} or ND4J's workspaces:
 *
 * <pre>{@code
 * for (Batch batch : data) {
 *     try (TensorScope scope = TensorScope.open()) {
 *         Tensor loss = step(batch);          // every eager result in here is owned by the scope...
 *         losses.add(scope.keep(loss));       // ...except what is kept
 *     }                                       // the rest is released and its buffers reused
 * }
 * }</pre>
 *
 * <p>A scope owns the results of eager ops run on its thread while it is the innermost open scope, when the op's
 * kernel took a fresh buffer for them (of at least 16 KB: smaller results are left to the garbage collector).
 * Closing releases them: their buffers go to a per-thread pool that later eager ops draw from, and reading a
 * released tensor (or a view of it) throws. Tensors kept with {@link #keep} (and any view sharing their buffer)
 * survive and pass to the enclosing scope, if any. Values stored into variables are kept automatically. Tensors
 * created outside the scope, from Java arrays, or by graph execution are never touched. Scopes are confined to the
 * thread that opened them and close in reverse order of opening.
 */
public final class TensorScope implements AutoCloseable {
    /** Open scopes in the whole process: lets the eager path skip all scope work with one read when it is zero. */
    private static volatile int openAnywhere;
    /**
     * Smaller results are left to the JVM: allocating them is cheap and the bookkeeping would cost more than the
     * cache misses it saves.
     */
    static final long MIN_POOLED_BYTES = Long.getLong("nabla.scopeMinBytes", 16 << 10);
    private static final ThreadLocal<ThreadState> STATE = ThreadLocal.withInitial(ThreadState::new);

    /** A thread's open scopes, innermost first, and how many {@link #suspend} regions it is in. */
    private static final class ThreadState {
        final ArrayDeque<TensorScope> stack = new ArrayDeque<>();
        int suspended;
    }

    private final Thread owner = Thread.currentThread();
    private final ThreadState state;
    private final TensorScope parent;
    /** Buffers this scope owns (results of its eager ops, and kept results of closed inner scopes). */
    private final Set<Object> owned = Collections.newSetFromMap(new WeakHashMap<>()); // arrays hash by identity
    /**
     * Tensors backed by an owned buffer (results and views of them), released on close. Held weakly, like the
     * buffers: a scope around a long loop must not keep every dead intermediate reachable until it closes.
     */
    private final List<WeakReference<Tensor>> tensors = new ArrayList<>();
    /** Size of {@link #tensors} after its last purge of collected entries. */
    private int purgedSize = 64;
    /** Buffers that must survive the close: those of kept tensors and of values stored into variables. */
    private final Set<Object> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private TensorScope(ThreadState state) {
        this.state = state;
        this.parent = state.stack.peek();
    }

    /** Opens a scope on this thread; close it (try-with-resources) on the same thread. */
    public static TensorScope open() {
        ThreadState state = STATE.get();
        TensorScope scope = new TensorScope(state);
        state.stack.push(scope);
        synchronized (TensorScope.class) {
            openAnywhere++;
        }
        return scope;
    }

    /**
     * Keeps {@code t} (and every view sharing its buffer) alive after this scope closes; it then belongs to the
     * enclosing scope, if any. Returns {@code t}, so that {@code return scope.keep(result);} reads naturally.
     */
    public Tensor keep(Tensor t) {
        checkOwner("keep");
        if (closed) throw new IllegalStateException("TensorScope.keep: the scope is already closed");
        if (!t.isSymbolic()) kept.add(t.data());
        return t;
    }

    /** Keeps every tensor of {@code ts}; see {@link #keep(Tensor)}. */
    public void keepAll(Iterable<Tensor> ts) {
        for (Tensor t : ts) keep(t);
    }

    /**
     * Releases what this scope owns and did not keep. Closing twice does nothing; closing an outer scope before an
     * inner one, or on another thread, throws.
     */
    @Override
    public void close() {
        checkOwner("close");
        if (closed) return;
        if (state.stack.peek() != this) {
            throw new IllegalStateException("TensorScope.close: an inner scope opened after this one is still open; "
                    + "close scopes in reverse order");
        }
        state.stack.pop();
        closed = true;
        synchronized (TensorScope.class) {
            openAnywhere--;
        }
        BufferPool pool = BufferPool.current();
        Set<Object> released = Collections.newSetFromMap(new IdentityHashMap<>());
        for (WeakReference<Tensor> ref : tensors) {
            Tensor t = ref.get();
            if (t == null) continue; // collected: nothing can read it, and its buffer went with it
            Object buffer = t.storage();
            if (kept.contains(buffer)) {
                if (parent != null) parent.adopt(t, buffer);
            } else {
                t.release();
                if (released.add(buffer)) pool.give(buffer, t.dtype().storage());
            }
        }
        tensors.clear();
        owned.clear();
    }

    /** True once {@link #close} ran. */
    public boolean isClosed() { return closed; }

    /** Drops this thread's pool of released buffers (they are then ordinary garbage). */
    public static void clearPool() { BufferPool.current().clear(); }

    // ---------------------------------------------------------------- hooks for the eager runtime and kernels

    /**
     * Until the returned region is closed, eager ops on this thread are owned by no scope: for runtime code whose
     * results outlive any user scope (graph execution, constant folding, caches). Regions nest.
     */
    public static Suspension suspend() {
        if (openAnywhere == 0) return NOT_SUSPENDED;
        ThreadState state = STATE.get();
        state.suspended++;
        return () -> state.suspended--;
    }

    /** A {@link #suspend} region. */
    public interface Suspension extends AutoCloseable {
        @Override void close();
    }

    private static final Suspension NOT_SUSPENDED = () -> { };

    /** The innermost open scope of this thread that owns eager results now, or null; cheap when none is open. */
    public static TensorScope current() {
        if (openAnywhere == 0) return null;
        ThreadState state = STATE.get();
        return state.suspended > 0 ? null : state.stack.peek();
    }

    /**
     * For the eager runtime: memory for a result of an eager op running under this scope, with undefined contents.
     * Large buffers come from the pool of released ones when it has one of this size, and are recorded in
     * {@code handedOut} so that {@link #adoptResults} can tell which outputs the scope owns.
     */
    public Object takeBuffer(DType.Storage storage, int length, List<Object> handedOut) {
        if ((long) length * storage.bytes() < MIN_POOLED_BYTES) return Strided.allocate(storage, length);
        Object buffer = BufferPool.current().take(storage, length);
        if (buffer == null) buffer = Strided.allocate(storage, length);
        handedOut.add(buffer);
        return buffer;
    }

    /**
     * For the eager runtime, after an op ran under this scope: outputs backed by one of the buffers it took through
     * {@link #takeBuffer} become this scope's; an output sharing an input's buffer (a view, or a wrap of the same
     * array) lives and dies with that buffer's owner.
     */
    public void adoptResults(Tensor[] outputs, List<Object> handedOut) {
        for (Tensor out : outputs) {
            if (out == null || out.isSymbolic()) continue;
            Object buffer = out.storage();
            if (containsIdentical(handedOut, buffer)) {
                adopt(out, buffer);
            } else {
                registerView(out, out);
            }
        }
    }

    private static boolean containsIdentical(List<Object> buffers, Object buffer) {
        for (Object b : buffers) if (b == buffer) return true;
        return false;
    }

    /** Marks the buffer of {@code t} as stored beyond every open scope of this thread (variables call this). */
    public static void escape(Tensor t) {
        if (openAnywhere == 0 || t.isSymbolic()) return;
        Object buffer = t.storage();
        for (TensorScope s : STATE.get().stack) s.kept.add(buffer);
    }

    /** A view of {@code base} belongs to the scope that owns base's buffer, so that closing releases both. */
    static void registerView(Tensor base, Tensor view) {
        Object buffer = base.storage();
        for (TensorScope s : STATE.get().stack) {
            if (s.owned.contains(buffer)) {
                s.track(view);
                return;
            }
        }
    }

    static boolean anyOpen() { return openAnywhere != 0; }

    private void adopt(Tensor t, Object buffer) {
        owned.add(buffer);
        track(t);
    }

    private void track(Tensor t) {
        tensors.add(new WeakReference<>(t));
        if (tensors.size() >= 2 * purgedSize) {
            tensors.removeIf(ref -> ref.get() == null);
            purgedSize = Math.max(64, tensors.size());
        }
    }

    private void checkOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("TensorScope." + what + ": the scope belongs to thread '" + owner.getName()
                    + "', called from '" + Thread.currentThread().getName() + "'");
        }
    }
}
