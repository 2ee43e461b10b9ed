package org.nabla.onnx;

import java.util.Arrays;
import org.nabla.Ops;
import org.nabla.Tensor;

/** ONNX MaxPool and AveragePool onto Nabla's pooling ops, with ONNX's padding rules. */
final class Pooling {
    private Pooling() {}

    static Tensor pool(OnnxNode n, boolean max) {
        Tensor x = n.required(0);
        if (x.rank() != 4) throw n.unsupported("pooling with " + (x.rank() - 2) + " spatial dims");
        if (!x.dtype().isFloating()) throw n.unsupported("pooling of " + x.dtype() + " values");
        if (n.attrInt("ceil_mode", 0) != 0) throw n.unsupported("ceil_mode=1");
        if (n.wantsOutput(1)) throw n.unsupported("MaxPool indices output");
        int[] k = n.attrInts("kernel_shape", null);
        if (k == null) throw n.error("needs kernel_shape");
        int[] strides = n.attrInts("strides", new int[] {1, 1});
        int[] dil = n.attrInts("dilations", new int[] {1, 1});
        if (dil[0] != 1 || dil[1] != 1) throw n.unsupported("pooling dilations " + Arrays.toString(dil));
        int[] pads = n.attrInts("pads", new int[4]);
        String autoPad = n.attrString("auto_pad", "NOTSET");
        if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
            pads = samePads(x.shape().dims(), k, strides, dil, autoPad.equals("SAME_UPPER"), n);
        } else if (autoPad.equals("VALID")) {
            pads = new int[4];
        }
        boolean padded = Arrays.stream(pads).anyMatch(p -> p != 0);
        if (padded) {
            if (!max && n.attrInt("count_include_pad", 0) == 0) {
                throw n.unsupported("average pooling over padding that does not count it (count_include_pad=0)");
            }
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
