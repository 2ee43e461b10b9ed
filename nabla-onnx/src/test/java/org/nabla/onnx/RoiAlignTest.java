package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.nabla.onnx.OnnxBuilders.graph;
import static org.nabla.onnx.OnnxBuilders.init;
import static org.nabla.onnx.OnnxBuilders.intAttr;
import static org.nabla.onnx.OnnxBuilders.model;
import static org.nabla.onnx.OnnxBuilders.node;
import static org.nabla.onnx.OnnxBuilders.stringAttr;
import static org.nabla.onnx.OnnxBuilders.value;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.Tensors;

/**
 * RoiAlign on X = [[1, 2], [3, 4]], whose bilinear interpolation is 1 + x + 2y, with a 1 x 1 output and 2 x 2
 * samples of the unit square at (0.25, 0.25), (0.25, 0.75), (0.75, 0.25), (0.75, 0.75): avg is 2.5; max takes the
 * largest weighted corner per sample (0.5625, 1.125, 1.6875, 2.25), so 2.25. half_pixel (ONNX's default since opset
 * 16) reaches the same square from the roi [0.5, 0.5, 1.5, 1.5]; the legacy output_half_pixel from [0, 0, 1, 1].
 */
class RoiAlignTest {
    private static float run(float[] roi, String transform, String mode) {
        var g = graph("roi").addInput(value("x", 1, -1, 1, 2, 2)).addOutput(value("y", 1, -1, 1, 1, 1))
                .addNode(node("RoiAlign", List.of("x", "rois", "idx"), List.of("y"), intAttr("output_height", 1),
                        intAttr("output_width", 1), intAttr("sampling_ratio", 2),
                        stringAttr("coordinate_transformation_mode", transform), stringAttr("mode", mode)));
        init(g, "rois", Tensors.of(roi, 1, 4));
        init(g, "idx", Tensors.of(new long[] {0}, 1));
        try (OnnxModel m = OnnxImporter.load(model(g, 16), ImportOptions.defaults())) {
            return m.run(Tensors.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2))[0].toFloatArray()[0];
        }
    }

    @Test
    void averagesAndMaximaOfBilinearSamples() {
        float[] shifted = {0.5f, 0.5f, 1.5f, 1.5f}, unit = {0, 0, 1, 1};
        assertArrayEquals(new float[] {2.5f, 2.25f, 2.5f, 2.25f}, new float[] {run(shifted, "half_pixel", "avg"),
                run(shifted, "half_pixel", "max"), run(unit, "output_half_pixel", "avg"),
                run(unit, "output_half_pixel", "max")}, 1e-6f);
    }
}
