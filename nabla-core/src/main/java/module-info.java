/**
 * Nabla's core: tensors, ops, graphs, automatic differentiation, sessions and the CPU kernels.
 *
 * <p>Requires the Vector API's incubator module, so on the module path no {@code --add-modules} flag is needed.
 * {@code org.nabla.storage} (host memory below tensors) and {@code org.nabla.library} (the built-in op library's
 * registration) are internal; the CPU kernels' helpers are open only to the modules that build kernels on them.
 */
module org.nabla.core {
    requires transitive jdk.incubator.vector;

    exports org.nabla;
    exports org.nabla.autodiff;
    exports org.nabla.device;
    exports org.nabla.eager;
    exports org.nabla.graph;
    exports org.nabla.io;
    exports org.nabla.kernels;
    exports org.nabla.ops;
    exports org.nabla.runtime;
    exports org.nabla.runtime.optimize;
    exports org.nabla.profiler;
    exports org.nabla.ragged;
    exports org.nabla.sparse;
    exports org.nabla.strings;
    exports org.nabla.kernels.cpu to org.nabla.nn;

    // Op libraries (this module's and those of nabla-nn, nabla-onnx, ...), found in phases (OpLibraries).
    uses org.nabla.kernels.OpLibrary;
    uses org.nabla.ops.OpRegistry.Loader;
    uses org.nabla.kernels.FunctionLibrary;

    provides org.nabla.kernels.OpLibrary with org.nabla.library.CoreLibrary, org.nabla.sparse.SparseOps,
            org.nabla.ragged.RaggedOps, org.nabla.strings.StringOps;
    provides org.nabla.ops.OpRegistry.Loader with org.nabla.kernels.OpLibraries;
    provides org.nabla.kernels.FunctionLibrary with org.nabla.runtime.FunctionCalls;
}
