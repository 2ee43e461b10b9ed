package org.nabla.kernels;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpDef;

/**
 * What a module contributes to Nabla: ops, their gradients and their kernels (TensorFlow's op library). The one
 * registration interface: a module lists its implementations in {@code META-INF/services/org.nabla.kernels.OpLibrary},
 * and {@link OpLibraries} loads them all, first every library's {@link #ops()}, then every library's gradients, then
 * every library's kernels, so a library may refer to the ops of any other whatever the loading order. A device module
 * implements only {@link #registerKernels}.
 */
public interface OpLibrary {
    /** The ops this library declares; returning them initializes their classes, which registers them by name. */
    default Collection<OpDef> ops() { return List.of(); }

    /** Registers the gradients of this library's ops (or of any other op, replacing the earlier rule). */
    default void registerGradients(GradientRegistry gradients) {}

    /** Registers this library's kernels, for its own ops or another library's. */
    default void registerKernels(KernelRegistry kernels) {}

    /** The {@code public static final OpDef} constants of {@code families} (which this initializes), in order. */
    static List<OpDef> declaredIn(Class<?>... families) {
        List<OpDef> ops = new ArrayList<>();
        for (Class<?> family : families) {
            for (Field f : family.getFields()) {
                if (f.getType() != OpDef.class || !Modifier.isStatic(f.getModifiers())) continue;
                try {
                    ops.add((OpDef) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + family.getName() + "." + f.getName(), e);
                }
            }
        }
        return ops;
    }
}
