package org.nabla.onnx;

import java.util.Arrays;
import java.util.List;
import org.nabla.Ops;
import org.nabla.PoolOptions;
import org.nabla.Tensor;

/** ONNX MaxPool and AveragePool onto Nabla's pooling ops, with ONNX's padding rules. */
final class Pooling {
    private Pooling() {}

    /** MaxPool (values, and the argmax indices when the node asks for them) or AveragePool. */
    static List<Tensor> pool(OnnxNode n, boolean max) {
        return pool(n, n.required(0), max, n.attrInt("count_include_pad", 0) == 1);
    }

    /** Pools {@code x} with the node's attributes (LpPool sums |x|^p as a mean that counts the padding). */
    static List<Tensor> pool(OnnxNode n, Tensor x, boolean max, boolean countIncludePad) {
        int[] k = n.attrInts("kernel_shape", null);
        if (k == null) throw n.error("needs kernel_shape");
        if (x.rank() != k.length + 2) {
            throw n.error("kernel_shape " + Arrays.toString(k) + " does not fit input of rank " + x.rank());
        }
        boolean indices = max && n.wantsOutput(1);
        if (!indices && fastPathApplies(n, x, max, countIncludePad)) return List.of(pool2d(n, x, k, max));
        PoolOptions o = PoolOptions.of(k)
                .strides(n.attrInts("strides", new int[0]))
                .dilations(n.attrInts("dilations", new int[0]))
                .pads(n.attrInts("pads", new int[0]))
                .ceilMode(n.attrInt("ceil_mode", 0) == 1)
                .countIncludePad(countIncludePad)
                .storageOrder((int) n.attrInt("storage_order", 0));
        o = switch (n.attrString("auto_pad", "NOTSET")) {
            case "NOTSET" -> o;
            case "SAME_UPPER" -> o.padding("SAME");
            case "SAME_LOWER" -> o.padding("SAME_LOWER");
            case "VALID" -> o.padding("VALID");
            default -> throw n.error("auto_pad '" + n.attrString("auto_pad", "") + "' is not an ONNX value");
        };
        if (indices) return List.of(Ops.maxPoolWithIndices(x, o));
        return List.of(max ? Ops.maxPool(x, o) : Ops.avgPool(x, o));
    }

    /**
     * The common 2-D case (floating point, floor mode, no dilation, padding that pooling over a padded copy gets
     * right) runs on Nabla's NCHW maxPool2d/avgPool2d, which are faster than the general N-d pooling.
     */
    private static boolean fastPathApplies(OnnxNode n, Tensor x, boolean max, boolean countIncludePad) {
        if (x.rank() != 4 || !x.dtype().isFloating() || n.attrInt("ceil_mode", 0) != 0) return false;
        int[] dil = n.attrInts("dilations", new int[] {1, 1});
        if (dil[0] != 1 || dil[1] != 1) return false;
        if (!n.attrString("auto_pad", "NOTSET").equals("NOTSET")) return false;
        boolean padded = Arrays.stream(n.attrInts("pads", new int[4])).anyMatch(p -> p != 0);
        return !padded || max || countIncludePad;
    }

    private static Tensor pool2d(OnnxNode n, Tensor x, int[] k, boolean max) {
        int[] strides = n.attrInts("strides", new int[] {1, 1});
        int[] pads = n.attrInts("pads", new int[4]);
        if (Arrays.stream(pads).anyMatch(p -> p != 0)) {
            int[][] p = {{0, 0}, {0, 0}, {pads[0], pads[2]}, {pads[1], pads[3]}};
            x = Ops.pad(x, p, "CONSTANT", max ? Double.NEGATIVE_INFINITY : 0);
        }
        return max ? Ops.maxPool2d(x, k, strides, "VALID", "NCHW") : Ops.avgPool2d(x, k, strides, "VALID", "NCHW");
    }

    /**
     * Explicit pads (begins then ends) for SAME_UPPER/SAME_LOWER: the output has ceil(in / stride) positions; the
     * odd padding element goes at the end for SAME_UPPER, at the beginning for SAME_LOWER.
     */
    static int[] samePads(int[] inputDims, int[] kernel, int[] strides, int[] dilations, boolean upper, OnnxNode n) {
        int spatial = kernel.length;
        int[] pads = new int[2 * spatial];
        for (int i = 0; i < spatial; i++) {
            int in = inputDims[inputDims.length - spatial + i];
            if (in < 0) throw n.unsupported("SAME padding on a spatial dimension of unknown size");
            int out = (in + strides[i] - 1) / strides[i];
            int extent = (kernel[i] - 1) * dilations[i] + 1;
            int total = Math.max(0, (out - 1) * strides[i] + extent - in);
            int small = total / 2, big = total - small;
            pads[i] = upper ? small : big;
            pads[i + spatial] = upper ? big : small;
        }
        return pads;
    }
}
