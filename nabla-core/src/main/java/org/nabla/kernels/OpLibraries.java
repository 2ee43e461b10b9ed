package org.nabla.kernels;

import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpRegistry;

/**
 * Loads every {@link OpLibrary} on the class path, once: all libraries' ops first, then all their gradients, then all
 * their kernels, so no library depends on the order {@link ServiceLoader} finds them in.
 * {@link KernelRegistry#global()}, {@link GradientRegistry#global()} and every lookup of {@link OpRegistry} trigger it
 * (the op registry through the {@link OpRegistry.Loader} hook this class implements).
 *
 * <p>Threading: the first caller loads while holding this class's lock; other threads wait for it to finish. A call
 * made by the loading thread itself (a library's registration looking an op up by name) returns at once: the
 * libraries' ops are registered before any gradient or kernel is.
 */
public final class OpLibraries implements OpRegistry.Loader {
    private static volatile boolean loaded;
    private static volatile List<OpLibrary> libraries = List.of();
    private static boolean loading; // guarded by OpLibraries.class; only the loading thread sees it true
    private static RuntimeException failure; // guarded by OpLibraries.class

    /** For {@link ServiceLoader} (as the op registry's loader); use the static methods. */
    public OpLibraries() {}

    @Override
    public void loadLibraries() { load(); }

    /** Every op library on the class path, in {@link ServiceLoader} order, loaded. */
    public static List<OpLibrary> libraries() {
        load();
        return libraries;
    }

    /** Loads every op library unless done. */
    public static void load() {
        if (loaded) return;
        VectorApiCheck.requireVectorApi(); // before ServiceLoader instantiates a kernel class that needs the module
        synchronized (OpLibraries.class) {
            if (loaded || loading) return;
            if (failure != null) throw new IllegalStateException("loading the op libraries failed earlier", failure);
            loading = true;
            try {
                List<OpLibrary> found = ServiceLoader.load(OpLibrary.class, OpLibraries.class.getClassLoader())
                        .stream().map(ServiceLoader.Provider::get).toList();
                libraries = found; // for this thread's own calls while loading; others wait for loaded
                for (OpLibrary library : found) {
                    for (OpDef op : library.ops()) Objects.requireNonNull(op, () -> library + " declares a null op");
                }
                GradientRegistry gradients = GradientRegistry.global(); // returns at once: this thread is loading
                for (OpLibrary library : found) library.registerGradients(gradients);
                for (OpLibrary library : found) library.registerKernels(KernelRegistry.GLOBAL);
                loaded = true;
            } catch (RuntimeException | Error e) {
                failure = new IllegalStateException("loading the op libraries failed: " + e, e);
                throw e;
            } finally {
                loading = false;
            }
        }
    }
}
