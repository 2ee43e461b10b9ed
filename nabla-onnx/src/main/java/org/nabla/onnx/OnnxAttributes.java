package org.nabla.onnx;

import org.nabla.onnx.proto.AttributeProto;
import org.nabla.onnx.proto.AttributeProto.AttributeType;

/** Reading an attribute's kind, including files from before IR version 2 that left the type field out. */
final class OnnxAttributes {
    private OnnxAttributes() {}

    static AttributeType typeOf(AttributeProto a) {
        if (a.hasType() && a.getType() != AttributeType.UNDEFINED) return a.getType();
        if (a.hasF()) return AttributeType.FLOAT;
        if (a.hasI()) return AttributeType.INT;
        if (a.hasS()) return AttributeType.STRING;
        if (a.hasT()) return AttributeType.TENSOR;
        if (a.hasG()) return AttributeType.GRAPH;
        if (a.getFloatsCount() > 0) return AttributeType.FLOATS;
        if (a.getIntsCount() > 0) return AttributeType.INTS;
        if (a.getStringsCount() > 0) return AttributeType.STRINGS;
        if (a.getTensorsCount() > 0) return AttributeType.TENSORS;
        if (a.getGraphsCount() > 0) return AttributeType.GRAPHS;
        return AttributeType.UNDEFINED;
    }
}
