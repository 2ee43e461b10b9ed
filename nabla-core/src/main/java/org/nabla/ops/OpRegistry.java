package org.nabla.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every op by name. The op families in this package register themselves when loaded; {@link #all()} and
 * {@link #get(String)} load them all first, so graph files and tests see the whole catalog.
 */
public final class OpRegistry {
    private static final Map<String, OpDef> OPS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    /** The op families of the core library, one class per family. */
    private static final List<String> FAMILIES = List.of(
            "org.nabla.ops.GraphOps",
            "org.nabla.ops.StateOps",
            "org.nabla.ops.MathOps",
            "org.nabla.ops.LinalgOps",
            "org.nabla.ops.ReductionOps",
            "org.nabla.ops.ArrayOps",
            "org.nabla.ops.NnOps",
            "org.nabla.ops.RandomOps",
            "org.nabla.ops.ControlFlowOps",
            "org.nabla.ops.TransferOps",
            "org.nabla.ops.FusedOps",
            "org.nabla.ops.GradOps",
            "org.nabla.ops.NnGradOps");

    private static volatile boolean loaded;
    private static final ThreadLocal<Boolean> LOADING = ThreadLocal.withInitial(() -> false);

    private OpRegistry() {}

    static int nextId() { return NEXT_ID.getAndIncrement(); }

    /** The number of op ids handed out so far (an upper bound for {@link OpDef#id()}). */
    public static int idCount() { return NEXT_ID.get(); }

    static void register(OpDef op) {
        OpDef previous = OPS.putIfAbsent(op.name(), op);
        if (previous != null) throw new IllegalStateException("op " + op.name() + " is registered twice");
    }

    /** Forces every core family and every module's {@link OpFamily} to load (and so register its ops). */
    public static void loadAll() {
        if (loaded || LOADING.get()) return; // a family's own registration may look ops up again
        LOADING.set(true);
        try {
            for (String family : FAMILIES) {
                try {
                    Class.forName(family, true, OpRegistry.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("op family " + family + " is missing", e);
                }
            }
            for (OpFamily family : java.util.ServiceLoader.load(OpFamily.class, OpRegistry.class.getClassLoader())) {
                family.getClass(); // instantiating it initialized its op definitions
            }
            loaded = true;
        } finally {
            LOADING.set(false);
        }
    }


    /** The op with this name, or an error listing what exists. */
    public static OpDef get(String name) {
        loadAll();
        OpDef op = OPS.get(name);
        if (op == null) {
            throw new IllegalArgumentException("unknown op '" + name + "'; registered ops: " + names());
        }
        return op;
    }

    public static boolean contains(String name) {
        loadAll();
        return OPS.containsKey(name);
    }

    /** All ops, sorted by name. */
    public static List<OpDef> all() {
        loadAll();
        return Collections.unmodifiableList(new ArrayList<>(new TreeMap<>(OPS).values()));
    }

    public static List<String> names() {
        loadAll();
        return List.copyOf(new TreeMap<>(OPS).keySet());
    }
}
