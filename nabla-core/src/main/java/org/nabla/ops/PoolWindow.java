package org.nabla.ops;

import java.util.Arrays;
import java.util.List;
import org.nabla.Shape;

/**
 * The geometry of every pooling op: one {@link Axis} per spatial axis (1 to 3) of channels-first [N, C, spatial...]
 * or channels-last [N, spatial..., C] input. The attributes come in two spellings, each declared once here: ONNX's
 * N-d one (MaxPool, AvgPool, AvgPoolGrad: pads, dilations, ceilMode, SAME_LOWER) and TensorFlow's 2-D one
 * (MaxPool2D, AvgPool2D, their gradients and nn's MaxPoolWithArgmax: ksize, SAME/VALID, dataFormat), which is the
 * two-axis case with no dilation, pads or ceil mode. One function reads either, and the shape functions and the
 * kernels both use its result, so they cannot disagree. Unknown input dims (-1) give unknown output dims.
 */
public record PoolWindow(List<Axis> axes, boolean channelsLast) {
    /** The most spatial axes the pooling ops take. */
    public static final int MAX_SPATIAL = 3;

    public PoolWindow {
        axes = List.copyOf(axes);
    }

    /**
     * One spatial axis: input size, window size, stride, dilation, padding before and after, output size. Window
     * {@code o} reads input positions {@code start(o) + t * dilation} for taps {@code t} in [0, kernel); positions
     * outside [0, in) are padding.
     */
    public record Axis(int in, int kernel, int stride, int dilation, int padBegin, int padEnd, int out) {
        /** The input position of window {@code o}'s first tap (negative inside the leading padding). */
        public int start(int o) { return o * stride - padBegin; }

        /** The first tap of window {@code o} that lands inside the input. */
        public int firstTap(int o) {
            int s = start(o);
            return s >= 0 ? 0 : Math.min(kernel, (-s + dilation - 1) / dilation);
        }

        /** One past the last tap of window {@code o} that lands inside the input ({@code <= firstTap} when none does). */
        public int endTap(int o) {
            int s = start(o);
            return s >= in ? 0 : Math.min(kernel, (in - 1 - s) / dilation + 1);
        }

        /** The taps of window {@code o} inside the input or its explicit padding (AvgPool's countIncludePad). */
        public int paddedTaps(int o) {
            long s = start(o); // >= -padBegin always
            long last = (long) in + padEnd - 1;
            return s > last ? 0 : (int) Math.min(kernel, (last - s) / dilation + 1);
        }

        /** The extent of the dilated window: (kernel - 1) * dilation + 1. */
        public long extent() { return (long) (kernel - 1) * dilation + 1; }
    }

    // ---------------------------------------------------------------- the attributes, declared once

    /**
     * Declares the N-d (ONNX) pooling attributes: kernel (required), strides, dilations, pads, padding ("EXPLICIT")
     * and ceilMode (false); see {@link #of}.
     */
    public static OpDef.Builder attrsNd(OpDef.Builder b) {
        return b.attr("kernel", AttrType.INTS)
                .attr("strides", AttrType.INTS, new int[0])
                .attr("dilations", AttrType.INTS, new int[0])
                .attr("pads", AttrType.INTS, new int[0])
                .attr("padding", AttrType.STRING, "EXPLICIT")
                .attr("ceilMode", AttrType.BOOL, false);
    }

    /**
     * Declares the 2-D (TensorFlow) pooling attributes: ksize and strides {height, width} (required), padding
     * "SAME" or "VALID" (default), dataFormat "NHWC" (default) or "NCHW".
     */
    public static OpDef.Builder attrs2d(OpDef.Builder b) {
        return b.attr("ksize", AttrType.INTS)
                .attr("strides", AttrType.INTS)
                .attr("padding", AttrType.STRING, "VALID")
                .attr("dataFormat", AttrType.STRING, "NHWC");
    }

    // ---------------------------------------------------------------- reading them

    /** The number of spatial axes. */
    public int rank() { return axes.size(); }

    public Axis axis(int i) { return axes.get(i); }

    /** {@code input}'s shape with each spatial dim replaced by its output size. */
    public Shape outputShape(Shape input) {
        int[] dims = input.dims();
        int first = channelsLast ? 1 : 2;
        for (int i = 0; i < rank(); i++) dims[first + i] = axis(i).out();
        return Shape.of(dims);
    }

    /**
     * Resolves and checks the pooling attributes of {@code op} against {@code input}, in whichever spelling the op
     * declares ({@link #attrs2d} when it has ksize, else {@link #attrsNd}).
     * <p>N-d: input [N, C, spatial...]. Empty strides or dilations mean 1 on every axis, empty pads mean 0. Padding
     * "EXPLICIT" uses pads (begin per axis, then end per axis); "VALID" pads nothing; "SAME" (ONNX SAME_UPPER) and
     * "SAME_LOWER" pad so that out = ceil(in / stride), the odd element after resp. before. With ceilMode the output
     * size rounds up, dropping a last window that would start in the end padding.
     * <p>2-D: input NHWC or NCHW (rank checked by the caller); "SAME" is ONNX's SAME_UPPER, "VALID" no padding.
     */
    public static PoolWindow of(String op, Shape input, Attrs a) {
        return a.has("ksize") ? of2d(op, input, a) : ofNd(op, input, a);
    }

    private static PoolWindow of2d(String op, Shape input, Attrs a) {
        boolean nhwc = NnOps.dataFormat(op, a).equals("NHWC");
        int[] k = NnOps.pair(op, "ksize", a), s = NnOps.pair(op, "strides", a);
        String padding = a.getString("padding");
        if (!padding.equals("SAME") && !padding.equals("VALID")) {
            throw new OpException(op, "padding must be \"SAME\" or \"VALID\", got \"" + padding + "\"");
        }
        Axis[] axes = new Axis[2];
        for (int i = 0; i < 2; i++) {
            int in = input.dim(nhwc ? 1 + i : 2 + i);
            if (padding.equals("VALID") && in != Shape.UNKNOWN && in < k[i]) {
                throw new OpException(op, "VALID padding: input " + (i == 0 ? "height" : "width") + " " + in
                        + " is smaller than the effective window " + k[i] + " (size " + k[i] + ", dilation 1), so "
                        + "the output would be empty");
            }
            axes[i] = axis(op, i, in, k[i], s[i], 1, 0, 0, padding, false);
        }
        return new PoolWindow(List.of(axes), nhwc);
    }

    private static PoolWindow ofNd(String op, Shape input, Attrs a) {
        int rank = input.rank();
        int[] k = a.getInts("kernel");
        if (rank < 3 || rank - 2 > MAX_SPATIAL) {
            throw new OpException(op, "input must be [N, C, spatial...] with 1 to " + MAX_SPATIAL
                    + " spatial dims (rank 3 to " + (MAX_SPATIAL + 2) + "), got shape " + input);
        }
        int nd = rank - 2;
        if (k.length != nd) {
            throw new OpException(op, "kernel " + Arrays.toString(k) + " has " + k.length + " entries but input "
                    + input + " has " + nd + " spatial dims (layout [N, C, spatial...])");
        }
        int[] s = perAxis(op, "strides", a.getInts("strides"), nd);
        int[] d = perAxis(op, "dilations", a.getInts("dilations"), nd);
        for (int i = 0; i < nd; i++) {
            if (k[i] < 1) throw new OpException(op, "kernel entries must be >= 1, got " + Arrays.toString(k));
            if (s[i] < 1) throw new OpException(op, "strides must be >= 1, got " + Arrays.toString(s));
            if (d[i] < 1) throw new OpException(op, "dilations must be >= 1, got " + Arrays.toString(d));
        }
        String padding = a.getString("padding");
        int[] pads = a.getInts("pads");
        boolean explicit = padding.equals("EXPLICIT");
        if (!explicit && !padding.equals("VALID") && !padding.equals("SAME") && !padding.equals("SAME_LOWER")) {
            throw new OpException(op, "padding must be \"EXPLICIT\", \"VALID\", \"SAME\" or \"SAME_LOWER\", got \""
                    + padding + "\"");
        }
        if (pads.length != 0 && pads.length != 2 * nd) {
            throw new OpException(op, "pads " + Arrays.toString(pads) + " must have " + 2 * nd
                    + " entries (begin per spatial axis, then end per spatial axis) or none");
        }
        if (!explicit && Arrays.stream(pads).anyMatch(p -> p != 0)) {
            throw new OpException(op, "pads " + Arrays.toString(pads) + " are only allowed with padding "
                    + "\"EXPLICIT\", got padding \"" + padding + "\"");
        }
        boolean ceil = a.getBool("ceilMode");
        Axis[] axes = new Axis[nd];
        for (int i = 0; i < nd; i++) {
            long extent = (long) (k[i] - 1) * d[i] + 1;
            int before = pads.length == 0 ? 0 : pads[i], after = pads.length == 0 ? 0 : pads[nd + i];
            if (before < 0 || after < 0 || before >= extent || after >= extent) {
                throw new OpException(op, "pads " + Arrays.toString(pads) + " must be >= 0 and smaller than the "
                        + "window extent " + extent + " (kernel " + k[i] + ", dilation " + d[i] + ") of spatial axis "
                        + i);
            }
            axes[i] = axis(op, i, input.dim(2 + i), k[i], s[i], d[i], before, after, padding, ceil);
        }
        return new PoolWindow(List.of(axes), false);
    }

    private static int[] perAxis(String op, String name, int[] v, int nd) {
        if (v.length == 0) {
            int[] all = new int[nd];
            Arrays.fill(all, 1);
            return all;
        }
        if (v.length != nd) {
            throw new OpException(op, name + " " + Arrays.toString(v) + " must have one entry per spatial axis ("
                    + nd + ") or none");
        }
        return v;
    }

    /** One axis's output size and padding: the rule both spellings share. */
    private static Axis axis(String op, int i, int in, int k, int s, int d, int before, int after, String padding,
                             boolean ceil) {
        long extent = (long) (k - 1) * d + 1;
        if (in == Shape.UNKNOWN) return new Axis(in, k, s, d, before, after, Shape.UNKNOWN);
        if (padding.startsWith("SAME")) {
            int out = (int) ((in + (long) s - 1) / s);
            int total = (int) Math.max(0, (long) (out - 1) * s + extent - in);
            int small = total / 2;
            before = padding.equals("SAME") ? small : total - small;
            after = total - before;
            return checked(op, i, new Axis(in, k, s, d, before, after, out));
        }
        long span = in + (long) before + after - extent;
        if (span < 0) {
            throw new OpException(op, "spatial axis " + i + ": input size " + in + " padded by " + before + "+"
                    + after + " is smaller than the window extent " + extent + " (kernel " + k + ", dilation " + d
                    + "), so the output would be empty");
        }
        long out = ceil ? (span + s - 1) / s + 1 : span / s + 1;
        if (ceil && (out - 1) * s >= (long) in + before) out--; // the last window would start in the end padding
        if (out > Integer.MAX_VALUE) throw new OpException(op, "output size " + out + " of spatial axis " + i);
        return checked(op, i, new Axis(in, k, s, d, before, after, (int) out));
    }

    /** Every window must see at least one input element (possible to violate only with dilation > input). */
    private static Axis checked(String op, int i, Axis ax) {
        for (int o = 0; o < ax.out(); o++) {
            if (ax.endTap(o) <= ax.firstTap(o)) {
                throw new OpException(op, "window " + o + " of spatial axis " + i + " covers only padding (input "
                        + ax.in() + ", kernel " + ax.kernel() + ", dilation " + ax.dilation() + ", stride "
                        + ax.stride() + ", pads " + ax.padBegin() + "+" + ax.padEnd() + ")");
            }
        }
        return ax;
    }
}
