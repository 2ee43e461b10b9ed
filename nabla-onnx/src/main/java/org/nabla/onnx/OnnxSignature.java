package org.nabla.onnx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.TensorProto;
import org.nabla.onnx.proto.TensorShapeProto;
import org.nabla.onnx.proto.TypeProto;
import org.nabla.onnx.proto.ValueInfoProto;
import org.nabla.ops.TensorSpec;

/** The named, typed inputs and outputs of an ONNX graph as Nabla tensor specs (symbolic dims become -1). */
public final class OnnxSignature {
    /** A graph input or output: its ONNX name and Nabla spec. */
    public record Value(String name, TensorSpec spec) {
        @Override public String toString() { return name + ": " + spec; }
    }

    private OnnxSignature() {}

    /** The inputs a caller feeds: graph inputs that are not initializers (older files list initializers too). */
    public static List<Value> inputs(GraphProto g, Map<String, Shape> overrides) {
        Set<String> initialized = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) initialized.add(t.getName());
        List<Value> out = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (initialized.contains(v.getName())) continue;
            out.add(new Value(v.getName(), spec(v, "graph input", overrides.get(v.getName()))));
        }
        return out;
    }

    /** The outputs of graph {@code g} with their dtypes and shapes; throws OnnxException for an unsupported type. */
    public static List<Value> outputs(GraphProto g) {
        List<Value> out = new ArrayList<>();
        for (ValueInfoProto v : g.getOutputList()) out.add(new Value(v.getName(), spec(v, "graph output", null)));
        return out;
    }

    private static TensorSpec spec(ValueInfoProto v, String what, Shape override) {
        String name = what + " '" + v.getName() + "'";
        TypeProto t = v.getType();
        if (t.getValueCase() != TypeProto.ValueCase.TENSOR_TYPE) {
            String how = t.getValueCase() == TypeProto.ValueCase.SEQUENCE_TYPE
                    || t.getValueCase() == TypeProto.ValueCase.OPTIONAL_TYPE
                    ? "; a model with sequence or optional inputs or outputs runs eagerly with OnnxImporter.evaluate"
                    : "; Nabla imports tensor values only";
            throw new UnsupportedOnnxException(name + " is " + kind(t) + how);
        }
        DType dtype = OnnxTypes.toDType(t.getTensorType().getElemType(), name);
        if (override != null) return TensorSpec.of(dtype, override);
        if (!t.getTensorType().hasShape()) {
            if (what.equals("graph output")) return TensorSpec.of(dtype, Shape.SCALAR);
            throw new UnsupportedOnnxException(name + " has no declared shape (not even its rank); give its shape "
                    + "when importing");
        }
        List<TensorShapeProto.Dimension> dims = t.getTensorType().getShape().getDimList();
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            TensorShapeProto.Dimension dim = dims.get(i);
            long value = dim.hasDimValue() ? dim.getDimValue() : -1;
            if (value > Integer.MAX_VALUE || value < -1) {
                throw new OnnxException(name + " has dimension " + value + " at axis " + i);
            }
            d[i] = (int) value;
        }
        return TensorSpec.of(dtype, Shape.of(d));
    }

    private static String kind(TypeProto t) {
        return switch (t.getValueCase()) {
            case SEQUENCE_TYPE -> "a sequence";
            case MAP_TYPE -> "a map";
            case OPTIONAL_TYPE -> "an optional";
            case SPARSE_TENSOR_TYPE -> "a sparse tensor";
            default -> "a value of unknown type";
        };
    }
}
