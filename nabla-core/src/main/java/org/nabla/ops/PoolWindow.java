package org.nabla.ops;

import java.util.Arrays;
import java.util.List;
import org.nabla.Shape;

/**
 * The geometry of an N-d pooling window over channels-first input [N, C, spatial...] (the MaxPool and AvgPool
 * ops, ONNX semantics): one {@link Axis} per spatial axis. Built by one function from the op's attributes, used by
 * the shape function and the kernels alike so they cannot disagree. Unknown input dims (-1) give unknown output dims.
 */
public record PoolWindow(List<Axis> axes) {
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

        /** One past the last tap of window {@code o} that lands inside the input (<= firstTap when none does). */
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

    /** The number of spatial axes. */
    public int rank() { return axes.size(); }

    public Axis axis(int i) { return axes.get(i); }

    /** The spatial output dims. */
    public int[] outDims() { return axes.stream().mapToInt(Axis::out).toArray(); }

    /**
     * Resolves and checks the pooling attributes of {@code op} (kernel, strides, dilations, pads, padding, ceilMode)
     * against {@code input} [N, C, spatial...]. Empty strides or dilations mean 1 on every axis, empty pads mean 0.
     * Padding "EXPLICIT" uses pads (begin per axis, then end per axis); "VALID" pads nothing; "SAME" (ONNX
     * SAME_UPPER) and "SAME_LOWER" pad so that out = ceil(in / stride), the odd element after resp. before.
     * With ceilMode the output size rounds up, dropping a last window that would start in the end padding.
     */
    public static PoolWindow of(String op, Shape input, Attrs a) {
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
        int[] s = perAxis(op, "strides", a.getInts("strides"), nd, 1);
        int[] d = perAxis(op, "dilations", a.getInts("dilations"), nd, 1);
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
            int in = input.dim(2 + i);
            axes[i] = axis(op, i, in, k[i], s[i], d[i], before, after, padding, ceil);
        }
        return new PoolWindow(List.of(axes));
    }

    private static int[] perAxis(String op, String name, int[] v, int nd, int dflt) {
        if (v.length == 0) {
            int[] all = new int[nd];
            Arrays.fill(all, dflt);
            return all;
        }
        if (v.length != nd) {
            throw new OpException(op, name + " " + Arrays.toString(v) + " must have one entry per spatial axis ("
                    + nd + ") or none");
        }
        return v;
    }

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
