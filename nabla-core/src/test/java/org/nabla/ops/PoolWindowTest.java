package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.Shape;

/** The one pooling geometry: its two attribute spellings describe the same windows, in either channel layout. */
class PoolWindowTest {
    private static Attrs tf(int k, int s, String padding, String format) {
        return NnOps.MAX_POOL2D.resolveAttrs(Attrs.of("ksize", new int[] {k, k}, "strides", new int[] {s, s},
                "padding", padding, "dataFormat", format));
    }

    private static Attrs onnx(int k, int s, String padding) {
        return NnOps.MAX_POOL.resolveAttrs(Attrs.of("kernel", new int[] {k, k}, "strides", new int[] {s, s},
                "padding", padding));
    }

    @Test
    void theTwoDimensionalSpellingIsTheNdOneWithTwoAxes() {
        for (String padding : new String[] {"SAME", "VALID"}) {
            for (int[] ks : new int[][] {{3, 2}, {2, 2}, {1, 3}, {4, 1}}) {
                PoolWindow nd = PoolWindow.of("MaxPool", Shape.of(2, 3, 9, 8), onnx(ks[0], ks[1], padding));
                PoolWindow nchw = PoolWindow.of("MaxPool2D", Shape.of(2, 3, 9, 8), tf(ks[0], ks[1], padding, "NCHW"));
                PoolWindow nhwc = PoolWindow.of("MaxPool2D", Shape.of(2, 9, 8, 3), tf(ks[0], ks[1], padding, "NHWC"));
                assertEquals(nd.axes(), nchw.axes());
                assertEquals(nd.axes(), nhwc.axes());
                assertFalse(nchw.channelsLast());
                assertTrue(nhwc.channelsLast());
            }
        }
    }

    @Test
    void outputShapesKeepBatchChannelsAndUnknownDims() {
        Attrs a = tf(2, 2, "SAME", "NHWC");
        assertEquals(Shape.of(-1, 4, -1, 3), PoolWindow.of("MaxPool2D", Shape.of(-1, 7, -1, 3), a)
                .outputShape(Shape.of(-1, 7, -1, 3)));
        assertEquals(Shape.of(2, -1, 4, -1), PoolWindow.of("MaxPool2D", Shape.of(2, -1, 7, -1),
                tf(2, 2, "SAME", "NCHW")).outputShape(Shape.of(2, -1, 7, -1)));
        Attrs nd = NnOps.AVG_POOL.resolveAttrs(Attrs.of("kernel", new int[] {2, 2, 2}, "ceilMode", true,
                "strides", new int[] {2, 2, 2}));
        assertEquals(Shape.of(1, 2, 3, -1, 1), PoolWindow.of("AvgPool", Shape.of(1, 2, 5, -1, 2), nd)
                .outputShape(Shape.of(1, 2, 5, -1, 2)));
    }

    @Test
    void theTwoDimensionalSpellingKeepsItsMessages() {
        OpException v = assertThrows(OpException.class,
                () -> PoolWindow.of("MaxPool2D", Shape.of(1, 1, 5, 2), tf(3, 1, "VALID", "NHWC")));
        assertEquals("MaxPool2D: VALID padding: input height 1 is smaller than the effective window 3 (size 3, "
                + "dilation 1), so the output would be empty", v.getMessage());
        OpException p = assertThrows(OpException.class,
                () -> PoolWindow.of("AvgPool2D", Shape.of(1, 4, 4, 1), tf(2, 2, "SAME_LOWER", "NHWC")));
        assertEquals("AvgPool2D: padding must be \"SAME\" or \"VALID\", got \"SAME_LOWER\"", p.getMessage());
        OpException f = assertThrows(OpException.class,
                () -> PoolWindow.of("MaxPool2D", Shape.of(1, 4, 4, 1), tf(2, 2, "SAME", "NWHC")));
        assertEquals("MaxPool2D: dataFormat must be \"NHWC\" or \"NCHW\", got \"NWHC\"", f.getMessage());
    }
}
