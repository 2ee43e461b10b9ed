package org.nabla.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.onnx.proto.ModelProto;

/** Imports ONNX models: into a runnable graph ({@link OnnxModel}) or applied to tensors in the current context. */
public final class OnnxImporter {
    private OnnxImporter() {}

    /** Reads {@code file} and imports it into a new graph and session. */
    public static OnnxModel load(Path file) throws IOException { return load(file, ImportOptions.defaults()); }

    /** Reads {@code file} and imports it with {@code options}; errors name the file (OnnxException for a bad model). */
    public static OnnxModel load(Path file, ImportOptions options) throws IOException {
        ModelProto m = OnnxFiles.readModel(file);
        try {
            return new OnnxModel(m, options);
        } catch (OnnxException e) {
            throw withFile(file, e);
        }
    }

    /** Imports a parsed model with {@code options} into a new graph and session. */
    public static OnnxModel load(ModelProto model, ImportOptions options) { return new OnnxModel(model, options); }

    /**
     * Applies the model to {@code inputs} (in the order of its inputs) in the current execution context: eagerly,
     * into the graph being built, or into a function being traced (which is how an ONNX model becomes a Nabla saved
     * model). Initializers become constants.
     */
    public static Tensor[] apply(ModelProto model, ImportOptions options, Tensor... inputs) {
        return apply(model, options, Map.of(), inputs);
    }

    /**
     * As {@link #apply(ModelProto, ImportOptions, Tensor...)}, with {@code initializerValues} standing for some
     * initializers (variable reads, say); the others become constants.
     */
    static Tensor[] apply(ModelProto model, ImportOptions options, Map<String, Tensor> initializerValues,
                          Tensor... inputs) {
        OnnxGraphTranslator translator = new OnnxGraphTranslator(model);
        translator.checkOperatorsSupported();
        List<OnnxSignature.Value> specs = OnnxSignature.inputs(model.getGraph(), options.inputShapes());
        if (inputs.length != specs.size()) {
            throw new IllegalArgumentException("the model takes " + specs.size() + " inputs " + specs + ", got "
                    + inputs.length);
        }
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) byName.put(specs.get(i).name(), inputs[i]);
        return translator.translate(byName, options, initializerValues::getOrDefault).values()
                .toArray(Tensor[]::new);
    }

    /**
     * Runs the model eagerly on {@code inputs} by name, which may be sequences and optionals as well as tensors, and
     * returns its outputs by name. This is how models whose graph inputs or outputs are sequences or optionals run:
     * a sequence's length is part of what the importer fixes (see {@link OnnxValue}), so every input is known here.
     */
    public static Map<String, OnnxValue> evaluate(ModelProto model, Map<String, OnnxValue> inputs) {
        OnnxGraphTranslator translator = new OnnxGraphTranslator(model);
        translator.checkOperatorsSupported();
        java.util.Set<String> initialized = new java.util.HashSet<>();
        model.getGraph().getInitializerList().forEach(t -> initialized.add(t.getName()));
        for (var v : model.getGraph().getInputList()) {
            if (!initialized.contains(v.getName()) && !inputs.containsKey(v.getName())) {
                throw new IllegalArgumentException("input '" + v.getName() + "' is not given (given: "
                        + inputs.keySet() + ")");
            }
        }
        try (var scope = org.nabla.eager.ExecutionContext.enter(org.nabla.eager.EagerContext.INSTANCE)) {
            return translator.translateValues(inputs, ImportOptions.defaults(), (name, v) -> v);
        }
    }

    private static OnnxException withFile(Path file, OnnxException e) {
        String message = file + ": " + e.getMessage();
        return e instanceof UnsupportedOnnxException ? new UnsupportedOnnxException(message)
                : new OnnxException(message, e);
    }
}
