package org.nabla.onnx;

import java.util.List;
import org.nabla.Tensor;
import org.nabla.onnx.proto.AttributeProto;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.NodeProto;
import org.nabla.onnx.proto.OperatorSetIdProto;
import org.nabla.onnx.proto.TensorShapeProto;
import org.nabla.onnx.proto.TypeProto;
import org.nabla.onnx.proto.ValueInfoProto;

/** Small helpers for writing ONNX models by hand in tests. */
final class OnnxBuilders {
    private OnnxBuilders() {}

    /** A tensor value: element type code and dims (-1 for a symbolic "N"). */
    static ValueInfoProto value(String name, int elemType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    static NodeProto node(String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        return NodeProto.newBuilder().setOpType(op).setName(outputs.get(0) + "_node").addAllInput(inputs)
                .addAllOutput(outputs).addAllAttribute(List.of(attrs)).build();
    }

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) b.addInts(x);
        return b.build();
    }

    static AttributeProto stringAttr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    static AttributeProto stringsAttr(String name, String... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.STRINGS);
        for (String x : v) b.addStrings(com.google.protobuf.ByteString.copyFromUtf8(x));
        return b.build();
    }

    static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static GraphProto.Builder graph(String name) { return GraphProto.newBuilder().setName(name); }

    static GraphProto.Builder init(GraphProto.Builder g, String name, Tensor value) {
        return g.addInitializer(OnnxTensors.toProto(value, name));
    }

    static ModelProto model(GraphProto.Builder g, long opset) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("nabla-test").setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
    }
}
