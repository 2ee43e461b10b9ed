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

/** One import of an ONNX model into a Nabla graph, with the session that runs it. */
final class OnnxGraphBuild implements AutoCloseable {
    private final Graph graph;
    private final Map<String, Tensor> placeholders;
    private final Map<String, Tensor> fetches;
    private final Session session;

    private OnnxGraphBuild(Graph graph, Map<String, Tensor> placeholders, Map<String, Tensor> fetches,
                           Session session) {
        this.graph = graph;
        this.placeholders = placeholders;
        this.fetches = fetches;
        this.session = session;
    }

    static OnnxGraphBuild of(ModelProto model, ImportOptions options) {
        OnnxGraphTranslator translator = new OnnxGraphTranslator(model);
        List<OnnxSignature.Value> inputs = OnnxSignature.inputs(model.getGraph(), options.inputShapes());
        Graph graph = new Graph();
        Map<String, Tensor> values = new HashMap<>(), known = new HashMap<>();
        Map<String, Tensor> placeholders = new LinkedHashMap<>(), fetches = new LinkedHashMap<>();
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
        Session session = new Session(graph);
        if (hasVariables) session.run(List.of(), Map.of(), List.of(Variables.globalVariablesInitializer(graph)));
        return new OnnxGraphBuild(graph, placeholders, fetches, session);
    }

    Graph graph() { return graph; }

    /** Feeds every input by ONNX name; returns the outputs by ONNX name. */
    Map<String, Tensor> run(Map<String, Tensor> values) {
        Map<Tensor, Object> feeds = new HashMap<>();
        placeholders.forEach((name, p) -> feeds.put(p, values.get(name)));
        List<Tensor> results = session.run(new ArrayList<>(fetches.values()), feeds);
        Map<String, Tensor> out = new LinkedHashMap<>();
        int i = 0;
        for (String name : fetches.keySet()) out.put(name, results.get(i++));
        return out;
    }

    @Override
    public void close() {
        if (!session.isClosed()) session.close();
    }
}
