package org.nabla.onnx;

import java.util.Arrays;
import org.nabla.Conv2dOptions;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * ONNX ConvTranspose (1-D and 2-D, NCHW; 3-D and more go to {@link ColumnScatter}) as the adjoint of a
 * convolution: {@code Conv2DBackpropInput} of the convolution that maps the output back onto the input. Along each spatial axis the "full" transposed convolution has
 * {@code stride * (in - 1) + (kernel - 1) * dilation + 1} positions; the output is the window of it that starts at the
 * begin padding and has the output size (positions beyond the full range, from output_padding or a large
 * output_shape, are 0 before the bias).
 */
final class ConvTranspose {
    private ConvTranspose() {}

    static Tensor apply(OnnxNode n) {
        Tensor x = n.required(0), w = n.required(1);
        if (x.rank() == 3) return Ops.squeeze(apply2d(n, Ops.expandDims(x, 2), Ops.expandDims(w, 2), true), 2);
        if (x.rank() > 4) return ColumnScatter.convTranspose(n, x, w);
        if (x.rank() != 4) throw n.error("ConvTranspose needs an input of rank 3 or more, got " + x.shape());
        return apply2d(n, x, w, false);
    }

    private static Tensor apply2d(OnnxNode n, Tensor x, Tensor w, boolean from1d) {
        int group = (int) n.attrInt("group", 1);
        int cIn = NnRules.knownDim(n, x, 1), cOut = NnRules.knownDim(n, w, 1) * group;
        if (w.shape().dim(0) != cIn) {
            throw n.error("weight " + w.shape() + " must have the input's " + cIn + " channels first (input "
                    + x.shape() + ")");
        }
        int[] in = {NnRules.knownDim(n, x, 2), NnRules.knownDim(n, x, 3)};
        int[] kernel = {NnRules.knownDim(n, w, 2), NnRules.knownDim(n, w, 3)};
        int[] strides = widen(n.attrInts("strides", null), from1d, 1);
        int[] dil = widen(n.attrInts("dilations", null), from1d, 1);
        int[] outPad = widen(n.attrInts("output_padding", null), from1d, 0);
        int[] begin = new int[2], out = new int[2];
        int[] full = new int[2];
        for (int i = 0; i < 2; i++) full[i] = strides[i] * (in[i] - 1) + (kernel[i] - 1) * dil[i] + 1;
        placeOutput(n, from1d, in, strides, outPad, full, begin, out);

        // The part of the output inside the full range comes from the backprop; the rest is zeros around it.
        int[] lo = new int[2], hi = new int[2], core = new int[2];
        for (int i = 0; i < 2; i++) {
            lo[i] = Math.max(begin[i], 0);
            hi[i] = Math.min(begin[i] + out[i], full[i]);
            core[i] = hi[i] - lo[i];
            if (core[i] <= 0) throw n.unsupported("output window " + Arrays.toString(out) + " misses every position "
                    + "the input reaches");
        }
        Conv2dOptions o = Conv2dOptions.defaults().strides(strides[0], strides[1]).dilations(dil[0], dil[1])
                .groups(group).dataFormat("NCHW")
                .explicitPaddings(lo[0], full[0] - hi[0], lo[1], full[1] - hi[1]);
        Tensor filter = Ops.transpose(w, 2, 3, 1, 0); // (C_in, C_out/group, kH, kW) -> (kH, kW, C_out/group, C_in)
        Tensor y = Ops.conv2dBackpropInput(shapedLike(x, cOut, core), filter, x, o);
        int[][] zeros = {{0, 0}, {0, 0}, {lo[0] - begin[0], begin[0] + out[0] - hi[0]},
                {lo[1] - begin[1], begin[1] + out[1] - hi[1]}};
        if (Arrays.stream(zeros).flatMapToInt(Arrays::stream).anyMatch(p -> p != 0)) {
            y = Ops.pad(y, zeros, "CONSTANT", 0);
        }
        return n.in(2) == null ? y : Ops.biasAdd(y, n.in(2), "NCHW");
    }

    /**
     * Where the output window starts in the full range ({@code begin}, may be negative) and its size, from explicit
     * pads, output_shape or auto_pad, following the formulas of the ONNX operator.
     */
    private static void placeOutput(OnnxNode n, boolean from1d, int[] in, int[] strides, int[] outPad, int[] full,
                                    int[] begin, int[] out) {
        String autoPad = n.attrString("auto_pad", "NOTSET");
        int[] outputShape = n.attrInts("output_shape", null);
        if (outputShape != null) {
            if (outputShape.length > (from1d ? 1 : 2)) { // the full N, C, H, W form of early exporters
                outputShape = Arrays.copyOfRange(outputShape, outputShape.length - (from1d ? 1 : 2),
                        outputShape.length);
            }
            outputShape = widen(outputShape, from1d, 1);
        } else if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
            outputShape = new int[] {in[0] * strides[0], in[1] * strides[1]};
        }
        if (outputShape != null) {
            for (int i = 0; i < 2; i++) {
                int total = full[i] + outPad[i] - outputShape[i];
                int half = Math.floorDiv(total, 2);
                begin[i] = autoPad.equals("SAME_UPPER") ? half : total - half;
                out[i] = outputShape[i];
            }
            return;
        }
        int[] pads = n.attrInts("pads", null);
        if (autoPad.equals("VALID") || pads == null) pads = new int[4];
        else if (from1d) pads = new int[] {0, pads[0], 0, pads[1]};
        else if (pads.length != 4) throw n.error("pads " + Arrays.toString(pads) + " must have 4 values");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw n.error("auto_pad '" + autoPad + "' is not an ONNX value");
        }
        for (int i = 0; i < 2; i++) {
            begin[i] = pads[i];
            out[i] = full[i] + outPad[i] - pads[i] - pads[i + 2];
        }
    }

    /**
     * A tensor of shape (N, channels, h, w) with the batch size of {@code x}, known or not: the backprop reads only its
     * shape. Broadcasting a slice of x against zeros keeps the batch size symbolic when it is.
     */
    private static Tensor shapedLike(Tensor x, int channels, int[] hw) {
        Shape s = x.shape();
        if (s.dim(0) >= 0) return Ops.zeros(x.dtype(), s.dim(0), channels, hw[0], hw[1]);
        Tensor column = Ops.mul(Ops.slice(x, new int[] {0, 0, 0, 0}, new int[] {-1, 1, 1, 1}), 0);
        return Ops.add(column, Ops.zeros(x.dtype(), 1, channels, hw[0], hw[1]));
    }

    /**
     * A per-spatial-dim attribute, {@code dflt} on both axes when absent, widened from 1-D to 2-D when a 1-D op runs
     * as a 2-D one over a height of 1 (the height entry is {@code dflt} too: 1 for strides, 0 for output_padding).
     */
    private static int[] widen(int[] v, boolean from1d, int dflt) {
        if (v == null) return new int[] {dflt, dflt};
        return from1d && v.length == 1 ? new int[] {dflt, v[0]} : v;
    }
}
