package org.nabla.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.TensorProto;
import org.nabla.ops.TensorSpec;

/** Turns an ONNX model into a Nabla saved model (docs/saved-model.md), which loads and predicts without ONNX. */
public final class OnnxSavedModels {
    private OnnxSavedModels() {}

    /**
     * Traces the ONNX graph into a Nabla graph and writes it to {@code dir} as a saved model. Floating-point
     * initializers become the saved model's variables (keyed by their ONNX names); other initializers become
     * constants of the graph. Inputs and outputs keep their ONNX names.
     */
    public static void importToSavedModel(ModelProto model, ImportOptions options, Path dir) throws IOException {
        new OnnxGraphTranslator(model).checkOperatorsSupported();
        List<OnnxSignature.Value> inputs = OnnxSignature.inputs(model.getGraph(), options.inputShapes());
        List<OnnxSignature.Value> outputs = OnnxSignature.outputs(model.getGraph());
        Map<String, Variable> variables = new LinkedHashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            Tensor value = OnnxTensors.toTensor(t, "initializer '" + t.getName() + "'");
            if (value.dtype().isFloating()) {
                variables.put(t.getName(), Variable.of(OnnxNames.nodeName(t.getName()), value, true));
            }
        }
        List<TensorSpec> specs = new ArrayList<>();
        List<String> inputNames = new ArrayList<>(), outputNames = new ArrayList<>();
        for (OnnxSignature.Value v : inputs) {
            specs.add(v.spec());
            inputNames.add(v.name());
        }
        for (OnnxSignature.Value v : outputs) outputNames.add(v.name());
        SavedModel.save(dir, in -> {
            Map<String, Tensor> reads = new HashMap<>();
            variables.forEach((name, v) -> reads.put(name, v.read()));
            return OnnxImporter.apply(model, options, reads, in);
        }, specs, inputNames, outputNames, variables);
    }
}
