package org.nabla.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.onnx.proto.AttributeProto;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.NodeProto;

/**
 * What an operator rule sees of one ONNX node: its inputs as Nabla tensors (symbolic while a graph is built,
 * concrete when known at import time), its attributes with ONNX's defaults supplied by the rule, the opset version of
 * its domain, and how many outputs it declares.
 */
public final class OnnxNode {
    private final NodeProto proto;
    private final long opset;
    private final List<OnnxValue> inputs;
    private final List<OnnxValue> known;
    private final Map<String, AttributeProto> attributes;
    private final Subgraphs subgraphs;

    /** Translates a sub-graph attribute of this node where the node is. */
    @FunctionalInterface
    interface Subgraphs {
        List<OnnxValue> translate(GraphProto graph, List<OnnxValue> inputs);
    }

    OnnxNode(NodeProto proto, long opset, List<OnnxValue> inputs, List<OnnxValue> known,
             Map<String, AttributeProto> attrs, Subgraphs subgraphs) {
        this.proto = proto;
        this.opset = opset;
        this.inputs = Collections.unmodifiableList(inputs);
        this.known = known;
        this.attributes = attrs;
        this.subgraphs = subgraphs;
    }

    /**
     * The same node reading {@code values} instead, its sub-graphs translated by {@code translator} (for computing it
     * again on known values).
     */
    OnnxNode withInputs(List<OnnxValue> values, Subgraphs translator) {
        return new OnnxNode(proto, opset, new ArrayList<>(values), values, attributes, translator);
    }

    /** The node's name, or its first named output's name when it has none (for messages). */
    public String name() {
        if (!proto.getName().isEmpty()) return proto.getName();
        for (String out : proto.getOutputList()) if (!out.isEmpty()) return out;
        return "?";
    }

    public String opType() { return proto.getOpType(); }

    /** The version of the operator set the node's domain is imported at. */
    public long opset() { return opset; }

    /** The number of inputs the node lists, counting omitted optional ones. */
    public int inputCount() { return inputs.size(); }

    /** Input {@code i}, or null when the node omits it (an empty name or fewer inputs). */
    public Tensor in(int i) { return tensorOrNull(value(i), i); }

    /** Input {@code i} as a value of any kind (tensor, sequence, optional), or null when omitted. */
    public OnnxValue value(int i) { return i < inputs.size() ? inputs.get(i) : null; }

    /** Input {@code i}'s value when known at import time (every tensor inside is), else null. */
    OnnxValue knownValue(int i) {
        OnnxValue v = value(i);
        if (v == null || !v.isSymbolic()) return v;
        return i < known.size() ? known.get(i) : null;
    }

    private Tensor tensorOrNull(OnnxValue v, int i) {
        if (v == null) return null;
        if (v instanceof OnnxValue.TensorValue t) return t.tensor();
        throw error("input " + i + " ('" + proto.getInput(i) + "') is " + v.kind() + "; " + opType()
                + " takes a tensor there");
    }

    /** Input {@code i}, which the operator requires. */
    public Tensor required(int i) {
        Tensor t = in(i);
        if (t == null) throw error("input " + i + " is required but missing");
        return t;
    }

    /** The present inputs, in order. */
    public List<Tensor> presentInputs() {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) if (inputs.get(i) != null) out.add(in(i));
        return out;
    }

    /**
     * The value of input {@code i} when it is known at import time (an initializer, a Constant, something computed
     * from them, or a graph input the caller bound). Operators whose shape-like arguments come as inputs (Reshape's
     * shape, Slice's starts...) need them so: Nabla's ops take them as attributes, like XLA's compile-time constants.
     */
    public Tensor constant(int i) {
        Tensor k = known(i);
        if (k != null || in(i) == null) return k;
        throw new UnsupportedOnnxException(where() + ": input " + i + " ('" + proto.getInput(i) + "') must be known "
                + "when the model is imported (an initializer, a Constant, or computed from them), but it is computed "
                + "at run time");
    }

    /** The value of input {@code i} if it is known at import time, else null. */
    public Tensor known(int i) {
        Tensor t = in(i);
        if (t == null) return null;
        if (!t.isSymbolic()) return t;
        return i < known.size() ? tensorOrNull(known.get(i), i) : null;
    }

    /** The number of outputs the node declares. */
    public int outputCount() { return proto.getOutputCount(); }

    /** Whether output {@code i} is declared and named (ONNX leaves unused optional outputs empty). */
    public boolean wantsOutput(int i) { return i < proto.getOutputCount() && !proto.getOutput(i).isEmpty(); }

    public boolean hasAttr(String name) { return attributes.containsKey(name); }

    public long attrInt(String name, long dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.INT);
        return a == null ? dflt : a.getI();
    }

    public double attrFloat(String name, double dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.FLOAT);
        return a == null ? dflt : a.getF();
    }

    public String attrString(String name, String dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.STRING);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    /** An INTS attribute as ints (values must fit), or {@code dflt} when absent. */
    public int[] attrInts(String name, int[] dflt) {
        long[] v = attrLongs(name, null);
        if (v == null) return dflt;
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != (int) v[i]) throw error("attribute '" + name + "' value " + v[i] + " is out of int range");
            out[i] = (int) v[i];
        }
        return out;
    }

    public long[] attrLongs(String name, long[] dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.INTS);
        return a == null ? dflt : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    public float[] attrFloats(String name, float[] dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.FLOATS);
        if (a == null) return dflt;
        float[] out = new float[a.getFloatsCount()];
        for (int i = 0; i < out.length; i++) out[i] = a.getFloats(i);
        return out;
    }

    public List<String> attrStrings(String name, List<String> dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.STRINGS);
        return a == null ? dflt : a.getStringsList().stream().map(s -> s.toStringUtf8()).toList();
    }

    /**
     * Translates the GRAPH attribute {@code name} (If's branches, Loop's body) with {@code inputs} for its inputs, in
     * the current execution context (inside a branch being traced, say); returns its outputs.
     */
    public List<Tensor> subgraph(String name, List<Tensor> inputs) {
        List<OnnxValue> in = new ArrayList<>();
        for (Tensor t : inputs) in.add(OnnxValue.of(t));
        List<Tensor> out = new ArrayList<>();
        for (OnnxValue v : subgraphValues(name, in)) out.add(v.tensor(where() + " sub-graph '" + name + "' output"));
        return out;
    }

    /** Like {@link #subgraph}, for sub-graphs that take or give sequences and optionals. */
    List<OnnxValue> subgraphValues(String name, List<OnnxValue> inputs) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.GRAPH);
        if (a == null) throw error("needs the graph attribute '" + name + "'");
        return subgraphs.translate(a.getG(), inputs);
    }

    /** The GRAPH attribute {@code name} itself (its declared input and output types). */
    GraphProto graphAttr(String name) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.GRAPH);
        if (a == null) throw error("needs the graph attribute '" + name + "'");
        return a.getG();
    }

    /** The number of inputs the GRAPH attribute {@code name} takes and outputs it gives. */
    int[] subgraphArity(String name) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.GRAPH);
        if (a == null) throw error("needs the graph attribute '" + name + "'");
        return new int[] {a.getG().getInputCount(), a.getG().getOutputCount()};
    }

    /** A TENSOR attribute's value, or null when absent. */
    public Tensor attrTensor(String name) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.TENSOR);
        return a == null ? null : OnnxTensors.toTensor(a.getT(), where() + " attribute '" + name + "'");
    }

    /** The attribute, checked to be of {@code type}; null when absent. */
    AttributeProto attr(String name, AttributeProto.AttributeType type) {
        AttributeProto a = attributes.get(name);
        if (a == null) return null;
        AttributeProto.AttributeType actual = OnnxAttributes.typeOf(a);
        if (actual != type) {
            throw error("attribute '" + name + "' is " + actual + ", expected " + type);
        }
        return a;
    }

    /** "Reshape node 'n'", the prefix of every message about this node. */
    public String where() { return opType() + " node '" + name() + "'"; }

    /** An error about this node: a malformed model. */
    public OnnxException error(String message) { return new OnnxException(where() + ": " + message); }

    /** The node uses something Nabla has not implemented. */
    public UnsupportedOnnxException unsupported(String message) {
        return new UnsupportedOnnxException(where() + ": " + message);
    }

    @Override
    public String toString() { return where() + " inputs " + proto.getInputList() + " opset " + opset; }
}
