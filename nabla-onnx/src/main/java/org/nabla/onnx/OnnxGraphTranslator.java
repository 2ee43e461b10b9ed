package org.nabla.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.nabla.Tensor;
import org.nabla.eager.EagerContext;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.GraphContext;
import org.nabla.onnx.proto.AttributeProto;
import org.nabla.onnx.proto.FunctionProto;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.NodeProto;
import org.nabla.onnx.proto.OperatorSetIdProto;
import org.nabla.onnx.proto.TensorProto;

/**
 * Translates an ONNX model's graph into Nabla ops in the current execution context. The whole model is checked first
 * (domains, operators, value names, cycles), so an unsupported operator fails before anything runs. Nodes whose
 * inputs are all known at import time are computed at once (constant folding), which also resolves the shape
 * arithmetic exporters emit (Shape -> Gather -> Concat -> Reshape) when shapes are static. Sub-graphs (the branches
 * of If, the body of Loop) are translated the same way when their operator's rule asks for them, and may read the
 * values of the graphs around them.
 */
final class OnnxGraphTranslator {
    private static final int MAX_FUNCTION_DEPTH = 32;

    private final ModelProto model;
    private final Map<String, Long> opsets = new HashMap<>();
    private final Map<String, FunctionProto> functions = new HashMap<>();
    /** The main graph's nodes with model-local functions expanded, in topological order. */
    private final List<NodeProto> nodes;

    OnnxGraphTranslator(ModelProto model) {
        this.model = model;
        if (!model.hasGraph()) throw new OnnxException("the model has no graph");
        for (OperatorSetIdProto o : model.getOpsetImportList()) opsets.put(standard(o.getDomain()), o.getVersion());
        for (FunctionProto f : model.getFunctionsList()) functions.put(f.getDomain() + ":" + f.getName(), f);
        this.nodes = prepare(model.getGraph(), Set.of());
    }

    /** "" and "ai.onnx" both name the standard operator set. */
    private static String standard(String domain) { return domain.equals("ai.onnx") ? "" : domain; }

    /** A graph's nodes with functions expanded and domains checked, sorted; {@code outer} names enclosing values. */
    private List<NodeProto> prepare(GraphProto g, Set<String> outer) {
        List<NodeProto> expanded = new ArrayList<>();
        int[] counter = {0};
        for (NodeProto n : g.getNodeList()) expand(n, expanded, counter, 0);
        return sortAndCheck(g, expanded, outer);
    }

    /** Checks the node's operator can be imported, or expands a call of a model-local function into its body. */
    private void expand(NodeProto n, List<NodeProto> out, int[] counter, int depth) {
        String domain = standard(n.getDomain());
        FunctionProto f = functions.get(n.getDomain() + ":" + n.getOpType());
        if (f != null) {
            if (depth > MAX_FUNCTION_DEPTH) throw new OnnxException("function " + f.getName() + " calls itself");
            for (NodeProto inner : OnnxFunctions.inline(f, n, counter[0]++)) expand(inner, out, counter, depth + 1);
            return;
        }
        if (!domain.isEmpty()) {
            String name = n.getOpType() + " node '" + nodeName(n) + "'";
            if (!opsets.containsKey(domain)) {
                throw new OnnxException(name + " uses operator domain '" + domain + "', which the model does not "
                        + "import (opset_import lists " + opsets.keySet() + ")");
            }
            if (!OnnxOperators.supports(ruleName(n))) {
                throw new UnsupportedOnnxException(name + ": unknown opset domain '" + domain + "' (version "
                        + opsets.get(domain) + "); Nabla imports the standard domain ai.onnx and, of other domains, "
                        + "only " + OnnxOperators.names().stream().filter(o -> o.contains(":")).toList());
            }
        }
        out.add(n);
    }

    /** The name a node's import rule is registered under: the operator, prefixed with a domain other than ai.onnx. */
    static String ruleName(NodeProto n) {
        String domain = standard(n.getDomain());
        return domain.isEmpty() ? n.getOpType() : domain + ":" + n.getOpType();
    }

    static String nodeName(NodeProto n) {
        return !n.getName().isEmpty() ? n.getName() : n.getOutputCount() > 0 ? n.getOutput(0) : "?";
    }

    /** The values a node reads: its inputs and what its sub-graphs read from around them. */
    static Set<String> reads(NodeProto n) {
        Set<String> out = new LinkedHashSet<>();
        for (String in : n.getInputList()) if (!in.isEmpty()) out.add(in);
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG()) out.addAll(freeValues(a.getG()));
            for (GraphProto g : a.getGraphsList()) out.addAll(freeValues(g));
        }
        return out;
    }

    /** The names a sub-graph reads that it neither takes as inputs nor defines. */
    static Set<String> freeValues(GraphProto g) {
        Set<String> defined = new HashSet<>();
        for (var v : g.getInputList()) defined.add(v.getName());
        for (TensorProto t : g.getInitializerList()) defined.add(t.getName());
        for (NodeProto n : g.getNodeList()) defined.addAll(n.getOutputList());
        Set<String> free = new LinkedHashSet<>();
        for (NodeProto n : g.getNodeList()) for (String r : reads(n)) if (!defined.contains(r)) free.add(r);
        for (var o : g.getOutputList()) if (!defined.contains(o.getName())) free.add(o.getName());
        return free;
    }

    /** Orders the nodes so every value is produced before it is read; rejects unknown values, cycles, duplicates. */
    private static List<NodeProto> sortAndCheck(GraphProto g, List<NodeProto> nodes, Set<String> outer) {
        Set<String> available = new HashSet<>(outer);
        Set<String> local = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) local.add(t.getName());
        for (var v : g.getInputList()) local.add(v.getName());
        available.addAll(local);
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).getOutputList()) {
                if (o.isEmpty()) continue;
                Integer before = producer.put(o, i);
                if (before != null || local.contains(o)) {
                    throw new OnnxException("value '" + o + "' is produced twice (node '" + nodeName(nodes.get(i))
                            + "'" + (before != null ? " and node '" + nodeName(nodes.get(before)) + "'" : " and a graph "
                            + "input or initializer") + ")");
                }
            }
        }
        Set<String> missing = new TreeSet<>();
        int[] pending = new int[nodes.size()];
        Map<String, List<Integer>> consumers = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : reads(nodes.get(i))) {
                if (producer.containsKey(in)) {
                    pending[i]++;
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                } else if (!available.contains(in)) {
                    missing.add("'" + in + "' (read by node '" + nodeName(nodes.get(i)) + "')");
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new OnnxException("the graph reads values no node, input or initializer produces: "
                    + String.join(", ", missing));
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) if (pending[i] == 0) ready.add(i);
        List<NodeProto> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (String o : nodes.get(i).getOutputList()) {
                for (int c : consumers.getOrDefault(o, List.of())) if (--pending[c] == 0) ready.add(c);
            }
        }
        if (order.size() < nodes.size()) {
            List<String> stuck = new ArrayList<>();
            for (int i = 0; i < nodes.size() && stuck.size() < 10; i++) {
                if (pending[i] > 0) stuck.add("'" + nodeName(nodes.get(i)) + "'");
            }
            throw new OnnxException("the graph has a cycle: nodes " + String.join(", ", stuck) + " wait on each other");
        }
        for (var out : g.getOutputList()) {
            if (!available.contains(out.getName()) && !producer.containsKey(out.getName())) {
                throw new OnnxException("graph output '" + out.getName() + "' is not produced by any node");
            }
        }
        return order;
    }

    /** Fails with one message listing every operator (sub-graphs included) that Nabla cannot import. */
    void checkOperatorsSupported() {
        Map<String, String> unsupported = new LinkedHashMap<>();
        collectUnsupported(nodes, unsupported);
        if (!unsupported.isEmpty()) {
            List<String> parts = new ArrayList<>();
            unsupported.forEach((op, node) -> parts.add(op + " (node '" + node + "')"));
            throw new UnsupportedOnnxException("unsupported ONNX operator" + (parts.size() > 1 ? "s: " : ": ")
                    + String.join(", ", parts));
        }
    }

    private void collectUnsupported(List<NodeProto> list, Map<String, String> unsupported) {
        for (NodeProto n : list) {
            if (!OnnxOperators.supports(ruleName(n))) unsupported.putIfAbsent(ruleName(n), nodeName(n));
            for (AttributeProto a : n.getAttributeList()) {
                List<GraphProto> graphs = new ArrayList<>(a.getGraphsList());
                if (a.hasG()) graphs.add(a.getG());
                for (GraphProto g : graphs) {
                    List<NodeProto> inner = new ArrayList<>();
                    int[] counter = {0};
                    for (NodeProto x : g.getNodeList()) expand(x, inner, counter, 0);
                    collectUnsupported(inner, unsupported);
                }
            }
        }
    }

    long standardOpset() { return opsets.getOrDefault("", 1L); }

    /**
     * Translates the graph with its inputs given by name and each initializer as {@code initializer} makes it (from
     * its name and value: the value itself, or what stands for it, such as a variable read). Initializers, and inputs
     * bound in {@code options}, are the values known at import time. Returns the graph outputs by name.
     */
    Map<String, Tensor> translate(Map<String, Tensor> inputs, ImportOptions options,
                                  BiFunction<String, Tensor, Tensor> initializer) {
        Map<String, OnnxValue> in = new LinkedHashMap<>();
        inputs.forEach((name, t) -> in.put(name, OnnxValue.of(t)));
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        translateValues(in, options, initializer).forEach((name, v) -> outputs.put(name, v.tensor("graph output '"
                + name + "'")));
        return outputs;
    }

    /** As {@link #translate}, with inputs and outputs of every kind (tensors, sequences, optionals). */
    Map<String, OnnxValue> translateValues(Map<String, OnnxValue> inputs, ImportOptions options,
                                           BiFunction<String, Tensor, Tensor> initializer) {
        Map<String, OnnxValue> values = new HashMap<>(), known = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            Tensor v = OnnxTensors.toTensor(t, "initializer '" + t.getName() + "'");
            values.put(t.getName(), OnnxValue.of(initializer.apply(t.getName(), v)));
            known.put(t.getName(), OnnxValue.of(v));
        }
        inputs.forEach((name, v) -> {
            values.put(name, v);
            Tensor bound = options.bindings().get(name);
            if (bound != null) known.put(name, OnnxValue.of(bound));
        });
        run(nodes, values, known);
        Map<String, OnnxValue> outputs = new LinkedHashMap<>();
        for (var o : model.getGraph().getOutputList()) outputs.put(o.getName(), values.get(o.getName()));
        return outputs;
    }

    /**
     * Translates sub-graph {@code g} (If's branches, Loop's body) with {@code inputs} for its inputs, seeing the
     * enclosing graphs' {@code outer} values; returns its outputs in order.
     */
    List<OnnxValue> translateSubgraph(GraphProto g, List<OnnxValue> inputs, Map<String, OnnxValue> outer,
                                      Map<String, OnnxValue> outerKnown) {
        if (inputs.size() != g.getInputCount()) {
            throw new OnnxException("sub-graph '" + g.getName() + "' takes " + g.getInputCount() + " inputs, given "
                    + inputs.size());
        }
        Map<String, OnnxValue> values = new HashMap<>(outer), known = new HashMap<>(outerKnown);
        for (TensorProto t : g.getInitializerList()) {
            Tensor v = OnnxTensors.toTensor(t, "initializer '" + t.getName() + "' of sub-graph '" + g.getName() + "'");
            values.put(t.getName(), OnnxValue.of(v));
            known.put(t.getName(), OnnxValue.of(v));
        }
        for (int i = 0; i < inputs.size(); i++) {
            values.put(g.getInput(i).getName(), inputs.get(i));
            known.remove(g.getInput(i).getName());
        }
        run(prepare(g, values.keySet()), values, known);
        List<OnnxValue> out = new ArrayList<>();
        for (var o : g.getOutputList()) out.add(values.get(o.getName()));
        return out;
    }

    private void run(List<NodeProto> order, Map<String, OnnxValue> values, Map<String, OnnxValue> known) {
        long opset = standardOpset();
        for (NodeProto n : order) {
            List<OnnxValue> in = new ArrayList<>(), k = new ArrayList<>();
            for (String name : n.getInputList()) {
                in.add(name.isEmpty() ? null : values.get(name));
                k.add(name.isEmpty() ? null : known.get(name));
            }
            boolean allKnown = true;
            for (String r : reads(n)) {
                OnnxValue v = values.get(r);
                if (v != null && v.isSymbolic()) allKnown = false;
            }
            Map<String, AttributeProto> attrs = new LinkedHashMap<>();
            for (AttributeProto a : n.getAttributeList()) attrs.put(a.getName(), a);
            OnnxNode node = new OnnxNode(n, opset, in, k, attrs,
                    (g, inputs) -> translateSubgraph(g, inputs, values, known));
            OnnxOperators.Entry entry = OnnxOperators.get(ruleName(n));
            List<OnnxValue> out = apply(node, entry, allKnown && !entry.stateful());
            int named = 0;
            for (int i = 0; i < n.getOutputCount(); i++) {
                if (n.getOutput(i).isEmpty()) continue;
                if (i >= out.size() || out.get(i) == null) {
                    throw node.unsupported("output " + i + " ('" + n.getOutput(i) + "') is not produced by Nabla's "
                            + "rule for " + n.getOpType());
                }
                values.put(n.getOutput(i), out.get(i));
                named++;
            }
            if (named == 0 && n.getOutputCount() == 0) throw node.error("declares no outputs");
            if (!allKnown && !entry.stateful()) propagateKnown(n, node, entry, in, k, values, known);
        }
    }

    /**
     * Where a node reads bound inputs (known at import, still fed at run time) and constants only, its outputs are
     * known too: computed once more, eagerly, so that operators downstream that need known values (Pad's pads,
     * Reshape's shape...) get them. The graph keeps its own nodes. A node that cannot be computed so (an error in
     * the eager run) simply leaves its outputs unknown: the graph built above is what runs.
     */
    private void propagateKnown(NodeProto n, OnnxNode node, OnnxOperators.Entry entry, List<OnnxValue> in,
                                List<OnnxValue> k, Map<String, OnnxValue> values, Map<String, OnnxValue> known) {
        boolean hasGraphs = n.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0);
        // an If (a branch picked by a known condition) is computed again on the known values around it; other
        // operators with sub-graphs (loops) are not
        if (hasGraphs && !n.getOpType().equals("If")) return;
        List<OnnxValue> inputs = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            OnnxValue t = in.get(i);
            if (t == null) {
                inputs.add(null);
            } else if (!t.isSymbolic()) {
                inputs.add(t);
            } else if (k.get(i) != null) {
                inputs.add(k.get(i));
            } else {
                return;
            }
        }
        Map<String, OnnxValue> around = new HashMap<>(values);
        around.putAll(known);
        OnnxNode eager = node.withInputs(inputs, (g, sub) -> translateSubgraph(g, sub, around, known));
        List<OnnxValue> out;
        try (ExecutionContext.Scope scope = ExecutionContext.enter(EagerContext.INSTANCE)) {
            out = entry.rule().apply(eager);
        } catch (RuntimeException e) {
            return;
        }
        for (int i = 0; i < n.getOutputCount() && i < out.size(); i++) {
            if (!n.getOutput(i).isEmpty() && out.get(i) != null && !out.get(i).isSymbolic()) {
                known.put(n.getOutput(i), out.get(i));
            }
        }
    }

    private static List<OnnxValue> apply(OnnxNode node, OnnxOperators.Entry entry, boolean fold) {
        ExecutionContext.Scope scope = fold ? ExecutionContext.enter(EagerContext.INSTANCE) : nameScope(node);
        try {
            return entry.rule().apply(node);
        } catch (OnnxException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OnnxException(node.where() + ": " + e.getMessage(), e);
        } finally {
            if (scope != null) scope.close();
        }
    }

    /** Groups a node's Nabla ops under its ONNX name when building a graph, so graphs read like the model. */
    private static ExecutionContext.Scope nameScope(OnnxNode node) {
        if (!(ExecutionContext.current().target() instanceof GraphContext gc)) return null;
        var scope = gc.graph().nameScope(node.name().replaceAll("[^A-Za-z0-9_.\\-]", "_"));
        return scope::close;
    }
}
