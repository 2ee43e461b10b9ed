package org.nabla.onnx;

import java.util.HashMap;
import java.util.Map;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * How to import an ONNX model.
 *
 * @param bindings    values of graph inputs the importer may use at import time where an operator needs a known value
 *                    (Reshape's shape fed as an input, say); such inputs are still fed at run time like the others
 * @param inputShapes shapes that replace the declared shape of graph inputs (e.g. to fix a symbolic batch size)
 * @param trainable   whether floating-point initializers become variables (to fine-tune) rather than constants
 */
public record ImportOptions(Map<String, Tensor> bindings, Map<String, Shape> inputShapes, boolean trainable) {
    /** Copies the maps (neither may be null). */
    public ImportOptions {
        bindings = Map.copyOf(bindings);
        inputShapes = Map.copyOf(inputShapes);
    }

    /** No bindings, the declared input shapes, initializers as constants. */
    public static ImportOptions defaults() { return new ImportOptions(Map.of(), Map.of(), false); }

    /** These options with {@code values} added to the bindings (input name to value). */
    public ImportOptions withBindings(Map<String, Tensor> values) {
        Map<String, Tensor> all = new HashMap<>(bindings);
        all.putAll(values);
        return new ImportOptions(all, inputShapes, trainable);
    }

    /** These options with the declared shape of input {@code input} replaced by {@code shape}. */
    public ImportOptions withInputShape(String input, Shape shape) {
        Map<String, Shape> all = new HashMap<>(inputShapes);
        all.put(input, shape);
        return new ImportOptions(bindings, all, trainable);
    }

    /** These options with floating-point initializers as variables ({@code true}) or constants. */
    public ImportOptions withTrainable(boolean value) { return new ImportOptions(bindings, inputShapes, value); }
}
