package org.nabla.nn.summary;

import java.util.Map;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.TensorSpec;

/**
 * A Nabla {@link Graph} as a TensorFlow {@code GraphDef} (graph.proto, node_def.proto, attr_value.proto) for
 * TensorBoard's Graphs tab: one {@code NodeDef} per node with its op name, inputs ({@code node}, {@code node:i},
 * {@code ^control}), device, the attributes TensorFlow's types can hold, and {@code _output_shapes} so edges show
 * shapes. Name scopes ({@code dense/MatMul}) become the tab's collapsible groups.
 */
public final class GraphDefs {
    private GraphDefs() {}

    // GraphDef { repeated NodeDef node = 1; VersionDef versions = 4; }  VersionDef { int32 producer = 1; }
    // NodeDef { string name = 1; string op = 2; repeated string input = 3; string device = 4;
    //           map<string, AttrValue> attr = 5; }
    // AttrValue { ListValue list = 1; bytes s = 2; int64 i = 3; float f = 4; bool b = 5; DataType type = 6;
    //             TensorShapeProto shape = 7; }  ListValue { int64 i = 3 (packed); float f = 4 (packed);
    //             TensorShapeProto shape = 7; }  TensorShapeProto { Dim dim = 2; } Dim { int64 size = 1; }

    /** The serialized GraphDef of {@code graph}. */
    public static byte[] toGraphDef(Graph graph) {
        ProtoWriter def = new ProtoWriter();
        for (Node n : graph.nodes()) def.message(1, node(n));
        def.message(4, new ProtoWriter().varint(1, 1));
        return def.toByteArray();
    }

    private static ProtoWriter node(Node n) {
        ProtoWriter w = new ProtoWriter().string(1, n.name()).string(2, n.op().name());
        for (Output in : n.inputs()) w.string(3, in.index() == 0 ? in.node().name() : in.toString());
        for (Node c : n.controlInputs()) w.string(3, "^" + c.name());
        if (n.device() != null && !n.device().isEmpty()) w.string(4, n.device());
        for (Map.Entry<String, Object> a : n.attrs().asMap().entrySet()) {
            ProtoWriter value = attrValue(a.getValue());
            if (value != null) w.message(5, new ProtoWriter().string(1, a.getKey()).message(2, value));
        }
        ProtoWriter shapes = new ProtoWriter();
        for (int i = 0; i < n.numOutputs(); i++) shapes.message(7, shape(n.outputSpec(i)));
        w.message(5, new ProtoWriter().string(1, "_output_shapes").message(2, new ProtoWriter().message(1, shapes)));
        return w;
    }

    /** The AttrValue of an attribute, or null for kinds a GraphDef cannot hold (functions, tensors). */
    private static ProtoWriter attrValue(Object v) {
        return switch (v) {
            case Integer i -> new ProtoWriter().varint(3, i);
            case Long l -> new ProtoWriter().varint(3, l);
            case Float f -> new ProtoWriter().floatField(4, f);
            case Double d -> new ProtoWriter().floatField(4, d.floatValue());
            case Boolean b -> new ProtoWriter().varint(5, b ? 1 : 0);
            case String s -> new ProtoWriter().string(2, s);
            case DType d -> new ProtoWriter().varint(6, dataType(d));
            case Shape s -> new ProtoWriter().message(7, shape(s));
            case int[] ints -> {
                ProtoWriter list = new ProtoWriter();
                for (int i : ints) list.varint(3, i);  // unpacked: parsers accept both encodings
                yield new ProtoWriter().message(1, list);
            }
            default -> null;
        };
    }

    private static ProtoWriter shape(TensorSpec spec) { return shape(spec.shape()); }

    private static ProtoWriter shape(Shape s) {
        ProtoWriter w = new ProtoWriter();
        for (int d : s.dims()) w.message(2, new ProtoWriter().varint(1, d));  // -1: unknown (the batch)
        return w;
    }

    /** TensorFlow's DataType enum values (types.proto). */
    static int dataType(DType d) {
        return switch (d) {
            case FLOAT32 -> 1;
            case FLOAT64 -> 2;
            case INT32 -> 3;
            case UINT8 -> 4;
            case INT16 -> 5;
            case INT8 -> 6;
            case INT64 -> 9;
            case BOOL -> 10;
            case BFLOAT16 -> 14;
            case UINT16 -> 17;
            case FLOAT16 -> 19;
            case UINT32 -> 22;
            case UINT64 -> 23;
            case COMPLEX64 -> 8;
            case COMPLEX128 -> 18;
            default -> 0;  // DT_INVALID: a type TensorFlow has no number for
        };
    }
}
