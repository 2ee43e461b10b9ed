package org.nabla.kernels;

import java.util.ServiceLoader;
import org.nabla.Tensor;
import org.nabla.ops.GraphFunction;

/**
 * Runs function graphs for kernels (TensorFlow's FunctionLibraryRuntime): control-flow kernels hand it their
 * branches and loop bodies. The runtime implements it and lists the implementation in
 * {@code META-INF/services/org.nabla.kernels.FunctionLibrary}; kernels reach it through
 * {@link KernelContext#callFunction}.
 */
public interface FunctionLibrary {
    /** Runs {@code function} on {@code args} (parameters, then captures) with the caller's variables and step. */
    Tensor[] call(GraphFunction function, Tensor[] args, KernelContext caller);

    /**
     * {@link #call(GraphFunction, Tensor[], KernelContext)} for iteration {@code iteration} of a loop (0 outside
     * loops), which the call's rendezvous keys carry.
     */
    default Tensor[] call(GraphFunction function, Tensor[] args, KernelContext caller, long iteration) {
        return call(function, args, caller);
    }

    /** The implementation on the class path (the runtime's). */
    static FunctionLibrary installed() { return Installed.LIBRARY; }

    /** Loads the implementation once. */
    final class Installed {
        private static final FunctionLibrary LIBRARY = ServiceLoader.load(FunctionLibrary.class,
                FunctionLibrary.class.getClassLoader()).findFirst().orElseThrow(() -> new IllegalStateException(
                "no org.nabla.kernels.FunctionLibrary on the class path: nabla-core's runtime is missing"));

        private Installed() {}
    }
}
