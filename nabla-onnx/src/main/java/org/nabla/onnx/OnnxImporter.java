package org.nabla.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.TensorProto;

/** Imports ONNX models: into a runnable graph ({@link OnnxModel}) or applied to tensors in the current context. */
public final class OnnxImporter {
    private OnnxImporter() {}

    /** Reads {@code file} and imports it into a new graph and session. */
    public static OnnxModel load(Path file) throws IOException { return load(file, ImportOptions.defaults()); }

    public static OnnxModel load(Path file, ImportOptions options) throws IOException {
        ModelProto m = OnnxFiles.readModel(file);
        try {
            return new OnnxModel(m, options);
        } catch (OnnxException e) {
            throw withFile(file, e);
        }
    }

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
        Map<String, Tensor> values = new HashMap<>(), known = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            Tensor v = OnnxTensors.toTensor(t, "initializer '" + t.getName() + "'");
            values.put(t.getName(), initializerValues.getOrDefault(t.getName(), v));
            known.put(t.getName(), v);
        }
        for (int i = 0; i < inputs.length; i++) {
            String name = specs.get(i).name();
            values.put(name, inputs[i]);
            Tensor bound = options.bindings().get(name);
            if (bound != null) known.put(name, bound);
        }
        return translator.translate(values, known).values().toArray(Tensor[]::new);
    }

    private static OnnxException withFile(Path file, OnnxException e) {
        String message = file + ": " + e.getMessage();
        return e instanceof UnsupportedOnnxException ? new UnsupportedOnnxException(message)
                : new OnnxException(message, e);
    }
}
