package org.nabla;

import org.nabla.ops.Attrs;

/**
 * The optional settings of {@link Ops#conv2d(Tensor, Tensor, Conv2dOptions)}; start from {@link #defaults()} and
 * change what differs: {@code Conv2dOptions.defaults().strides(2, 2).padding("SAME").groups(2)}.
 *
 * @param explicitPaddings top, bottom, left, right; used with padding "EXPLICIT"
 */
public record Conv2dOptions(int[] strides, String padding, int[] explicitPaddings, int[] dilations, int groups,
                            String dataFormat) {
    /** Stride 1, VALID padding, no dilation, one group, NHWC. */
    public static Conv2dOptions defaults() {
        return new Conv2dOptions(new int[] {1, 1}, "VALID", new int[] {0, 0, 0, 0}, new int[] {1, 1}, 1, "NHWC");
    }

    /** Steps between windows along height and width (default 1). */
    public Conv2dOptions strides(int h, int w) {
        return new Conv2dOptions(new int[] {h, w}, padding, explicitPaddings, dilations, groups, dataFormat);
    }

    /** "VALID" (no padding) or "SAME" (output size = ceil(input / stride)). */
    public Conv2dOptions padding(String p) {
        return new Conv2dOptions(strides, p, explicitPaddings, dilations, groups, dataFormat);
    }

    /** EXPLICIT padding of the given amounts. */
    public Conv2dOptions explicitPaddings(int top, int bottom, int left, int right) {
        return new Conv2dOptions(strides, "EXPLICIT", new int[] {top, bottom, left, right}, dilations, groups,
                dataFormat);
    }

    /** Spacing between filter taps along height and width (default 1). */
    public Conv2dOptions dilations(int h, int w) {
        return new Conv2dOptions(strides, padding, explicitPaddings, new int[] {h, w}, groups, dataFormat);
    }

    /** Groups of input channels convolved separately; must divide the channels (default 1). */
    public Conv2dOptions groups(int g) {
        return new Conv2dOptions(strides, padding, explicitPaddings, dilations, g, dataFormat);
    }

    /** "NHWC" (default) or "NCHW". */
    public Conv2dOptions dataFormat(String f) {
        return new Conv2dOptions(strides, padding, explicitPaddings, dilations, groups, f);
    }

    /** The attributes of Conv2D and of its two backprops. */
    Attrs attrs() {
        return Attrs.of("strides", strides, "padding", padding, "explicitPaddings", explicitPaddings,
                "dilations", dilations, "groups", groups, "dataFormat", dataFormat);
    }
}
