package org.nabla.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.OperatorSetIdProto;
import org.nabla.onnx.proto.TensorShapeProto;
import org.nabla.onnx.proto.TypeProto;
import org.nabla.onnx.proto.ValueInfoProto;
import org.nabla.ops.TensorSpec;

/**
 * Exports Nabla graphs and saved models as ONNX models (opset {@value #OPSET}, IR version {@value #IR_VERSION}):
 * the part of the graph the named outputs depend on is written node by node, each Nabla op by its rule
 * ({@link ExportOperators}); placeholders become graph inputs, Const nodes and variable reads become initializers.
 * A node whose op has no rule but whose inputs are all such constants is computed by Nabla at export (Range, Eye, a
 * OneHot of constant indices...) and becomes an initializer too.
 * An unknown dimension (-1) of an input becomes a symbolic dimension ({@code N} for the first axis), so the exported
 * model takes any batch size.
 */
public final class OnnxExporter {
    /** The ONNX opset the exported models import (ai.onnx). */
    public static final int OPSET = 17;
    /** The ONNX IR version of exported models (the one that goes with opset 17). */
    public static final int IR_VERSION = 8;
    /** The producer name written into exported models. */
    public static final String PRODUCER = "nabla";

    private static final Set<String> VALUE_OPS = Set.of("Placeholder", "Const", "ReadVariable");

    private OnnxExporter() {}

    /** The Nabla ops that export (besides Placeholder, Const and ReadVariable), sorted. */
    public static Set<String> exportableOps() { return ExportOperators.names(); }

    /**
     * Exports the computation of {@code outputs} from {@code inputs} in {@code graph}. Both maps keep their order and
     * give the ONNX names: inputs map to placeholders of the graph, outputs to any of its tensors. {@code variables}
     * gives the values of the variables the graph reads, by the names its ReadVariable nodes use.
     *
     * @throws UnsupportedOnnxException listing every op (with its nodes) that has no export rule and cannot be
     *     computed at export
     */
    public static ModelProto export(Graph graph, Map<String, Tensor> inputs, Map<String, Tensor> outputs,
                                    Map<String, Tensor> variables) {
        if (graph == null || inputs == null || outputs == null || variables == null) {
            throw new IllegalArgumentException("ONNX export: graph, inputs, outputs and variables must not be null");
        }
        if (outputs.isEmpty()) throw new IllegalArgumentException("ONNX export: no outputs to export");
        Map<String, Output> in = new LinkedHashMap<>(), out = new LinkedHashMap<>();
        inputs.forEach((name, t) -> {
            Output o = resolve(graph, name, t, "input");
            if (!o.node().op().name().equals("Placeholder")) {
                throw new IllegalArgumentException("ONNX export: input '" + name + "' is " + o + " ("
                        + o.node().op().name() + "), not a placeholder");
            }
            in.put(name, o);
        });
        outputs.forEach((name, t) -> out.put(name, resolve(graph, name, t, "output")));
        List<Node> nodes = neededNodes(out.values(), in);

        GraphProto.Builder g = GraphProto.newBuilder().setName("nabla");
        OnnxGraphWriter w = new OnnxGraphWriter(g, variables);
        in.keySet().forEach(w::reserve);
        out.keySet().forEach(w::reserve);
        in.forEach((name, o) -> {
            w.bindInput(o, name);
            g.addInput(valueInfo(name, o.spec(), true));
        });
        out.forEach((name, o) -> {
            if (!VALUE_OPS.contains(o.node().op().name()) && !w.isBound(o)) w.bind(o, name);
        });
        for (Node n : nodes) {
            if (VALUE_OPS.contains(n.op().name())) continue;
            ExportRule rule = ExportOperators.get(n.op().name());
            if (rule != null) rule.write(n, w);
            else w.fold(n); // neededNodes checked that its inputs are all known
        }
        out.forEach((name, o) -> {
            String value = w.value(o);
            if (!value.equals(name)) w.identity(value, name);
            g.addOutput(valueInfo(name, o.spec(), false));
        });
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName(PRODUCER)
                .setProducerVersion(version()).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).build();
    }

    /**
     * Exports a traced function: its declared parameters are the inputs and its results the outputs, named in
     * order. A function that captured outer tensors cannot be exported alone.
     */
    public static ModelProto export(FuncGraph f, List<String> inputNames, List<String> outputNames,
                                    Map<String, Tensor> variables) {
        if (!f.capturedOuter().isEmpty()) {
            throw new IllegalArgumentException("ONNX export: function " + f.name() + " captures " + f.capturedOuter()
                    .size() + " tensors of another graph; export the graph that holds them");
        }
        return export(f.graph(), named("input", inputNames, f.params()), named("output", outputNames,
                f.results()), variables);
    }

    /** Exports a saved model: its signature's inputs and outputs, its variables' values as initializers. */
    public static ModelProto export(SavedModel model) {
        Map<String, Tensor> inputs = new LinkedHashMap<>(), outputs = new LinkedHashMap<>();
        for (int i = 0; i < model.inputs().size(); i++) inputs.put(model.inputs().get(i).name(),
                model.inputTensors().get(i));
        for (int i = 0; i < model.outputs().size(); i++) outputs.put(model.outputs().get(i).name(),
                model.outputTensors().get(i));
        ModelProto m = export(model.graph(), inputs, outputs, model.variablesByName());
        Path dir = model.directory();
        String name = dir == null || dir.getFileName() == null ? "nabla" : dir.getFileName().toString();
        return m.toBuilder().setGraph(m.getGraph().toBuilder().setName(name)).build();
    }

    /** Exports a saved model to the .onnx file {@code file}, written atomically. */
    public static void export(SavedModel model, Path file) throws IOException {
        OnnxFiles.writeModel(file, export(model));
    }

    // ---------------------------------------------------------------- helpers

    private static Output resolve(Graph graph, String name, Tensor t, String what) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("ONNX export: an " + what
                + " name is empty");
        if (t == null) throw new IllegalArgumentException("ONNX export: " + what + " '" + name + "' is null");
        try {
            return graph.outputOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ONNX export: " + what + " '" + name + "': " + e.getMessage());
        }
    }

    private static Map<String, Tensor> named(String what, List<String> names, List<Output> values) {
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("ONNX export: " + names.size() + " " + what + " names " + names
                    + " for " + values.size() + " " + what + "s");
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (m.put(names.get(i), values.get(i).node().output(values.get(i).index())) != null) {
                throw new IllegalArgumentException("ONNX export: " + what + " name '" + names.get(i)
                        + "' is used twice");
            }
        }
        return m;
    }

    /**
     * The nodes the outputs depend on through data edges, in graph (topological) order; fails listing every op
     * without an export rule and every placeholder that is not an input.
     */
    private static List<Node> neededNodes(java.util.Collection<Output> outputs, Map<String, Output> inputs) {
        Set<Node> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        for (Output o : outputs) stack.push(o.node());
        Set<Node> inputNodes = new java.util.HashSet<>();
        for (Output o : inputs.values()) inputNodes.add(o.node());
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (!seen.add(n) || inputNodes.contains(n)) continue;
            for (Output o : n.inputs()) stack.push(o.node());
        }
        List<Node> nodes = new ArrayList<>(seen);
        nodes.sort(java.util.Comparator.comparingInt(Node::id));
        Map<String, List<String>> missing = new TreeMap<>();
        List<String> unfed = new ArrayList<>();
        Set<Node> known = new java.util.HashSet<>(); // Const, variable reads and what is computed from them alone
        for (Node n : nodes) {
            String op = n.op().name();
            boolean knownInputs = n.inputs().stream().allMatch(o -> known.contains(o.node()));
            if (op.equals("Const") || op.equals("ReadVariable")) {
                known.add(n);
            } else if (op.equals("Placeholder")) {
                if (!inputNodes.contains(n)) unfed.add(n.name());
            } else if (ExportOperators.get(op) == null) {
                if (knownInputs && !n.op().isStateful()) known.add(n); // computed at export
                else missing.computeIfAbsent(op, k -> new ArrayList<>()).add(n.name());
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder sb = new StringBuilder("ONNX export: " + missing.size() + " op"
                    + (missing.size() == 1 ? " has" : "s have") + " no ONNX export rule: ");
            int i = 0;
            for (Map.Entry<String, List<String>> e : missing.entrySet()) {
                if (i++ > 0) sb.append(", ");
                sb.append(e.getKey()).append(" (node").append(e.getValue().size() == 1 ? " " : "s ")
                        .append(String.join(", ", e.getValue().stream().map(s -> "'" + s + "'").toList()))
                        .append(')');
            }
            throw new UnsupportedOnnxException(sb.append("; OnnxExporter.exportableOps() lists the ops that export")
                    .toString());
        }
        if (!unfed.isEmpty()) {
            throw new IllegalArgumentException("ONNX export: the outputs depend on placeholders " + unfed
                    + " that are not among the inputs " + inputs.keySet());
        }
        return nodes;
    }

    /** A graph input or output's type: dtype and shape; an input's unknown dims become symbolic (N, name_dI). */
    private static ValueInfoProto valueInfo(String name, TensorSpec spec, boolean input) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        Shape s = spec.shape();
        for (int i = 0; i < s.rank(); i++) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (s.dim(i) >= 0) d.setDimValue(s.dim(i));
            else if (input) d.setDimParam(i == 0 ? "N" : name + "_d" + i);
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(OnnxTypes.toOnnx(spec.dtype())).setShape(shape))).build();
    }

    private static String version() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
