package org.nabla.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nabla.onnx.proto.AttributeProto;
import org.nabla.onnx.proto.FunctionProto;
import org.nabla.onnx.proto.NodeProto;

/** Expands a call of a model-local ONNX function into the function's nodes, renamed for the call site. */
final class OnnxFunctions {
    private OnnxFunctions() {}

    /**
     * The body of {@code f} as it runs for {@code call}: formal inputs and outputs replaced by the call's values,
     * internal values given names unique to this call, attribute references resolved from the call's attributes (or
     * the function's defaults).
     */
    static List<NodeProto> inline(FunctionProto f, NodeProto call, int callIndex) {
        Map<String, String> rename = new HashMap<>();
        for (int i = 0; i < f.getInputCount(); i++) {
            rename.put(f.getInput(i), i < call.getInputCount() ? call.getInput(i) : "");
        }
        for (int i = 0; i < f.getOutputCount(); i++) {
            rename.put(f.getOutput(i), i < call.getOutputCount() ? call.getOutput(i) : "");
        }
        Map<String, AttributeProto> attrs = new HashMap<>();
        for (AttributeProto a : f.getAttributeProtoList()) attrs.put(a.getName(), a);
        for (AttributeProto a : call.getAttributeList()) attrs.put(a.getName(), a);
        String prefix = (call.getName().isEmpty() ? f.getName() : call.getName()) + "/" + callIndex + "/";
        List<NodeProto> body = new ArrayList<>();
        for (NodeProto n : f.getNodeList()) {
            NodeProto.Builder b = n.toBuilder().clearInput().clearOutput().clearAttribute()
                    .setName(prefix + (n.getName().isEmpty() ? n.getOpType() : n.getName()));
            for (String in : n.getInputList()) b.addInput(in.isEmpty() ? "" : rename.getOrDefault(in, prefix + in));
            for (String out : n.getOutputList()) {
                b.addOutput(out.isEmpty() ? "" : rename.computeIfAbsent(out, o -> prefix + o));
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getRefAttrName().isEmpty()) {
                    b.addAttribute(a);
                } else {
                    AttributeProto actual = attrs.get(a.getRefAttrName());
                    if (actual != null) b.addAttribute(actual.toBuilder().setName(a.getName()).build());
                }
            }
            body.add(b.build());
        }
        return body;
    }
}
