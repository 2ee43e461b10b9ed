package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.nabla.onnx.OnnxBuilders.graph;
import static org.nabla.onnx.OnnxBuilders.init;
import static org.nabla.onnx.OnnxBuilders.intAttr;
import static org.nabla.onnx.OnnxBuilders.intsAttr;
import static org.nabla.onnx.OnnxBuilders.model;
import static org.nabla.onnx.OnnxBuilders.node;
import static org.nabla.onnx.OnnxBuilders.value;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * DeformConv with zero offsets is the plain convolution (Nabla's Conv, checked against ONNX Runtime and ONNX's
 * cases), with strides, pads, dilations, groups and two offset groups. (ONNX's three cases check non-zero offsets
 * and the mask.)
 */
class DeformConvTest {
    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static Tensor run(String op, Tensor x, Tensor w, Tensor offset, int outH, int outW) {
        var attrs = List.of(intsAttr("strides", 2, 1), intsAttr("dilations", 1, 2), intsAttr("pads", 1, 0, 0, 1),
                intAttr("group", 2));
        var extra = op.equals("DeformConv") ? List.of(intAttr("offset_group", 2)) : List.<org.nabla.onnx.proto.AttributeProto>of();
        var all = new java.util.ArrayList<>(attrs);
        all.addAll(extra);
        var g = graph("g").addInput(value("x", 1, 1, 4, 5, 6)).addOutput(value("y", 1, 1, 6, outH, outW))
                .addNode(node(op, op.equals("DeformConv") ? List.of("x", "w", "off") : List.of("x", "w"), List.of("y"),
                        all.toArray(org.nabla.onnx.proto.AttributeProto[]::new)));
        init(g, "w", w);
        if (offset != null) init(g, "off", offset);
        try (OnnxModel m = OnnxImporter.load(model(g, 19), ImportOptions.defaults())) {
            return m.run(x)[0];
        }
    }

    @Test
    void zeroOffsetsGiveThePlainConvolution() {
        Tensor x = Tensors.of(random(4 * 5 * 6, 3), 1, 4, 5, 6);
        Tensor w = Tensors.of(random(6 * 2 * 2 * 3, 4), 6, 2, 2, 3);
        // out: height (5 + 1 - 1 - 1) / 2 + 1 = 3, width (6 + 1 - 4 - 1) + 1 = 3
        Tensor conv = run("Conv", x, w, null, 3, 3);
        Tensor deform = run("DeformConv", x, w, Tensors.of(new float[2 * 6 * 2 * 9], 1, 24, 3, 3), 3, 3);
        assertArrayEquals(conv.toFloatArray(), deform.toFloatArray(), 1e-5f);
    }
}
