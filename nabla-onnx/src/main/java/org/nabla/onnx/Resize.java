package org.nabla.onnx;

import java.util.Arrays;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * ONNX Resize and Upsample. Mode "nearest" by integer factors, where nearest-neighbour sampling repeats every element
 * f times along an axis (expand, tile, merge), runs as that repetition when the node's coordinate transformation and
 * rounding really repeat elements (checked by evaluating them: half_pixel with round_prefer_floor does, half_pixel
 * with floor does not); that path keeps unknown dimensions. Everything else (linear, cubic, other factors and
 * transformations) is {@link ResizeInterpolation}, which needs the sizes known at import time.
 */
final class Resize {
    private Resize() {}

    static Tensor resize(OnnxNode n) {
        Tensor x = n.required(0);
        double[] scales;
        long[] sizes = null;
        if (n.opset() < 11) {
            scales = n.constant(1).toDoubleArray();
        } else {
            Tensor s = n.in(2) == null ? null : n.constant(2);
            if (n.in(3) != null && s != null && s.size() > 0) throw n.error("has both scales and sizes");
            if (s != null && s.size() > 0) {
                scales = s.toDoubleArray();
            } else if (n.in(3) != null) {
                sizes = n.constant(3).toLongArray();
                scales = fromSizes(n, x, sizes);
            } else {
                throw n.error("needs scales or sizes");
            }
        }
        scales = onAllAxes(n, x, scales);
        // Opset 10 knows only the asymmetric transformation; ONNX Runtime floors its coordinates, as Upsample does.
        String transform = n.opset() < 11 ? "asymmetric"
                : n.attrString("coordinate_transformation_mode", "half_pixel");
        String rounding = n.opset() < 11 ? "floor" : n.attrString("nearest_mode", "round_prefer_floor");
        int[] factors = n.attrString("mode", "nearest").equals("nearest")
                ? repeatFactors(n, scales, transform, rounding) : null;
        if (factors != null) return repeat(n, x, factors);
        double[] roi = transform.equals("tf_crop_and_resize") ? roi(n, x) : null;
        return ResizeInterpolation.resize(n, x, scales, outputSizes(n, x, scales, sizes), roi, transform);
    }

    /** Upsample (opset 7 to 9): asymmetric coordinates, scales as an attribute before opset 9. */
    static Tensor upsample(OnnxNode n) {
        Tensor x = n.required(0);
        double[] scales;
        if (n.opset() < 9) {
            float[] f = n.attrFloats("scales", null);
            if (f == null) throw n.error("needs the scales attribute");
            scales = new double[f.length];
            for (int i = 0; i < f.length; i++) scales[i] = f[i];
        } else {
            scales = n.constant(1).toDoubleArray();
        }
        if (scales.length != x.rank()) throw n.error("has " + scales.length + " scales for rank " + x.rank());
        int[] factors = n.attrString("mode", "nearest").equals("nearest")
                ? repeatFactors(n, scales, "asymmetric", "floor") : null;
        if (factors != null) return repeat(n, x, factors);
        return ResizeInterpolation.resize(n, x, scales, outputSizes(n, x, scales, null), null, "asymmetric");
    }

    /**
     * The output size of every axis: the sizes given (on the axes attribute's axes), rounded half up from the one
     * scale a keep_aspect_ratio_policy picked, or floor(scale * dim).
     */
    private static int[] outputSizes(OnnxNode n, Tensor x, double[] scales, long[] sizes) {
        int rank = x.rank();
        int[] out = new int[rank];
        for (int a = 0; a < rank; a++) out[a] = NnRules.knownDim(n, x, a);
        if (sizes == null) {
            for (int a = 0; a < rank; a++) out[a] = (int) Math.floor(scales[a] * out[a]);
            return out;
        }
        int[] axes = axes(n, x, sizes.length);
        boolean stretch = n.attrString("keep_aspect_ratio_policy", "stretch").equals("stretch");
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i];
            out[a] = stretch ? (int) sizes[i] : (int) (scales[a] * out[a] + 0.5);
        }
        return out;
    }

    /** The roi input (starts then ends, for the axes attribute's axes) over every axis. */
    private static double[] roi(OnnxNode n, Tensor x) {
        int rank = x.rank();
        double[] all = new double[2 * rank];
        for (int a = 0; a < rank; a++) all[rank + a] = 1;
        if (n.in(1) == null) return all;
        double[] given = n.constant(1).toDoubleArray();
        if (given.length == 0) return all;
        int[] axes = axes(n, x, given.length / 2);
        for (int i = 0; i < axes.length; i++) {
            all[axes[i]] = given[i];
            all[rank + axes[i]] = given[axes.length + i];
        }
        return all;
    }

    /** Scales of the target sizes, with keep_aspect_ratio_policy (opset 18) choosing one scale for all axes. */
    private static double[] fromSizes(OnnxNode n, Tensor x, long[] sizes) {
        int[] axes = axes(n, x, sizes.length);
        double[] s = new double[sizes.length];
        for (int i = 0; i < s.length; i++) s[i] = (double) sizes[i] / NnRules.knownDim(n, x, axes[i]);
        String policy = n.attrString("keep_aspect_ratio_policy", "stretch");
        if (policy.equals("stretch")) return s;
        double one = policy.equals("not_larger") ? Arrays.stream(s).min().orElse(1)
                : policy.equals("not_smaller") ? Arrays.stream(s).max().orElse(1) : Double.NaN;
        if (Double.isNaN(one)) throw n.error("keep_aspect_ratio_policy '" + policy + "' is not an ONNX value");
        Arrays.fill(s, one);
        return s;
    }

    /** The scales for every axis of x: given for all, or for the axes attribute's axes (opset 18) and 1 elsewhere. */
    private static double[] onAllAxes(OnnxNode n, Tensor x, double[] scales) {
        int[] axes = axes(n, x, scales.length);
        double[] all = new double[x.rank()];
        Arrays.fill(all, 1);
        for (int i = 0; i < axes.length; i++) all[axes[i]] = scales[i];
        return all;
    }

    private static int[] axes(OnnxNode n, Tensor x, int count) {
        int[] axes = n.attrInts("axes", null);
        if (axes == null) {
            if (count != x.rank()) throw n.error("has " + count + " scales or sizes for rank " + x.rank());
            axes = new int[count];
            for (int i = 0; i < count; i++) axes[i] = i;
        }
        if (axes.length != count) throw n.error("has " + count + " scales or sizes for " + axes.length + " axes");
        return Arrays.stream(axes).map(a -> a < 0 ? a + x.rank() : a).toArray();
    }

    /** Each scale as an integer factor that repeats elements, or null when some scale does not. */
    private static int[] repeatFactors(OnnxNode n, double[] scales, String transform, String rounding) {
        int[] f = new int[scales.length];
        for (int i = 0; i < f.length; i++) {
            double s = scales[i];
            if (s < 1 || s != Math.rint(s)) return null;
            f[i] = (int) s;
            if (f[i] > 1 && !repeatsElements(n, f[i], transform, rounding)) return null;
        }
        return f;
    }

    /**
     * Whether output element {@code i * f + r} samples input element {@code i} for every r. The transformations
     * accepted are {@code x / f + c}, so checking input element 1 of 3 covers every element (edge clamping only maps
     * onto the same element).
     */
    private static boolean repeatsElements(OnnxNode n, int f, String transform, String rounding) {
        for (int r = 0; r < f; r++) {
            double x = f + r;
            double original = switch (transform) {
                case "half_pixel", "pytorch_half_pixel", "half_pixel_symmetric" -> (x + 0.5) / f - 0.5;
                case "asymmetric" -> x / f;
                case "tf_half_pixel_for_nn" -> (x + 0.5) / f;
                case "align_corners", "tf_crop_and_resize" -> Double.NaN; // depend on the lengths or the roi
                default -> throw n.error("coordinate_transformation_mode '" + transform + "' is not an ONNX value");
            };
            double nearest = switch (rounding) {
                case "round_prefer_floor" -> Math.ceil(original - 0.5);
                case "round_prefer_ceil" -> Math.floor(original + 0.5);
                case "floor" -> Math.floor(original);
                case "ceil" -> Math.ceil(original);
                default -> throw n.error("nearest_mode '" + rounding + "' is not an ONNX value");
            };
            if (nearest != 1) return false;
        }
        return true;
    }

    /** x with element repeated {@code f[a]} times along each axis a. */
    private static Tensor repeat(OnnxNode n, Tensor x, int[] f) {
        if (Arrays.stream(f).allMatch(v -> v == 1)) return Ops.identity(x);
        int rank = x.rank();
        int[] dims = x.shape().dims();
        Tensor y = x;
        for (int a = rank - 1; a >= 0; a--) if (f[a] > 1) y = Ops.expandDims(y, a + 1);
        int[] multiples = new int[y.rank()];
        int[] target = new int[rank];
        int at = 0;
        for (int a = 0; a < rank; a++) {
            multiples[at++] = 1;
            if (f[a] > 1) multiples[at++] = f[a];
            target[a] = dims[a] < 0 ? -1 : dims[a] * f[a];
        }
        y = Ops.tile(y, multiples);
        if (Arrays.stream(target).filter(d -> d < 0).count() > 1) {
            throw n.unsupported("resizing a tensor with more than one unknown dimension " + x.shape());
        }
        return Ops.reshape(y, target);
    }
}
