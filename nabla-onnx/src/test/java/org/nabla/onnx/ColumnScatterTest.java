package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.nabla.onnx.OnnxBuilders.graph;
import static org.nabla.onnx.OnnxBuilders.init;
import static org.nabla.onnx.OnnxBuilders.intsAttr;
import static org.nabla.onnx.OnnxBuilders.intAttr;
import static org.nabla.onnx.OnnxBuilders.model;
import static org.nabla.onnx.OnnxBuilders.node;
import static org.nabla.onnx.OnnxBuilders.value;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * The N-D ConvTranspose and Col2Im (a scatter-matrix product) against Nabla's 2-D ones (Conv2DBackpropInput, checked
 * against ONNX Runtime and ONNX's cases): a 3-D op over a depth of 1 with a depth-1 kernel must give the 2-D result,
 * with strides, pads, dilations, output_padding and groups.
 */
class ColumnScatterTest {
    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static Tensor run(String op, Tensor x, Tensor w, int[] outDims, org.nabla.onnx.proto.AttributeProto... a) {
        var g = graph("g").addInput(value("x", 1, java.util.Arrays.stream(x.shape().dims()).asLongStream().toArray()))
                .addOutput(value("y", 1, java.util.Arrays.stream(outDims).asLongStream().toArray()))
                .addNode(node(op, List.of("x", "w"), List.of("y"), a));
        init(g, "w", w);
        try (OnnxModel m = OnnxImporter.load(model(g, 18), ImportOptions.defaults())) {
            return m.run(x)[0];
        }
    }

    @Test
    void threeDConvTransposeOverADepthOfOneIsTheTwoDOne() {
        Tensor x = Tensors.of(random(2 * 4 * 3 * 4, 1), 2, 4, 3, 4);
        Tensor w = Tensors.of(random(4 * 3 * 2 * 3, 2), 4, 3, 2, 3); // group 2: C_out = 6
        Tensor twoD = run("ConvTranspose", x, w, new int[] {2, 6, -1, -1}, intAttr("group", 2),
                intsAttr("strides", 2, 1), intsAttr("dilations", 1, 2), intsAttr("pads", 1, 0, 0, 2),
                intsAttr("output_padding", 1, 0));
        Tensor threeD = run("ConvTranspose", Ops.expandDims(x, 2), Ops.expandDims(w, 2), new int[] {2, 6, 1, -1, -1},
                intAttr("group", 2), intsAttr("strides", 1, 2, 1), intsAttr("dilations", 1, 1, 2),
                intsAttr("pads", 0, 1, 0, 0, 0, 2), intsAttr("output_padding", 0, 1, 0));
        assertArrayEquals(twoD.shape().dims(), Ops.squeeze(threeD, 2).shape().dims());
        assertArrayEquals(twoD.toFloatArray(), threeD.toFloatArray(), 1e-5f);
    }
}
