package org.nabla.onnx;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * ONNX's DFT on float tensors: complex values are ONNX's pairs (a trailing dimension of 2: real, imaginary; 1 for
 * real input), so no complex dtype is needed. The transform along the signal axis is two matrix products with the
 * cosine and sine tables of the transform length (computed at import in float64, the length known then, and used in
 * the input's precision like every other float32 or float64 product): forward
 * e^(-2 pi i k n / N), inverse e^(+2 pi i k n / N) / N, onesided keeping k = 0 .. N/2.
 */
final class SpectralRules {
    private SpectralRules() {}

    static void register(OnnxOperators r) {
        r.one("DFT", SpectralRules::dft);
        r.one("STFT", SpectralRules::stft);
        r.one("MelWeightMatrix", MelWeightMatrix::apply);
    }

    private static Tensor dft(OnnxNode n) {
        Tensor x = n.required(0);
        int rank = x.rank();
        int parts = NnRules.knownDim(n, x, rank - 1);
        if (parts != 1 && parts != 2) throw n.error("the last dimension must be 1 (real) or 2 (complex), got "
                + x.shape());
        long axisValue = n.opset() < 20 ? n.attrInt("axis", 1) : n.in(2) == null ? -2 : n.constant(2).longValue();
        int axis = (int) (axisValue < 0 ? axisValue + rank : axisValue);
        if (axis < 0 || axis >= rank - 1) throw n.error("axis " + axisValue + " is not a signal axis of " + x.shape());
        boolean inverse = n.attrInt("inverse", 0) == 1, onesided = n.attrInt("onesided", 0) == 1;
        if (inverse && onesided) throw n.error("inverse and onesided cannot both be set");
        int length = NnRules.knownDim(n, x, axis);
        int size = n.in(1) == null || n.constant(1).size() == 0 ? length : (int) n.constant(1).longValue();
        if (size <= 0) throw n.error("dft_length must be positive, got " + size);
        if (!x.dtype().isFloating()) throw n.error("input must be float or double, got " + x.dtype());
        return transform(x, axis, length, size, inverse, onesided);
    }

    /**
     * ONNX's STFT (opset 17): signal [batch, length, 1 or 2], a constant frame_step, an optional window
     * [frame_length] and an optional constant frame_length; frames f*step .. f*step + frame_length - 1 (as many as fit
     * whole), each multiplied by the window, then DFT'd along the frame: [batch, frames, bins, 2] (bins = frame_length
     * / 2 + 1 when onesided, the default).
     */
    private static Tensor stft(OnnxNode n) {
        Tensor x = n.required(0);
        if (x.rank() != 3) throw n.error("signal must be [batch, length, 1 or 2], got " + x.shape());
        int parts = NnRules.knownDim(n, x, 2), length = NnRules.knownDim(n, x, 1);
        if (parts != 1 && parts != 2) throw n.error("the last dimension must be 1 (real) or 2 (complex), got "
                + x.shape());
        if (!x.dtype().isFloating()) throw n.error("signal must be float or double, got " + x.dtype());
        long step = n.constant(1).longValue();
        Tensor window = n.in(2);
        long frame = n.in(3) != null ? n.constant(3).longValue()
                : window != null ? NnRules.knownDim(n, window, 0) : -1;
        if (frame <= 0) throw n.error("needs a window or a frame_length (a positive length), got " + frame);
        if (step <= 0) throw n.error("frame_step must be positive, got " + step);
        if (window != null && (window.rank() != 1 || NnRules.knownDim(n, window, 0) != frame)) {
            throw n.error("window must be [frame_length] = [" + frame + "], got " + window.shape());
        }
        boolean onesided = n.attrInt("onesided", 1) == 1;
        if (onesided && parts == 2) throw n.error("onesided needs a real signal (last dimension 1)");
        if (frame > length) throw n.error("frame_length " + frame + " is longer than the signal " + length);
        int frames = (int) ((length - frame) / step + 1), f = (int) frame;
        long[] index = new long[frames * f];
        for (int i = 0; i < frames; i++) for (int j = 0; j < f; j++) index[i * f + j] = i * step + j;
        Tensor framed = Ops.gather(x, Tensor.wrap(org.nabla.DType.INT64, org.nabla.Shape.of(frames, f), index), 1);
        if (window != null) framed = Ops.mul(framed, Ops.reshape(Ops.cast(window, x.dtype()), 1, 1, f, 1));
        return transform(framed, 2, f, f, false, onesided);   // [batch, frames, frame, parts] -> bins along axis 2
    }

    /**
     * The DFT of {@code x} ([..., parts], parts 1 or 2) along {@code axis} of {@code length} samples, cropped or
     * zero-padded to {@code size}: [..., bins, ..., 2].
     */
    private static Tensor transform(Tensor x, int axis, int length, int size, boolean inverse, boolean onesided) {
        int rank = x.rank();
        int parts = x.shape().dim(rank - 1);
        Tensor v = x;
        if (size != length) { // zero-pad or truncate the signal to the transform length
            int[] begin = new int[rank], sz = new int[rank];
            java.util.Arrays.fill(sz, -1);
            sz[axis] = Math.min(size, length);
            v = Ops.slice(v, begin, sz);
            if (size > length) {
                int[][] pads = new int[rank][2];
                pads[axis][1] = size - length;
                v = Ops.pad(v, pads);
            }
        }
        Tensor re, im = null;
        if (parts == 2) {
            Tensor[] pair = Ops.split(v, 2, rank - 1);
            re = Ops.squeeze(pair[0], rank - 1);
            im = Ops.squeeze(pair[1], rank - 1);
        } else {
            re = Ops.squeeze(v, rank - 1);
        }
        int outLen = onesided ? size / 2 + 1 : size;
        double[] cos = new double[size * outLen], sin = new double[size * outLen];
        double sign = inverse ? 1 : -1, scale = inverse ? 1.0 / size : 1;
        for (int t = 0; t < size; t++) {
            for (int k = 0; k < outLen; k++) {
                double angle = 2 * Math.PI * ((long) k * t % size) / size;
                cos[t * outLen + k] = Math.cos(angle) * scale;
                sin[t * outLen + k] = sign * Math.sin(angle) * scale;
            }
        }
        Tensor c = Ops.cast(Tensors.of(cos, size, outLen), x.dtype());
        Tensor s = Ops.cast(Tensors.of(sin, size, outLen), x.dtype());
        // (re + i im)(cos + i sin) = re cos - im sin + i (re sin + im cos)
        Tensor outRe = along(re, axis, c), outIm = along(re, axis, s);
        if (im != null) {
            outRe = Ops.sub(outRe, along(im, axis, s));
            outIm = Ops.add(outIm, along(im, axis, c));
        }
        return Ops.stack(rank - 1, outRe, outIm);
    }

    /** x with {@code axis} replaced by its product with matrix m (old length x new length). */
    private static Tensor along(Tensor x, int axis, Tensor m) {
        int last = x.rank() - 1;
        if (axis == last) return Ops.matmul(x, m);
        int[] perm = new int[x.rank()];
        for (int i = 0; i <= last; i++) perm[i] = i;
        perm[axis] = last;
        perm[last] = axis;
        return Ops.transpose(Ops.matmul(Ops.transpose(x, perm), m), perm);
    }
}
