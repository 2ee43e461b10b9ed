package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.onnx.OnnxValue.SequenceValue;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.TypeProto;

/**
 * SequenceMap(sequence, more...): the body applied to each position of the sequences, with the other tensor inputs
 * passed whole; each body output becomes a sequence. The sequences' lengths are known at import, so the body is
 * translated once per element (the unrolling ONNX's own function body does with a Loop).
 */
final class SequenceMap {
    private SequenceMap() {}

    static List<OnnxValue> apply(OnnxNode n) {
        int length = SequenceRules.sequence(n, 0).elements().size();
        for (int j = 1; j < n.inputCount(); j++) {
            if (n.value(j) instanceof SequenceValue s && s.elements().size() != length) {
                throw n.error("input " + j + " holds " + s.elements().size() + " tensors, input 0 holds " + length);
            }
        }
        GraphProto body = n.graphAttr("body");
        int outputs = body.getOutputCount();
        List<List<Tensor>> collected = new ArrayList<>();
        for (int k = 0; k < outputs; k++) collected.add(new ArrayList<>());
        for (int i = 0; i < length; i++) {
            List<OnnxValue> in = new ArrayList<>();
            for (int j = 0; j < n.inputCount(); j++) {
                OnnxValue v = n.value(j);
                in.add(v instanceof SequenceValue s ? OnnxValue.of(s.elements().get(i)) : v);
            }
            List<OnnxValue> out = n.subgraphValues("body", in);
            for (int k = 0; k < outputs; k++) collected.get(k).add(out.get(k).tensor(n.where() + " body output " + k));
        }
        List<OnnxValue> result = new ArrayList<>();
        for (int k = 0; k < outputs; k++) {
            DType declared = declaredType(body.getOutput(k).getType(), n, k);
            result.add(new SequenceValue(SequenceRules.elementType(collected.get(k), declared), collected.get(k)));
        }
        return result;
    }

    private static DType declaredType(TypeProto t, OnnxNode n, int k) {
        if (t.getValueCase() != TypeProto.ValueCase.TENSOR_TYPE) {
            throw n.unsupported("body output " + k + " is not a tensor; Nabla's sequences hold tensors");
        }
        return OnnxTypes.toDType(t.getTensorType().getElemType(), n.where() + " body output " + k);
    }
}
