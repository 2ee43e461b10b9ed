package org.nabla;

import org.nabla.ops.Attrs;

/**
 * The settings of {@link Ops#maxPool}, {@link Ops#maxPoolWithIndices} and {@link Ops#avgPool}: ONNX-style pooling of
 * channels-first input [N, C, spatial...] with 1 to 3 spatial dims. Start from {@link #of(int...)} with the
 * window size and change what differs: {@code PoolOptions.of(3, 3).strides(2, 2).pads(1, 1, 1, 1)}. Empty
 * strides and dilations mean 1 on every spatial axis, empty pads mean 0.
 *
 * @param pads begin per spatial axis, then end per spatial axis (ONNX order); used with padding "EXPLICIT"
 * @param padding "EXPLICIT" (pads), "VALID" (none), "SAME" (ONNX SAME_UPPER: out = ceil(in / stride), the
 *     odd padding element at the end) or "SAME_LOWER" (the odd element at the start)
 * @param ceilMode round the output size up; a last window that would start in the end padding is dropped
 * @param countIncludePad avgPool only: divide by the window's elements including explicit padding
 * @param storageOrder maxPool's indices only: 0 row-major, 1 column-major over the spatial dims
 */
public record PoolOptions(int[] kernel, int[] strides, int[] dilations, int[] pads, String padding,
                          boolean ceilMode, boolean countIncludePad, int storageOrder) {
    /** A window of the given size, stride 1, no dilation, no padding, floor mode. */
    public static PoolOptions of(int... kernel) {
        return new PoolOptions(kernel.clone(), new int[0], new int[0], new int[0], "EXPLICIT", false, false, 0);
    }

    /** Steps between windows, per spatial axis (default 1). */
    public PoolOptions strides(int... s) {
        return new PoolOptions(kernel, s.clone(), dilations, pads, padding, ceilMode, countIncludePad,
                storageOrder);
    }

    /** Spacing between window elements, per spatial axis (default 1). */
    public PoolOptions dilations(int... d) {
        return new PoolOptions(kernel, strides, d.clone(), pads, padding, ceilMode, countIncludePad, storageOrder);
    }

    /** EXPLICIT padding: begin per spatial axis, then end per spatial axis. */
    public PoolOptions pads(int... p) {
        return new PoolOptions(kernel, strides, dilations, p.clone(), "EXPLICIT", ceilMode, countIncludePad,
                storageOrder);
    }

    /** "VALID" (no padding), "SAME" (output size = ceil(input / stride)) or "EXPLICIT" (see {@link #pads}). */
    public PoolOptions padding(String p) {
        return new PoolOptions(kernel, strides, dilations, pads, p, ceilMode, countIncludePad, storageOrder);
    }

    /** Whether output sizes round up, so a partial window at the end counts (ONNX's ceil_mode). */
    public PoolOptions ceilMode(boolean c) {
        return new PoolOptions(kernel, strides, dilations, pads, padding, c, countIncludePad, storageOrder);
    }

    /** Whether average pooling divides by the full window, padding included (ONNX's count_include_pad). */
    public PoolOptions countIncludePad(boolean c) {
        return new PoolOptions(kernel, strides, dilations, pads, padding, ceilMode, c, storageOrder);
    }

    /** Max pooling's argmax index order: 0 row-major, 1 column-major (ONNX's storage_order). */
    public PoolOptions storageOrder(int order) {
        return new PoolOptions(kernel, strides, dilations, pads, padding, ceilMode, countIncludePad, order);
    }

    /** The attributes of MaxPool ({@code max}) or of AvgPool and AvgPoolGrad. */
    public Attrs attrs(boolean max) {
        Attrs a = Attrs.of("kernel", kernel, "strides", strides, "dilations", dilations, "pads", pads, "padding",
                padding, "ceilMode", ceilMode);
        return max ? a.with("storageOrder", storageOrder) : a.with("countIncludePad", countIncludePad);
    }
}
