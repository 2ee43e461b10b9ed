package org.nabla.nn.layers;

import org.nabla.Conv2dOptions;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * The geometry and computation of Keras' transposed convolutions (shared by {@link Conv2DTranspose} and
 * {@link Conv1DTranspose}), as the gradient of a forward convolution ({@code Conv2DBackpropInput}, NHWC). Along one
 * axis Keras (JAX backend) dilates the input by the stride, pads it {@code left} and {@code right} and correlates it
 * with the flipped kernel; that equals the backprop of a convolution of the output with padding
 * {@code (span - 1 - left, span - 1 - right)}, where span is the dilated kernel size. A negative end padding (output
 * padding beyond what the input reaches) becomes zeros appended after the backprop.
 */
final class TransposedConv {
    private TransposedConv() {}

    /** One axis: the output length and the forward convolution's padding before and after (after may be negative). */
    record Axis(int out, int before, int after) {
        static Axis of(int in, int kernel, int stride, int dilation, boolean same, int outputPadding) {
            int span = (kernel - 1) * dilation + 1;
            int left, right;
            if (!same) {
                int op = outputPadding >= 0 ? outputPadding : Math.max(span, stride) - span;
                left = span - 1;
                right = span - 1 + op;
            } else {
                int padLen = outputPadding >= 0 ? span + span % 2 - 2 + outputPadding : stride + span - 2;
                left = Math.min(padLen / 2 + padLen % 2, span - 1);
                right = padLen - left;
            }
            int out = in < 0 ? -1 : (in - 1) * stride + 1 + left + right - span + 1;
            return new Axis(out, span - 1 - left, span - 1 - right);
        }
    }

    /**
     * The transposed convolution of NHWC {@code x} by {@code kernel} [kh, kw, filters, in] (Keras' layout: the
     * forward convolution's HWIO filter) along the two axes.
     */
    static Tensor apply(Tensor x, Tensor kernel, Axis h, Axis w, int[] strides, int[] dilations) {
        int filters = kernel.shape().dim(2);
        int coreH = h.out() + Math.min(h.after(), 0), coreW = w.out() + Math.min(w.after(), 0);
        Conv2dOptions o = Conv2dOptions.defaults().strides(strides[0], strides[1])
                .dilations(dilations[0], dilations[1])
                .explicitPaddings(h.before(), Math.max(h.after(), 0), w.before(), Math.max(w.after(), 0));
        Tensor y = Ops.conv2dBackpropInput(shapedLike(x, coreH, coreW, filters), kernel, x, o);
        if (h.after() < 0 || w.after() < 0) {
            y = Ops.pad(y, new int[][] {{0, 0}, {0, -Math.min(h.after(), 0)}, {0, -Math.min(w.after(), 0)}, {0, 0}},
                    "CONSTANT", 0);
        }
        return y;
    }

    /**
     * A tensor [N, h, w, c] with x's batch size, known or not (the backprop reads only its shape): zeros when the batch
     * is known, else a zeroed slice of x broadcast against zeros, which keeps the batch symbolic in a traced graph.
     */
    private static Tensor shapedLike(Tensor x, int h, int w, int c) {
        Shape s = x.shape();
        if (s.dim(0) >= 0) return Ops.zeros(x.dtype(), s.dim(0), h, w, c);
        Tensor column = Ops.mul(Ops.slice(x, new int[] {0, 0, 0, 0}, new int[] {-1, 1, 1, 1}), 0);
        return Ops.add(column, Ops.zeros(x.dtype(), 1, h, w, c));
    }
}
