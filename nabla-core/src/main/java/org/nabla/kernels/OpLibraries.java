package org.nabla.kernels;

import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpRegistry;

/**
 * Loads every {@link OpLibrary} on the class path in three phases, each once and only when first needed, since
 * loading everything is most of a program's first-op time:
 * <ul>
 *   <li>ops: every library's {@link OpLibrary#ops()}, on the first lookup by name in {@link OpRegistry} (graph files,
 *       saved models, the op list) and before the gradients;
 *   <li>gradients: every library's gradients, on the first {@link GradientRegistry#global()} (a tape, symbolic
 *       gradients);
 *   <li>kernels: every library's {@link OpLibrary#registerKernels}, on the first {@link KernelRegistry#global()}.
 *       A library may defer a family with {@link KernelRegistry#registerOnFirstUse} (nabla-core's do).
 * </ul>
 * So a library may still refer to the ops of any other, by name or by constant, whatever the loading order: a lookup
 * by name loads every library's ops first.
 *
 * <p>Threading: the first caller of a phase runs it while holding this class's lock; other threads wait for it to
 * finish. A call made by the loading thread itself for a phase it is running (a library's registration looking an op
 * up by name) returns at once: the libraries' ops are registered before any gradient is.
 */
public final class OpLibraries implements OpRegistry.Loader {
    private static final int OPS = 1;
    private static final int GRADIENTS = 2;
    private static final int KERNELS = 4;

    private static volatile int done; // the phases loaded, a bit each
    private static List<OpLibrary> libraries; // guarded by OpLibraries.class; null until found
    private static int running; // guarded by OpLibraries.class; only the loading thread sees its bits set
    private static RuntimeException failure; // guarded by OpLibraries.class

    /** For {@link ServiceLoader} (as the op registry's loader); use the static methods. */
    public OpLibraries() {}

    @Override
    public void loadLibraries() { load(OPS); }

    @Override
    public void loadGradients() { load(GRADIENTS); }

    /** Every op library on the class path, in {@link ServiceLoader} order, fully loaded. */
    public static List<OpLibrary> libraries() {
        load();
        synchronized (OpLibraries.class) {
            return libraries;
        }
    }

    /** Loads every phase of every op library unless done. */
    public static void load() {
        load(OPS);
        load(GRADIENTS);
        load(KERNELS);
    }

    /** Registers the kernels of every op library unless done (deferred families stay deferred). */
    static void loadKernels() { load(KERNELS); }

    private static void load(int phase) {
        if ((done & phase) != 0) return;
        VectorApiCheck.requireVectorApi(); // before ServiceLoader instantiates a kernel class that needs the module
        synchronized (OpLibraries.class) {
            if ((done & phase) != 0 || (running & phase) != 0) return;
            if (failure != null) throw new IllegalStateException("loading the op libraries failed earlier", failure);
            if (phase == GRADIENTS) load(OPS);
            running |= phase;
            try {
                List<OpLibrary> found = found();
                switch (phase) {
                    case OPS -> {
                        for (OpLibrary library : found) {
                            for (OpDef op : library.ops()) Objects.requireNonNull(op, () -> library + " declares a null op");
                        }
                    }
                    case GRADIENTS -> {
                        GradientRegistry gradients = GradientRegistry.global(); // returns at once: this thread loads
                        for (OpLibrary library : found) library.registerGradients(gradients);
                    }
                    default -> {
                        for (OpLibrary library : found) library.registerKernels(KernelRegistry.GLOBAL);
                    }
                }
                done |= phase;
            } catch (RuntimeException | Error e) {
                failure = new IllegalStateException("loading the op libraries failed: " + e, e);
                throw e;
            } finally {
                running &= ~phase;
            }
        }
    }

    /** The libraries on the class path, found once. */
    private static List<OpLibrary> found() {
        if (libraries == null) {
            libraries = ServiceLoader.load(OpLibrary.class, OpLibraries.class.getClassLoader())
                    .stream().map(ServiceLoader.Provider::get).toList();
        }
        return libraries;
    }
}
