package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Resize and Upsample (nearest, integer factors) against ONNX's nearest sampling evaluated per output element. */
class ResizeTest {
    private static final double[] X = {1, 2, 3, 4, 5, 6}; // (1, 1, 2, 3)

    /** y[.., i, j] = x[.., nearest(i), nearest(j)] with half_pixel coordinates rounded half down (ONNX's defaults). */
    static double[] nearestReference(double[] x, int nc, int h, int w, int fh, int fw) {
        int oh = h * fh, ow = w * fw;
        double[] y = new double[nc * oh * ow];
        for (int p = 0; p < nc; p++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            int si = clamp((int) Math.ceil((i + 0.5) / fh - 0.5 - 0.5), h);
            int sj = clamp((int) Math.ceil((j + 0.5) / fw - 0.5 - 0.5), w);
            y[(p * oh + i) * ow + j] = x[(p * h + si) * w + sj];
        }
        return y;
    }

    private static int clamp(int v, int n) { return Math.max(0, Math.min(n - 1, v)); }

    @Test
    void resizeByScalesWithTheDefaults() {
        Tensor y = OnnxNodeCase.of("Resize", 13).input(Tensors.of(X, 1, 1, 2, 3), Shape.of(-1, 1, 2, 3)).skip()
                .constant(Tensors.of(new float[] {1, 1, 2, 3}, 4)).run1();
        assertEquals(Shape.of(1, 1, 4, 9), y.shape());
        assertArrayEquals(nearestReference(X, 1, 2, 3, 2, 3), y.toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2, 3, 3, 3}, java.util.Arrays.copyOf(y.toDoubleArray(), 9));
    }

    @Test
    void resizeBySizesAsPyTorchExportsIt() {
        // F.interpolate(scale_factor=2, mode="nearest"): asymmetric coordinates, floor
        double[] x = new double[2 * 3 * 2 * 2];
        for (int i = 0; i < x.length; i++) x[i] = i;
        Tensor y = OnnxNodeCase.of("Resize", 13).input(Tensors.of(x, 2, 3, 2, 2)).skip().skip()
                .constant(Tensors.of(new long[] {2, 3, 4, 4}, 4)).attr("coordinate_transformation_mode", "asymmetric")
                .attr("nearest_mode", "floor").run1();
        assertEquals(Shape.of(2, 3, 4, 4), y.shape());
        double[] want = new double[2 * 3 * 16];
        for (int p = 0; p < 6; p++) for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
            want[p * 16 + i * 4 + j] = x[p * 4 + (i / 2) * 2 + j / 2]; // floor(i / 2)
        }
        assertArrayEquals(want, y.toDoubleArray());
    }

    @Test
    void resizeWithAxesAndOpset10Scales() {
        Tensor y = OnnxNodeCase.of("Resize", 18).input(Tensors.of(X, 1, 1, 2, 3)).skip()
                .constant(Tensors.of(new float[] {2, 2}, 2)).ints("axes", 2, 3).run1();
        assertArrayEquals(nearestReference(X, 1, 2, 3, 2, 2), y.toDoubleArray());
        Tensor old = OnnxNodeCase.of("Resize", 10).input(Tensors.of(X, 1, 1, 2, 3))
                .constant(Tensors.of(new float[] {1, 1, 3, 1}, 4)).run1();
        assertEquals(Shape.of(1, 1, 6, 3), old.shape());
        assertArrayEquals(nearestReference(X, 1, 2, 3, 3, 1), old.toDoubleArray());
    }

    @Test
    void upsampleWithScalesAsAttributeAndAsInput() {
        Tensor a = OnnxNodeCase.of("Upsample", 7).input(Tensors.of(X, 1, 1, 2, 3)).floats("scales", 1, 1, 2, 2)
                .run1();
        assertArrayEquals(nearestReference(X, 1, 2, 3, 2, 2), a.toDoubleArray());
        Tensor b = OnnxNodeCase.of("Upsample", 9).input(Tensors.of(X, 1, 1, 2, 3))
                .constant(Tensors.of(new float[] {1, 1, 1, 4}, 4)).run1();
        assertEquals(Shape.of(1, 1, 2, 12), b.shape());
        assertArrayEquals(nearestReference(X, 1, 2, 3, 1, 4), b.toDoubleArray());
    }

    /** Resizes [1, 3] (shape (1, 1, 1, 2)) along its last axis by {@code scale} with the given attributes. */
    private static double[] resizeRow(float scale, String... attrs) {
        OnnxNodeCase c = OnnxNodeCase.of("Resize", 19).input(Tensors.of(new float[] {1, 3}, 1, 1, 1, 2)).skip()
                .constant(Tensors.of(new float[] {1, 1, 1, scale}, 4));
        for (int i = 0; i < attrs.length; i += 2) c = c.attr(attrs[i], attrs[i + 1]);
        return c.run1().toDoubleArray();
    }

    @Test
    void linearCubicFractionalAndNonRepeatingNearestInterpolate() {
        // half_pixel: output i samples (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped at the edges.
        assertArrayEquals(new double[] {1, 1.5, 2.5, 3}, resizeRow(2, "mode", "linear"), 1e-6);
        // align_corners: i * (2 - 1) / (4 - 1) = 0, 1/3, 2/3, 1.
        assertArrayEquals(new double[] {1, 5 / 3.0, 7 / 3.0, 3},
                resizeRow(2, "mode", "linear", "coordinate_transformation_mode", "align_corners"), 1e-6);
        // floor of -0.25, 0.25, 0.75, 1.25 is -1 (the edge), 0, 0, 1.
        assertArrayEquals(new double[] {1, 1, 1, 3}, resizeRow(2, "nearest_mode", "floor"), 1e-6);
        // scale 1.5: floor(3) outputs at -1/6, 1/2, 7/6, rounded half down: 0, 0, 1.
        assertArrayEquals(new double[] {1, 1, 3}, resizeRow(1.5f), 1e-6);
        // cubic (a = -0.75, the edge repeated): at 0.25 the weights -0.10546875 0.87890625 0.26171875 -0.03515625
        // fall on 1 1 3 3; at -0.25 on 1 1 1 3. ONNX's reference gives 0.7890625 1.453125 2.546875 3.2109375.
        assertArrayEquals(new double[] {0.7890625, 1.453125, 2.546875, 3.2109375}, resizeRow(2, "mode", "cubic"),
                1e-6);
        var bogus = assertThrows(OnnxException.class, () -> resizeRow(2, "mode", "bogus"));
        assertTrue(bogus.getMessage().contains("mode 'bogus'"), bogus.getMessage());
    }

    @Test
    void resizeOpset11WithEmptyRoiAndScalesAndGivenSizes() {
        Tensor y = OnnxNodeCase.of("Resize", 11).input(Tensors.of(X, 1, 1, 2, 3))
                .constant(Tensors.of(new float[0], 0)).constant(Tensors.of(new float[0], 0))
                .constant(Tensors.of(new long[] {1, 1, 4, 6}, 4)).run1();
        assertEquals(Shape.of(1, 1, 4, 6), y.shape());
        assertArrayEquals(nearestReference(X, 1, 2, 3, 2, 2), y.toDoubleArray());
        // not_larger keeps the aspect ratio: sizes 6 x 9 of a 2 x 3 image is a factor of 3 on both axes
        Tensor kept = OnnxNodeCase.of("Resize", 18).input(Tensors.of(X, 1, 1, 2, 3)).skip().skip()
                .constant(Tensors.of(new long[] {6, 12}, 2)).ints("axes", 2, 3)
                .attr("keep_aspect_ratio_policy", "not_larger").run1();
        assertEquals(Shape.of(1, 1, 6, 9), kept.shape());
        assertArrayEquals(nearestReference(X, 1, 2, 3, 3, 3), kept.toDoubleArray());
    }
}
