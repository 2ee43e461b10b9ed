package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.nabla.onnx.OnnxBuilders.floatAttr;
import static org.nabla.onnx.OnnxBuilders.graph;
import static org.nabla.onnx.OnnxBuilders.stringAttr;
import static org.nabla.onnx.OnnxBuilders.value;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.onnx.proto.AttributeProto;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.NodeProto;
import org.nabla.onnx.proto.OperatorSetIdProto;

/**
 * ai.onnx.preview.training's Adam and Momentum after the first step (T = 3), where ONNX's conformance cases (all
 * T = 0) do not reach: Adam's bias-corrected rate and Momentum's beta. Expected values from the formulas of ONNX's
 * operator documentation in float64 (NumPy): Adam X' = [-0.0261254841, 1.8261326697], Momentum X' = [1.047888,
 * 2.482972].
 */
class TrainingRulesTest {
    private static Map<String, Tensor> run(String op, List<String> inputs, List<String> outputs,
                                           AttributeProto... attrs) {
        NodeProto node = NodeProto.newBuilder().setOpType(op).setDomain("ai.onnx.preview.training").setName("step")
                .addAllInput(inputs).addAllOutput(outputs).addAllAttribute(List.of(attrs)).build();
        var g = graph("train").addNode(node);
        for (String in : inputs) g.addInput(in.equals("T") ? value(in, 7) : in.equals("R") ? value(in, 1) : value(in, 1, 2));
        for (String out : outputs) g.addOutput(value(out, 1, 2));
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.preview.training").setVersion(1))
                .build();
        Map<String, Tensor> feeds = Map.of("R", Tensors.scalar(0.1f), "T", Tensors.scalar(3L),
                "X", Tensors.of(new float[] {1.2f, 2.8f}, 2), "G", Tensors.of(new float[] {-0.94f, -2.5f}, 2),
                "V", Tensors.of(new float[] {1.7f, 3.6f}, 2), "H", Tensors.of(new float[] {0.1f, 0.1f}, 2));
        java.util.Map<String, Tensor> given = new java.util.HashMap<>();
        for (String in : inputs) given.put(in, feeds.get(in));
        try (OnnxModel model = OnnxImporter.load(m, ImportOptions.defaults())) {
            return model.run(given);
        }
    }

    @Test
    void adamCorrectsTheRateForTheMomentsBias() {
        var out = run("Adam", List.of("R", "T", "X", "G", "V", "H"), List.of("X2", "V2", "H2"), floatAttr("alpha", 0.95f),
                floatAttr("beta", 0.1f), floatAttr("epsilon", 1e-7f), floatAttr("norm_coefficient", 0.001f));
        assertArrayEquals(new float[] {-0.0261254841f, 1.8261326697f}, out.get("X2").toFloatArray(), 2e-6f);
        assertArrayEquals(new float[] {1.56806f, 3.29514f}, out.get("V2").toFloatArray(), 2e-6f);
        assertArrayEquals(new float[] {0.803210896f, 5.622407056f}, out.get("H2").toFloatArray(), 2e-6f);
    }

    @Test
    void momentumUsesBetaAfterTheFirstStep() {
        var out = run("Momentum", List.of("R", "T", "X", "G", "V"), List.of("X2", "V2"), floatAttr("alpha", 0.95f),
                floatAttr("beta", 0.1f), floatAttr("norm_coefficient", 0.001f), stringAttr("mode", "standard"));
        assertArrayEquals(new float[] {1.047888f, 2.482972f}, out.get("X2").toFloatArray(), 2e-6f);
        assertArrayEquals(new float[] {1.52112f, 3.17028f}, out.get("V2").toFloatArray(), 2e-6f);
    }
}
