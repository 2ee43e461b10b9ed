package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.onnx.OnnxBuilders.graph;
import static org.nabla.onnx.OnnxBuilders.init;
import static org.nabla.onnx.OnnxBuilders.intAttr;
import static org.nabla.onnx.OnnxBuilders.model;
import static org.nabla.onnx.OnnxBuilders.node;
import static org.nabla.onnx.OnnxBuilders.value;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.ModelProto;

/**
 * ONNX's STFT (opset 17; the shared conformance folders have no case of it) against a direct float64 transform of
 * each windowed frame (the operator's definition) and, for real signals, against ONNX Runtime 1.30 (whose results for
 * a complex signal differ from the definition): with and without a window, one- and two-sided, a frame step that
 * leaves a tail unused.
 */
class StftRuleTest {
    private static final int BATCH = 2;

    /** X[b, f, k] = sum_j x[b, f*step + j] w[j] e^(-2 pi i k j / frame), as [re, im] pairs. */
    private static double[] reference(double[] x, int length, int parts, double[] w, int frame, int step, int bins) {
        int frames = (length - frame) / step + 1;
        double[] out = new double[BATCH * frames * bins * 2];
        for (int b = 0; b < BATCH; b++) {
            for (int f = 0; f < frames; f++) {
                for (int k = 0; k < bins; k++) {
                    double re = 0, im = 0;
                    for (int j = 0; j < frame; j++) {
                        int at = (b * length + f * step + j) * parts;
                        double wj = w == null ? 1 : w[j], xr = x[at] * wj, xi = parts == 2 ? x[at + 1] * wj : 0;
                        double a = -2 * Math.PI * k * j / frame;
                        re += xr * Math.cos(a) - xi * Math.sin(a);
                        im += xr * Math.sin(a) + xi * Math.cos(a);
                    }
                    int o = ((b * frames + f) * bins + k) * 2;
                    out[o] = re;
                    out[o + 1] = im;
                }
            }
        }
        return out;
    }

    private static void check(int length, int parts, int frame, int step, boolean window, boolean onesided)
            throws Exception {
        Random r = new Random(length * 31L + frame);
        double[] x = new double[BATCH * length * parts];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        double[] w = null;
        GraphProto.Builder g = graph("stft").addInput(value("signal", 11, BATCH, length, parts));
        init(g, "step", Tensor.wrap(DType.INT64, Shape.SCALAR, new long[] {step}));
        init(g, "frame", Tensor.wrap(DType.INT64, Shape.SCALAR, new long[] {frame}));
        List<String> inputs = new ArrayList<>(List.of("signal", "step"));
        if (window) {
            w = new double[frame];
            for (int j = 0; j < frame; j++) w[j] = 0.5 - 0.5 * Math.cos(2 * Math.PI * j / frame);   // Hann
            init(g, "window", Tensor.wrap(DType.FLOAT64, Shape.of(frame), w));
            inputs.add("window");
        } else {
            inputs.add("");
        }
        inputs.add("frame");
        g.addNode(node("STFT", inputs, List.of("y"), intAttr("onesided", onesided ? 1 : 0)));
        g.addOutput(value("y", 11));
        ModelProto m = model(g, 17);
        Tensor signal = Tensor.wrap(DType.FLOAT64, Shape.of(BATCH, length, parts), x);
        int bins = onesided ? frame / 2 + 1 : frame;
        Tensor got;
        try (OnnxModel model = OnnxImporter.load(m, ImportOptions.defaults())) {
            got = model.run(signal)[0];
        }
        String what = "length " + length + " parts " + parts + " frame " + frame + " step " + step + " window " + window
                + " onesided " + onesided;
        assertEquals(Shape.of(BATCH, (length - frame) / step + 1, bins, 2), got.shape(), what);
        double[] want = reference(x, length, parts, w, frame, step, bins), have = got.toDoubleArray();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], have[i], 1e-9, what + " element " + i);
        if (parts == 1) {   // ONNX Runtime 1.30 gives other numbers for a complex signal than the definition above
            Tensor ort = Ort.run(m, signal)[0];
            Ort.assertClose(what + " vs ONNX Runtime", ort, got, 1e-9, 1e-9);
        }
    }

    @Test
    void matchesADirectTransformAndOnnxRuntime() throws Exception {
        check(16, 1, 8, 4, true, true);
        check(19, 1, 6, 5, false, true);    // 3 frames, the last 4 samples unused
        check(12, 1, 5, 2, true, false);    // odd frame, two-sided
        check(10, 2, 4, 3, true, false);    // complex signal
    }

    @Test
    void badInputIsNamed() {
        GraphProto.Builder g = graph("stft").addInput(value("signal", 1, 1, 4, 1));
        init(g, "step", Tensor.wrap(DType.INT64, Shape.SCALAR, new long[] {1}));
        init(g, "frame", Tensor.wrap(DType.INT64, Shape.SCALAR, new long[] {8}));
        g.addNode(node("STFT", List.of("signal", "step", "", "frame"), List.of("y")));
        g.addOutput(value("y", 1));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> OnnxImporter.load(model(g, 17), ImportOptions.defaults()).close());
        assertTrue(e.getMessage().contains("frame_length 8 is longer than the signal 4"), e.getMessage());
    }
}
