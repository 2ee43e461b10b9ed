package org.nabla.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.graph.Graph;
import org.nabla.onnx.proto.ModelProto;
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

    /** Imports the model {@code translator} holds into a new graph, with a session to run it. */
    static OnnxGraphBuild of(OnnxGraphTranslator translator, ModelProto model, ImportOptions options) {
        List<OnnxSignature.Value> inputs = OnnxSignature.inputs(model.getGraph(), options.inputShapes());
        Graph graph = new Graph();
        Map<String, Tensor> placeholders = new LinkedHashMap<>(), fetches = new LinkedHashMap<>();
        try (var scope = graph.asDefault()) {
            for (OnnxSignature.Value in : inputs) {
                placeholders.put(in.name(), graph.placeholder(OnnxNames.nodeName(in.name()), in.spec().dtype(),
                        in.spec().shape()));
            }
            Map<String, Tensor> out = translator.translate(placeholders, options, (name, value) -> {
                if (!options.trainable() || !value.dtype().isFloating()) return value;
                return Variables.read(graph, Variables.create(graph, OnnxNames.nodeName(name), value));
            });
            out.forEach((name, t) -> fetches.put(name, t.isSymbolic() ? t : Ops.identity(t)));
        }
        Session session = new Session(graph);
        if (!Variables.globalVariables(graph).isEmpty()) {
            session.run(List.of(), Map.of(), List.of(Variables.globalVariablesInitializer(graph)));
        }
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
