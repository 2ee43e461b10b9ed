package org.nabla;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Ops#conv3d}: a 3-D convolution composed of 2-D ones, so it needs no kernels of its own and its gradients come
 * from the ops it uses. For every output frame, the input frames its kd depth taps read are gathered (strided slices
 * of the input, one per tap); with one group they are stacked along the channels, ordered (tap, channel) as the
 * filter is reshaped, and one Conv2D over all output frames (folded into the batch) does the work; with several groups
 * each tap is convolved on its own and the results summed.
 */
final class Conv3d {
    private Conv3d() {}

    static Tensor apply(Tensor x, Tensor filter, int[] strides, String padding, int[] dilations, int groups) {
        String op = "conv3d";
        if (x.rank() != 5 || filter.rank() != 5) {
            throw new IllegalArgumentException(op + ": input must be NDHWC [N, D, H, W, C] and filter [KD, KH, KW, "
                    + "C/groups, OUT], got " + x.shape() + " and " + filter.shape());
        }
        if (strides.length != 3 || dilations.length != 3 || Arrays.stream(strides).anyMatch(v -> v < 1)
                || Arrays.stream(dilations).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException(op + ": strides and dilations must be 3 positive ints (depth, height, "
                    + "width), got " + Arrays.toString(strides) + " and " + Arrays.toString(dilations));
        }
        if (!padding.equals("SAME") && !padding.equals("VALID")) {
            throw new IllegalArgumentException(op + ": padding must be \"SAME\" or \"VALID\", got \"" + padding + "\"");
        }
        Shape s = x.shape(), f = filter.shape();
        int depth = s.dim(1), h = s.dim(2), w = s.dim(3), c = s.dim(4);
        if (depth < 0 || h < 0 || w < 0 || c < 0) {
            throw new IllegalArgumentException(op + ": depth, height, width and channels must be known, got " + s);
        }
        int kd = f.dim(0), out = f.dim(4);
        if (groups < 1 || c % groups != 0 || out % groups != 0 || f.dim(3) * groups != c) {
            throw new IllegalArgumentException(op + ": input " + s + " and filter " + f + " do not fit groups " + groups
                    + " (filter channels must be C/groups; C and OUT divisible by groups)");
        }
        int span = (kd - 1) * dilations[0] + 1;
        int outD;
        if (padding.equals("SAME")) { // TensorFlow's SAME along depth; height and width are Conv2D's own SAME
            outD = (depth + strides[0] - 1) / strides[0];
            int total = Math.max((outD - 1) * strides[0] + span - depth, 0);
            x = Ops.pad(x, new int[][] {{0, 0}, {total / 2, total - total / 2}, {0, 0}, {0, 0}, {0, 0}});
        } else {
            if (depth < span) {
                throw new IllegalArgumentException(op + ": VALID padding: depth " + depth + " is smaller than the "
                        + "effective window " + span);
            }
            outD = (depth - span) / strides[0] + 1;
        }
        List<Tensor> frames = new ArrayList<>(); // frames[t]: every output frame's input frame at tap t
        for (int t = 0; t < kd; t++) {
            int begin = t * dilations[0];
            frames.add(Ops.stridedSlice(x, new int[] {0, begin, 0, 0, 0},
                    new int[] {0, begin + (outD - 1) * strides[0] + 1, 0, 0, 0}, new int[] {1, strides[0], 1, 1, 1},
                    0b11101, 0b11101, 0, 0, 0));
        }
        Conv2dOptions o = Conv2dOptions.defaults().strides(strides[1], strides[2]).padding(padding)
                .dilations(dilations[1], dilations[2]).groups(groups);
        Tensor y;
        if (groups == 1) {
            Tensor stacked = Ops.reshape(Ops.concat(frames, 4), -1, h, w, kd * c);
            Tensor filter2d = Ops.reshape(Ops.transpose(filter, 1, 2, 0, 3, 4), f.dim(1), f.dim(2), kd * c, out);
            y = Ops.conv2d(stacked, filter2d, o);
        } else {
            y = null;
            for (int t = 0; t < kd; t++) {
                Tensor tap = Ops.reshape(Ops.slice(filter, new int[] {t, 0, 0, 0, 0}, new int[] {1, -1, -1, -1, -1}),
                        f.dim(1), f.dim(2), c / groups, out);
                Tensor part = Ops.conv2d(Ops.reshape(frames.get(t), -1, h, w, c), tap, o);
                y = y == null ? part : Ops.add(y, part);
            }
        }
        return Ops.reshape(y, -1, outD, y.shape().dim(1), y.shape().dim(2), out);
    }
}
