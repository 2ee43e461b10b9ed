package org.nabla.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.graph.Graph;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.TensorProto;
import org.nabla.runtime.Session;
import org.nabla.runtime.Variables;

/**
 * An ONNX model imported into a Nabla graph, ready to run in its own {@link Session}: inputs are placeholders named
 * like the ONNX inputs, outputs are fetched by their ONNX names. Close it to release the session.
 */
public final class OnnxModel implements AutoCloseable {
    private final Graph graph;
    private final List<OnnxSignature.Value> inputs;
    private final List<OnnxSignature.Value> outputs;
    private final Map<String, Tensor> placeholders = new LinkedHashMap<>();
    private final Map<String, Tensor> fetches = new LinkedHashMap<>();
    private final Session session;

    OnnxModel(ModelProto model, ImportOptions options) {
        OnnxGraphTranslator translator = new OnnxGraphTranslator(model);
        translator.checkOperatorsSupported();
        this.inputs = OnnxSignature.inputs(model.getGraph(), options.inputShapes());
        this.outputs = OnnxSignature.outputs(model.getGraph());
        this.graph = new Graph();
        Map<String, Tensor> values = new HashMap<>(), known = new HashMap<>();
        boolean hasVariables = false;
        try (var scope = graph.asDefault()) {
            for (TensorProto t : model.getGraph().getInitializerList()) {
                Tensor value = OnnxTensors.toTensor(t, "initializer '" + t.getName() + "'");
                known.put(t.getName(), value);
                if (options.trainable() && value.dtype().isFloating()) {
                    Variable v = Variables.create(graph, OnnxNames.nodeName(t.getName()), value);
                    values.put(t.getName(), Variables.read(graph, v));
                    hasVariables = true;
                } else {
                    values.put(t.getName(), value);
                }
            }
            for (OnnxSignature.Value in : inputs) {
                Tensor p = graph.placeholder(OnnxNames.nodeName(in.name()), in.spec().dtype(), in.spec().shape());
                placeholders.put(in.name(), p);
                values.put(in.name(), p);
                Tensor bound = options.bindings().get(in.name());
                if (bound != null) known.put(in.name(), bound);
            }
            Map<String, Tensor> out = translator.translate(values, known);
            out.forEach((name, t) -> fetches.put(name, t.isSymbolic() ? t : Ops.identity(t)));
        }
        this.session = new Session(graph);
        if (hasVariables) session.run(List.of(), Map.of(), List.of(Variables.globalVariablesInitializer(graph)));
    }

    public Graph graph() { return graph; }

    /** The inputs to feed, in the model's order. */
    public List<OnnxSignature.Value> inputs() { return inputs; }

    public List<OnnxSignature.Value> outputs() { return outputs; }

    /** The placeholder standing for ONNX input {@code name}. */
    public Tensor input(String name) {
        Tensor t = placeholders.get(name);
        if (t == null) throw new IllegalArgumentException("the model has no input '" + name + "'; inputs: " + inputs);
        return t;
    }

    /** The graph tensor computing ONNX output {@code name}. */
    public Tensor output(String name) {
        Tensor t = fetches.get(name);
        if (t == null) throw new IllegalArgumentException("the model has no output '" + name + "'; outputs: " + outputs);
        return t;
    }

    /** Runs the model on inputs given by name (tensors or Java arrays); returns every output by name. */
    public Map<String, Tensor> run(Map<String, ?> feeds) {
        Map<Tensor, Object> byTensor = new HashMap<>();
        feeds.forEach((name, value) -> byTensor.put(input(name), value));
        List<String> missing = new ArrayList<>();
        for (String name : placeholders.keySet()) if (!feeds.containsKey(name)) missing.add(name);
        if (!missing.isEmpty()) throw new IllegalArgumentException("missing inputs " + missing + "; the model takes "
                + inputs);
        List<Tensor> values = session.run(new ArrayList<>(fetches.values()), byTensor);
        Map<String, Tensor> out = new LinkedHashMap<>();
        int i = 0;
        for (String name : fetches.keySet()) out.put(name, values.get(i++));
        return out;
    }

    /** Runs the model on inputs in the order of {@link #inputs()}; returns the outputs in order. */
    public Tensor[] run(Object... args) {
        if (args.length != inputs.size()) {
            throw new IllegalArgumentException("the model takes " + inputs.size() + " inputs " + inputs + ", got "
                    + args.length);
        }
        Map<String, Object> feeds = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) feeds.put(inputs.get(i).name(), args[i]);
        return run(feeds).values().toArray(Tensor[]::new);
    }

    public Session session() { return session; }

    @Override
    public void close() { session.close(); }

    @Override
    public String toString() { return "OnnxModel " + inputs + " -> " + outputs; }
}
