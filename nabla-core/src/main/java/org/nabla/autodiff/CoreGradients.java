package org.nabla.autodiff;

import java.util.List;

/** Loads the gradient rules of the core op families (one class per family, each registering in a static block). */
final class CoreGradients {
    private static final List<String> FAMILIES = List.of(
            "org.nabla.autodiff.MathGradients",
            "org.nabla.autodiff.LinalgGradients",
            "org.nabla.autodiff.ReductionGradients",
            "org.nabla.autodiff.ArrayGradients",
            "org.nabla.autodiff.NnGradients",
            "org.nabla.autodiff.StateGradients",
            "org.nabla.autodiff.GradOpGradients",
            "org.nabla.autodiff.ControlFlowGradients");

    private static volatile boolean loaded;

    private CoreGradients() {}

    static void ensureLoaded() {
        if (loaded) return;
        synchronized (CoreGradients.class) {
            if (loaded) return;
            loaded = true;
            for (String family : FAMILIES) {
                try {
                    Class.forName(family, true, CoreGradients.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("gradient family " + family + " is missing", e);
                }
            }
        }
    }
}
