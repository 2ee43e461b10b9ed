package org.nabla.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.onnx.proto.AttributeProto;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.NodeProto;
import org.nabla.onnx.proto.TensorProto;

/**
 * The ONNX graph being written by {@link OnnxExporter}: names every Nabla output it gives a value, adds nodes and
 * initializers, and materializes constants (Const nodes, variable reads) as initializers the first time a rule uses
 * them, so a filter that a rule transposes in Java never also appears untransposed. Export rules
 * ({@link ExportRule}) write through it: its public methods are what a rule, nabla-onnx's or another module's, may
 * call. One writer per export; not thread-safe.
 *
 * <p>Layouts: a rank-4 NHWC value computed by an ONNX spatial operator exists first in NCHW (its <em>NCHW form</em>).
 * Rules that can work in NCHW (elementwise ops, bias, batch norm, the next convolution or pooling) read that form and
 * leave theirs in NCHW too; the NHWC value is only written, by one Transpose, when a rule or a graph output needs it.
 * So a chain of convolutions costs one Transpose in and one out, as in a model written in NCHW.
 */
public final class OnnxGraphWriter {
    private final GraphProto.Builder graph;
    private final Map<String, Tensor> variables;
    private final Map<Output, String> names = new HashMap<>();
    /** The outputs whose ONNX value has been written (or is a graph input). */
    private final Set<Output> defined = new HashSet<>();
    /** Values of nodes computed at export (ops without a rule whose inputs are all known). */
    private final Map<Output, Tensor> folded = new HashMap<>();
    /** The NCHW form of rank-4 NHWC outputs, by output. */
    private final Map<Output, String> nchw = new HashMap<>();
    private final Set<String> used = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();

    OnnxGraphWriter(GraphProto.Builder graph, Map<String, Tensor> variables) {
        this.graph = graph;
        this.variables = variables;
    }

    // ---------------------------------------------------------------- names

    /** Reserves {@code name} (a graph input or output) so no internal value takes it. */
    void reserve(String name) {
        if (!used.add(name)) throw new IllegalArgumentException("ONNX export: the name '" + name + "' is used twice");
    }

    /** Gives Nabla output {@code o} the ONNX value name {@code name} (reserved beforehand). */
    void bind(Output o, String name) { names.put(o, name); }

    /** Binds a graph input: its value exists from the start. */
    void bindInput(Output o, String name) {
        bind(o, name);
        defined.add(o);
    }

    boolean isBound(Output o) { return names.containsKey(o); }

    /** A fresh value name starting with {@code base}. */
    public String fresh(String base) { return fresh(base, used); }

    /** Node names are a namespace of their own in ONNX; they are unique too, for readable tools. */
    private String freshNodeName(String base) { return fresh(base, nodeNames); }

    private String fresh(String base, Set<String> taken) {
        String candidate = base;
        int k = 0;
        while (!taken.add(candidate)) candidate = base + "_" + ++k;
        return candidate;
    }

    // ---------------------------------------------------------------- reading a node's inputs

    /** The ONNX value holding input {@code i} of {@code n}; a constant becomes an initializer on first use. */
    public String input(Node n, int i) { return valueOf(n.inputs().get(i), n); }

    /** The ONNX value holding Nabla output {@code o} (a graph output), materializing a constant. */
    public String value(Output o) { return valueOf(o, o.node()); }

    private String valueOf(Output o, Node consumer) {
        if (defined.contains(o)) return names.get(o);
        String alias = nchw.get(o);
        if (alias != null) { // write the NHWC value now that something needs it
            defined.add(o);
            add(o.node(), "Transpose", in(alias), List.of(nameOf(o)), attr("perm", NnExports.TO_NHWC));
            return nameOf(o);
        }
        Tensor known = constant(o);
        if (known == null) {
            throw new OnnxException("ONNX export: node '" + consumer.name() + "' (" + consumer.op().name()
                    + ") reads output " + o.index() + " of node '" + o.node().name() + "' (" + o.node().op().name()
                    + "), which has no ONNX equivalent");
        }
        String name = initializer(known, constantName(o));
        names.put(o, name);
        defined.add(o);
        return name;
    }

    /**
     * The value of Nabla output {@code o} when it is known while exporting (a Const node or a variable read), else
     * null. Rules use it to fold attributes of ONNX operators or to transpose weights in Java.
     */
    Tensor constant(Output o) {
        Node n = o.node();
        return switch (n.op().name()) {
            case "Const" -> (Tensor) n.attrs().get("value");
            case "ReadVariable" -> {
                String var = n.attrs().getString("name");
                Tensor v = variables.get(var);
                if (v == null) {
                    throw new OnnxException("ONNX export: node '" + n.name() + "' reads variable '" + var
                            + "', whose value was not given (values are given for " + variables.keySet() + ")");
                }
                if (v.dtype() != n.outputSpec(0).dtype() || !v.shape().isCompatibleWith(n.outputSpec(0).shape())) {
                    throw new OnnxException("ONNX export: variable '" + var + "' is " + v.spec() + " but node '"
                            + n.name() + "' reads it as " + n.outputSpec(0));
                }
                yield v;
            }
            default -> folded.get(o);
        };
    }

    /**
     * Computes {@code n} (an op without an export rule whose inputs are all known) with Nabla's kernel, eagerly
     * whatever context the caller is in; its outputs become initializers where they are used.
     */
    void fold(Node n) {
        Tensor[] in = new Tensor[n.inputs().size()];
        for (int i = 0; i < in.length; i++) in[i] = constantInput(n, i);
        Tensor[] out;
        try (var scope = org.nabla.eager.ExecutionContext.enter(org.nabla.eager.EagerContext.INSTANCE)) {
            out = org.nabla.Ops.runMulti(n.op(), n.attrs(), in);
        } catch (RuntimeException e) {
            throw new OnnxException("ONNX export: computing node '" + n.name() + "' (" + n.op().name()
                    + "), which has no export rule, from its constant inputs failed: " + e.getMessage(), e);
        }
        for (int i = 0; i < out.length; i++) folded.put(new Output(n, i), out[i]);
    }

    public Tensor constantInput(Node n, int i) { return constant(n.inputs().get(i)); }

    /** A readable initializer name for a constant: the variable's name for a variable read, else the node's. */
    public static String constantName(Output o) {
        Node n = o.node();
        if (n.op().name().equals("ReadVariable")) return n.attrs().getString("name");
        return n.numOutputs() == 1 ? n.name() : n.name() + ":" + o.index();
    }

    /** The ONNX value name for output {@code i} of {@code n}, which the rule's last node must produce. */
    public String output(Node n, int i) {
        Output o = new Output(n, i);
        defined.add(o);
        return nameOf(o);
    }

    private String nameOf(Output o) {
        Node n = o.node();
        return names.computeIfAbsent(o, k -> fresh(n.numOutputs() == 1 ? n.name() : n.name() + ":" + k.index()));
    }

    // ---------------------------------------------------------------- NCHW forms

    /** Whether input {@code i} of {@code n} has an NCHW form (it is NHWC, computed by a spatial operator). */
    public boolean hasNchw(Node n, int i) { return nchw.containsKey(n.inputs().get(i)); }

    /** Whether every input of {@code n} has an NCHW form (then an elementwise op can run in NCHW). */
    public boolean allNchw(Node n) {
        if (n.inputs().isEmpty()) return false;
        for (int i = 0; i < n.inputs().size(); i++) if (!hasNchw(n, i)) return false;
        return true;
    }

    /** The NCHW form of rank-4 NHWC input {@code i} of {@code n}, adding (once) a Transpose if it has none. */
    public String inputNchw(Node n, int i) {
        Output o = n.inputs().get(i);
        String alias = nchw.get(o);
        if (alias == null) {
            alias = fresh(o.node().name() + "/nchw");
            add(n, "Transpose", in(input(n, i)), List.of(alias), attr("perm", NnExports.TO_NCHW));
            nchw.put(o, alias);
        }
        return alias;
    }

    /** Adds an ONNX node computing output {@code i} of {@code n} (rank-4 NHWC in Nabla) in its NCHW form. */
    public void resultNchw(Node n, int i, String opType, List<String> inputs, AttributeProto... attrs) {
        String out = fresh(n.name() + "/nchw");
        add(n, opType, inputs, List.of(out), attrs);
        nchw.put(new Output(n, i), out);
    }

    // ---------------------------------------------------------------- writing

    /** Adds {@code t} as an initializer named after {@code hint}; returns its name. */
    public String initializer(Tensor t, String hint) { return initializer(t, hint, t.shape().dims()); }

    /** Adds {@code t}'s elements, in row-major order, as an initializer of shape {@code dims} (a reshape). */
    public String initializer(Tensor t, String hint, int... dims) {
        String name = fresh(hint);
        TensorProto.Builder p = OnnxTensors.toProto(t, name).toBuilder().clearDims();
        for (int d : dims) p.addDims(d);
        graph.addInitializer(p);
        return name;
    }

    /** A 1-D int64 initializer (shapes, axes, pads given as inputs). */
    public String int64s(Node n, String what, long... values) {
        return initializer(Tensor.wrap(DType.INT64, Shape.of(values.length), values.clone()), n.name() + "/" + what);
    }

    public String int64s(Node n, String what, int... values) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) l[i] = values[i];
        return int64s(n, what, l);
    }

    /** A scalar initializer of {@code dtype} holding {@code value}. */
    public String scalar(Node n, String what, DType dtype, double value) {
        return initializer(org.nabla.Tensors.convert(value, dtype), n.name() + "/" + what);
    }

    /** Adds an ONNX node for Nabla node {@code n} that writes output {@code i} of {@code n}. */
    public void result(Node n, int i, String opType, List<String> inputs, AttributeProto... attrs) {
        add(n, opType, inputs, List.of(output(n, i)), attrs);
    }

    /** Adds an ONNX node for Nabla node {@code n} writing output 0 of {@code n}. */
    public void result(Node n, String opType, List<String> inputs, AttributeProto... attrs) {
        result(n, 0, opType, inputs, attrs);
    }

    /** Adds an intermediate ONNX node for {@code n}; returns the name of its (single) output. */
    public String temp(Node n, String opType, List<String> inputs, AttributeProto... attrs) {
        String out = fresh(n.name() + "/" + opType);
        add(n, opType, inputs, List.of(out), attrs);
        return out;
    }

    /** Adds an ONNX node with explicit outputs. */
    public void add(Node n, String opType, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(opType).setName(freshNodeName(n.name() + "/" + opType))
                .addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attrs) b.addAttribute(a);
        graph.addNode(b);
    }

    /** An Identity node from an existing value to a graph output name. */
    void identity(String from, String to) {
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(freshNodeName(to))
                .addInput(from).addOutput(to));
    }

    // ---------------------------------------------------------------- attributes

    public static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto attr(String name, double value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
                .setF((float) value).build();
    }

    public static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto attr(String name, int... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (int v : values) b.addInts(v);
        return b.build();
    }

    public static AttributeProto attr(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value)
                .build();
    }

    /** {@code values} as a list, for node inputs. */
    public static List<String> in(String... values) { return new ArrayList<>(List.of(values)); }
}
