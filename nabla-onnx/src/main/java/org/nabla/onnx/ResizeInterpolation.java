package org.nabla.onnx;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * ONNX Resize in its general form: modes nearest, linear and cubic (with antialias, exclude_outside and cubic_coeff_a),
 * every coordinate transformation, any factor. Resizing is separable, so each resized axis is one matrix product: the
 * weights of output position i on the input positions are computed at import time (the sizes must be known then),
 * the neighbours and weights exactly as ONNX defines them, neighbours beyond the edge clamped to it.
 * tf_crop_and_resize positions outside the input take extrapolation_value. Computed in float64.
 */
final class ResizeInterpolation {
    /** How the weights of the neighbours of a position are computed from its fraction and the axis's scale. */
    private interface Coefficients {
        double[] of(double ratio, double scale);
    }

    private ResizeInterpolation() {}

    /** Resizes x to {@code sizes} with {@code scales} (per axis) and ONNX's roi (starts then ends, or null). */
    static Tensor resize(OnnxNode n, Tensor x, double[] scales, int[] sizes, double[] roi, String transform) {
        String mode = n.attrString("mode", "nearest");
        Coefficients coeffs = coefficients(n, mode);
        boolean excludeOutside = n.attrInt("exclude_outside", 0) == 1;
        double extrapolation = n.attrFloat("extrapolation_value", 0);
        int rank = x.rank();
        Tensor y = Ops.cast(x, DType.FLOAT64);
        for (int a = 0; a < rank; a++) {
            int in = NnRules.knownDim(n, x, a);
            boolean fullRoi = roi == null || roi[a] == 0 && roi[a + rank] == 1;
            if (Math.abs(scales[a] - 1) < 1e-9 && sizes[a] == in && fullRoi) continue;
            double[] axisRoi = roi == null ? null : new double[] {roi[a], roi[a + rank]};
            double[][] w = new double[in][sizes[a]];
            boolean[] outside = new boolean[sizes[a]];
            weights(n, w, outside, coeffs, in, sizes[a], scales[a], axisRoi, transform, excludeOutside);
            y = alongAxis(y, a, Tensors.of(flatten(w), in, sizes[a]));
            if (axisRoi != null) y = extrapolate(y, a, outside, extrapolation);
        }
        if (x.dtype().isFloating()) return Ops.cast(y, x.dtype());
        double[] range = x.dtype() == DType.UINT8 ? new double[] {0, 255} : x.dtype() == DType.INT8
                ? new double[] {-128, 127} : new double[] {-Double.MAX_VALUE, Double.MAX_VALUE};
        return Ops.cast(Ops.clip(Ops.round(y), range[0], range[1]), x.dtype());
    }

    /** y with axis {@code a} replaced by its product with {@code w} (input positions x output positions). */
    private static Tensor alongAxis(Tensor y, int a, Tensor w) {
        int last = y.rank() - 1;
        int[] perm = new int[y.rank()];
        for (int i = 0; i <= last; i++) perm[i] = i;
        perm[a] = last;
        perm[last] = a;
        Tensor moved = a == last ? y : Ops.transpose(y, perm);
        Tensor z = Ops.matmul(moved, w);
        return a == last ? z : Ops.transpose(z, perm);
    }

    private static Tensor extrapolate(Tensor y, int a, boolean[] outside, double value) {
        int[] shape = new int[y.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[a] = outside.length;
        int[] mask = new int[outside.length];
        for (int i = 0; i < mask.length; i++) mask[i] = outside[i] ? 1 : 0;
        Tensor m = Ops.cast(Tensors.of(mask, outside.length), DType.BOOL);
        return Ops.where(Ops.reshape(m, shape), Ops.fill(Tensors.scalar(value), y.shape().dims()), y);
    }

    /** Fills {@code w[input][output]}; {@code outside[i]}: output i lies outside the input (tf_crop_and_resize). */
    private static void weights(OnnxNode n, double[][] w, boolean[] outside, Coefficients coeffs, int in, int out,
                                double scale, double[] roi, String transform, boolean excludeOutside) {
        double outWidth = scale * in;
        for (int i = 0; i < out; i++) {
            double x = original(n, transform, i, scale, in, outWidth, out, roi);
            if (roi != null && (x < 0 || x > in - 1)) outside[i] = true;
            double floor = Math.floor(x);
            double ratio = x == floor ? 1.0 : x - floor;
            double[] c = coeffs.of(ratio, scale);
            int k = c.length, pad = (k + 1) / 2;
            double padded = x + pad;
            double p = Math.floor(padded), frac = padded - p;
            int offset = k % 2 == 0 ? (frac == 0 ? -(k / 2) : -(k / 2) + 1)
                    : (frac <= 0.5 ? -((k - 1) / 2) : -((k - 1) / 2) + 1);
            long start = (long) p + offset - pad;
            if (excludeOutside) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    long idx = start + j;
                    if (idx < 0 || idx >= in) c[j] = 0;
                    sum += c[j];
                }
                if (sum == 0) sum = 1;
                for (int j = 0; j < k; j++) c[j] /= sum;
            }
            for (int j = 0; j < k; j++) {
                int idx = (int) Math.max(0, Math.min(in - 1, start + j));
                w[idx][i] += c[j];
            }
        }
    }

    /** The input coordinate of output position {@code i} under the coordinate transformation. */
    private static double original(OnnxNode n, String transform, int i, double scale, int in, double outWidth,
                                   int out, double[] roi) {
        return switch (transform) {
            case "align_corners" -> outWidth == 1 ? 0 : i * (in - 1) / (outWidth - 1);
            case "asymmetric" -> i / scale;
            case "tf_crop_and_resize" -> {
                if (roi == null) throw n.error("tf_crop_and_resize needs the roi input");
                double start = roi[0] * (in - 1);
                yield outWidth == 1 ? (roi[1] - roi[0]) * (in - 1) / 2 + start
                        : i * (roi[1] - roi[0]) * (in - 1) / (outWidth - 1) + start;
            }
            case "pytorch_half_pixel" -> outWidth == 1 ? -0.5 : (i + 0.5) / scale - 0.5;
            case "half_pixel" -> (i + 0.5) / scale - 0.5;
            case "half_pixel_symmetric" -> {
                double adjustment = out / outWidth, center = in / 2.0;
                yield center * (1 - adjustment) + (i + 0.5) / scale - 0.5;
            }
            case "tf_half_pixel_for_nn" -> (i + 0.5) / scale;
            default -> throw n.error("coordinate_transformation_mode '" + transform + "' is not an ONNX value");
        };
    }

    private static Coefficients coefficients(OnnxNode n, String mode) {
        boolean antialias = n.attrInt("antialias", 0) == 1;
        double a = n.attrFloat("cubic_coeff_a", -0.75);
        return switch (mode) {
            case "nearest" -> {
                if (antialias) throw n.error("antialias is not defined for mode 'nearest'");
                String rounding = n.opset() < 11 ? "floor" : n.attrString("nearest_mode", "round_prefer_floor");
                yield (r, s) -> nearest(n, r, rounding);
            }
            case "linear" -> antialias ? ResizeInterpolation::linearAntialias : (r, s) -> new double[] {1 - r, r};
            case "cubic" -> antialias ? (r, s) -> cubicAntialias(r, s, a) : (r, s) -> cubic(r, a);
            default -> throw n.error("mode '" + mode + "' is not an ONNX value");
        };
    }

    private static double[] nearest(OnnxNode n, double r, String rounding) {
        if (r == Math.rint(r)) return new double[] {0, 1};
        boolean up = switch (rounding) {
            case "round_prefer_floor" -> r > 0.5;
            case "round_prefer_ceil" -> r >= 0.5;
            case "floor" -> false;
            case "ceil" -> true;
            default -> throw n.error("nearest_mode '" + rounding + "' is not an ONNX value");
        };
        return up ? new double[] {0, 1} : new double[] {1, 0};
    }

    private static double[] cubic(double r, double a) {
        double p = r + 1, q = 1 - r, s = 2 - r;
        return new double[] {
            ((a * p - 5 * a) * p + 8 * a) * p - 4 * a,
            ((a + 2) * r - (a + 3)) * r * r + 1,
            ((a + 2) * q - (a + 3)) * q * q + 1,
            ((a * s - 5 * a) * s + 8 * a) * s - 4 * a,
        };
    }

    private static double[] linearAntialias(double r, double scale) {
        double s = Math.min(scale, 1.0);
        int start = (int) Math.floor(-1 / s) + 1, footprint = 2 - 2 * start;
        double[] c = new double[footprint];
        for (int i = 0; i < footprint; i++) c[i] = Math.max(0, Math.min(1, 1 - Math.abs((start + i - r) * s)));
        return normalized(c);
    }

    private static double[] cubicAntialias(double r, double scale, double a) {
        double s = Math.min(scale, 1.0);
        int start = (int) Math.floor(-2 / s) + 1, end = 2 - start;
        double[] c = new double[end - start];
        for (int i = start; i < end; i++) {
            double x = Math.abs(s * (i - r)), x2 = x * x, x3 = x2 * x;
            c[i - start] = x <= 1 ? (a + 2) * x3 - (a + 3) * x2 + 1
                    : x < 2 ? a * x3 - 5 * a * x2 + 8 * a * x - 4 * a : 0;
        }
        return normalized(c);
    }

    private static double[] normalized(double[] c) {
        double sum = 0;
        for (double v : c) sum += v;
        for (int i = 0; i < c.length; i++) c[i] /= sum;
        return c;
    }

    private static double[] flatten(double[][] w) {
        int rows = w.length, cols = rows == 0 ? 0 : w[0].length;
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) System.arraycopy(w[i], 0, out, i * cols, cols);
        return out;
    }
}
