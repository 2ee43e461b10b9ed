package org.nabla.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.onnx.proto.AttributeProto;
import org.nabla.onnx.proto.TensorShapeProto;
import org.nabla.onnx.proto.TypeProto;
import org.nabla.onnx.proto.ValueInfoProto;

/**
 * A one-node ONNX model written by hand for a rule test, imported with {@link OnnxImporter#load} and run in its
 * session. Inputs are fed at run time (so the rule builds graph nodes) or are initializers (known at import time).
 */
final class OnnxNodeCase {
    private final String op;
    private final long opset;
    private final List<String> inputNames = new ArrayList<>();
    private final List<AttributeProto> attrs = new ArrayList<>();
    private final Map<String, Tensor> feeds = new LinkedHashMap<>();
    private final Map<String, Shape> declared = new LinkedHashMap<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private int outputs = 1;

    private OnnxNodeCase(String op, long opset) {
        this.op = op;
        this.opset = opset;
    }

    static OnnxNodeCase of(String op, long opset) { return new OnnxNodeCase(op, opset); }

    /** The next input, fed at run time, declared with its full shape. */
    OnnxNodeCase input(Tensor value) { return input(value, value.shape()); }

    /** The next input, fed at run time, declared with {@code shape} (-1 for a symbolic dimension). */
    OnnxNodeCase input(Tensor value, Shape shape) {
        String name = "in" + inputNames.size();
        inputNames.add(name);
        feeds.put(name, value);
        declared.put(name, shape);
        return this;
    }

    /** The next input, an initializer (known at import time). */
    OnnxNodeCase constant(Tensor value) {
        String name = "in" + inputNames.size();
        inputNames.add(name);
        initializers.put(name, value);
        return this;
    }

    /** An omitted optional input (an empty name). */
    OnnxNodeCase skip() {
        inputNames.add("");
        return this;
    }

    OnnxNodeCase attr(AttributeProto a) {
        attrs.add(a);
        return this;
    }

    OnnxNodeCase attr(String name, String value) {
        return attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build());
    }

    OnnxNodeCase attr(String name, long value) { return attr(OnnxBuilders.intAttr(name, value)); }

    OnnxNodeCase attr(String name, float value) { return attr(OnnxBuilders.floatAttr(name, value)); }

    OnnxNodeCase ints(String name, long... values) { return attr(OnnxBuilders.intsAttr(name, values)); }

    OnnxNodeCase floats(String name, float... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) b.addFloats(v);
        return attr(b.build());
    }

    OnnxNodeCase outputs(int count) {
        outputs = count;
        return this;
    }

    /** Imports the model and runs it once; the outputs in order. */
    Tensor[] run() {
        try (OnnxModel m = load()) {
            return m.run(feeds).values().toArray(Tensor[]::new);
        }
    }

    /** Output 0 of {@link #run()}. */
    Tensor run1() { return run()[0]; }

    /** Imports the model (the caller closes it). */
    OnnxModel load() { return OnnxImporter.load(OnnxBuilders.model(graph(), opset), ImportOptions.defaults()); }

    private org.nabla.onnx.proto.GraphProto.Builder graph() {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) outs.add("out" + i);
        var g = OnnxBuilders.graph(op.toLowerCase()).addNode(OnnxBuilders.node(op, inputNames, outs,
                attrs.toArray(AttributeProto[]::new)));
        declared.forEach((name, shape) -> {
            long[] dims = new long[shape.rank()];
            for (int i = 0; i < dims.length; i++) dims[i] = shape.dim(i);
            g.addInput(OnnxBuilders.value(name, OnnxTypes.toOnnx(feeds.get(name).dtype()), dims));
        });
        initializers.forEach((name, value) -> OnnxBuilders.init(g, name, value));
        for (String o : outs) {
            g.addOutput(ValueInfoProto.newBuilder().setName(o).setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder()))));
        }
        return g;
    }
}
