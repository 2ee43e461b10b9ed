package org.nabla.onnx;

import org.nabla.kernels.OpLibrary;

/**
 * An op library that also says how ONNX operators import as its ops and how its ops export as ONNX operators. A
 * module implements it instead of {@link OpLibrary} and lists the class as usual in
 * {@code META-INF/services/org.nabla.kernels.OpLibrary}; nabla-onnx picks out the libraries of this kind the first
 * time it imports or exports and registers their rules, after every library's ops are loaded.
 */
public interface OnnxOpLibrary extends OpLibrary {
    /** Registers this library's import rules (by ONNX operator) and export rules (by Nabla op name). */
    void registerOnnxRules(OnnxOperators imports, ExportOperators exports);
}
