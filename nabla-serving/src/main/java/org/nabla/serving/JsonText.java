package org.nabla.serving;

import java.util.List;
import org.nabla.DType;
import org.nabla.io.Json;

/**
 * Compact JSON for the answers: predictions as nested lists in the output's dtype (float32 values printed as floats,
 * integers without a fraction, NaN and Infinity bare as TensorFlow Serving writes them).
 */
final class JsonText {
    private JsonText() { }

    /** {@code {"error": message}}, the body of every refusal. */
    static String error(String message) { return "{\"error\": " + Json.quote(message) + "}"; }

    /** The row-format answer: {@code {"predictions": [...]}}, per example its output, or an object of outputs. */
    static String predictions(Rows out, List<ServedModel.Port> outputs) {
        StringBuilder sb = new StringBuilder("{\"predictions\": [");
        for (int r = 0; r < out.count(); r++) {
            if (r > 0) sb.append(", ");
            if (outputs.size() == 1) {
                nested(sb, out, 0, r, outputs.get(0).spec().dtype());
            } else {
                sb.append('{');
                for (int t = 0; t < outputs.size(); t++) {
                    if (t > 0) sb.append(", ");
                    sb.append(Json.quote(outputs.get(t).name())).append(": ");
                    nested(sb, out, t, r, outputs.get(t).spec().dtype());
                }
                sb.append('}');
            }
        }
        return sb.append("]}").toString();
    }

    /** The columnar answer: {@code {"outputs": tensor}}, or an object of named tensors when there are several. */
    static String outputs(Rows out, List<ServedModel.Port> outputs) {
        StringBuilder sb = new StringBuilder("{\"outputs\": ");
        if (outputs.size() > 1) sb.append('{');
        for (int t = 0; t < outputs.size(); t++) {
            if (outputs.size() > 1) sb.append(t > 0 ? ", " : "").append(Json.quote(outputs.get(t).name())).append(": ");
            sb.append('[');
            for (int r = 0; r < out.count(); r++) {
                if (r > 0) sb.append(", ");
                nested(sb, out, t, r, outputs.get(t).spec().dtype());
            }
            sb.append(']');
        }
        if (outputs.size() > 1) sb.append('}');
        return sb.append('}').toString();
    }

    /** Row {@code r} of tensor {@code t} as nested lists. */
    private static void nested(StringBuilder sb, Rows out, int t, int r, DType dtype) {
        int[] dims = out.sampleDims()[t];
        int size = out.rowSize(t);
        nested(sb, out.numbers(t), r * size, dims, 0, size, dtype);
    }

    private static void nested(StringBuilder sb, double[] v, int from, int[] dims, int axis, int span, DType dtype) {
        if (axis == dims.length) {
            number(sb, v[from], dtype);
            return;
        }
        int step = span / Math.max(1, dims[axis]);
        sb.append('[');
        for (int i = 0; i < dims[axis]; i++) {
            if (i > 0) sb.append(", ");
            nested(sb, v, from + i * step, dims, axis + 1, step, dtype);
        }
        sb.append(']');
    }

    /** One value as JSON: NaN and Infinity bare, float32 printed as a float, integers without a fraction. */
    static void number(StringBuilder sb, double x, DType dtype) {
        if (Double.isNaN(x)) sb.append("NaN");
        else if (Double.isInfinite(x)) sb.append(x > 0 ? "Infinity" : "-Infinity");
        else if (dtype == DType.FLOAT32) sb.append((float) x);
        else if (dtype.isFloating()) sb.append(x);
        else sb.append((long) x);
    }
}
