package org.nabla.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every op by name. An op registers itself when its class initializes; {@link #get(String)}, {@link #all()} and the
 * other lookups first load the ops of every op library on the class path (through the {@link Loader} that the kernels package
 * installs), so graph files, saved models and tests see the whole catalog before any of a module's code has run.
 */
public final class OpRegistry {
    private static final Map<String, OpDef> OPS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private OpRegistry() {}

    /**
     * The hook that fills this package's registries: loads every op library once (its ops, then all gradients, then
     * all kernels). Implemented by {@code org.nabla.kernels.OpLibraries} and listed in nabla-core's
     * {@code META-INF/services/org.nabla.ops.OpRegistry$Loader}, so this package knows no layer above it (the
     * inversion {@code org.nabla.kernels.FunctionLibrary} uses). Programs implement {@code OpLibrary}, not this.
     */
    public interface Loader {
        /** Loads every op library's ops unless done; returns at once when called again while loading on this thread. */
        void loadLibraries();

        /** Loads every op library's ops and gradients unless done (same rule for calls while loading). */
        void loadGradients();
    }

    /** Finds the loader once. */
    private static final class Installed {
        private static final Loader LOADER = ServiceLoader.load(Loader.class, OpRegistry.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no org.nabla.ops.OpRegistry$Loader on the "
                        + "class path: nabla-core's kernels package is missing"));

        private Installed() {}
    }

    /** Loads the ops of every op library on the class path unless done (see {@link Loader}). */
    static void loadLibraries() { Installed.LOADER.loadLibraries(); }

    /** Loads the ops and gradients of every op library on the class path unless done. */
    static void loadGradients() { Installed.LOADER.loadGradients(); }

    static int nextId() { return NEXT_ID.getAndIncrement(); }

    /** The number of op ids handed out so far (an upper bound for {@link OpDef#id()}). */
    public static int idCount() { return NEXT_ID.get(); }

    static void register(OpDef op) {
        OpDef previous = OPS.putIfAbsent(op.name(), op);
        if (previous != null) throw new IllegalStateException("op " + op.name() + " is registered twice");
    }

    /** The op with this name, or an error listing what exists. */
    public static OpDef get(String name) {
        loadLibraries();
        OpDef op = OPS.get(name);
        if (op == null) {
            throw new IllegalArgumentException("unknown op '" + name + "'; registered ops: " + names());
        }
        return op;
    }

    public static boolean contains(String name) {
        loadLibraries();
        return OPS.containsKey(name);
    }

    /** All ops, sorted by name. */
    public static List<OpDef> all() {
        loadLibraries();
        return Collections.unmodifiableList(new ArrayList<>(new TreeMap<>(OPS).values()));
    }

    public static List<String> names() {
        loadLibraries();
        return List.copyOf(new TreeMap<>(OPS).keySet());
    }
}
