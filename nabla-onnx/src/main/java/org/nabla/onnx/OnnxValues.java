package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.onnx.proto.OptionalProto;
import org.nabla.onnx.proto.SequenceProto;
import org.nabla.onnx.proto.TensorProto;

/**
 * Sequence and optional values read from ONNX's SequenceProto and OptionalProto messages (test data files). An empty
 * sequence takes its element type from the declared type where there is one.
 */
final class OnnxValues {
    /** SequenceProto/OptionalProto elem_type codes. */
    private static final int UNDEFINED = 0, TENSOR = 1, SEQUENCE = 3;

    private OnnxValues() {}

    static OnnxValue fromProto(SequenceProto p, String what, DType declared) {
        if (p.getElemType() != TENSOR && p.getElemType() != UNDEFINED) {
            throw new UnsupportedOnnxException(what + ": a sequence of element kind " + p.getElemType()
                    + "; Nabla's sequences hold tensors");
        }
        List<Tensor> elements = new ArrayList<>();
        for (TensorProto t : p.getTensorValuesList()) elements.add(OnnxTensors.toTensor(t, what));
        DType type = elements.isEmpty() ? declared : elements.get(0).dtype();
        return new OnnxValue.SequenceValue(type, elements);
    }

    /** The tensor element type a value type declares for its sequence's elements, float32 when it declares none. */
    static DType declaredElementType(org.nabla.onnx.proto.TypeProto t) {
        var s = t.hasSequenceType() ? t.getSequenceType().getElemType() : t;
        if (s.hasOptionalType()) s = s.getOptionalType().getElemType();
        if (s.hasSequenceType()) s = s.getSequenceType().getElemType();
        if (!s.hasTensorType() || s.getTensorType().getElemType() == 0) return DType.FLOAT32;
        return OnnxTypes.toDType(s.getTensorType().getElemType(), "a sequence element");
    }

    static OnnxValue fromProto(OptionalProto p, String what) {
        return switch (p.getElemType()) {
            case UNDEFINED -> OnnxValue.OptionalValue.NONE;
            case TENSOR -> new OnnxValue.OptionalValue(OnnxValue.of(OnnxTensors.toTensor(p.getTensorValue(), what)));
            case SEQUENCE -> new OnnxValue.OptionalValue(fromProto(p.getSequenceValue(), what, DType.FLOAT32));
            default -> throw new UnsupportedOnnxException(what + ": an optional of element kind " + p.getElemType()
                    + "; Nabla's optionals hold tensors and sequences");
        };
    }
}
