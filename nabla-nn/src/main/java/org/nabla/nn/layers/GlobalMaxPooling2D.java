package org.nabla.nn.layers;

/** The maximum over height and width of NHWC inputs: [N, H, W, C] to [N, C]. */
public final class GlobalMaxPooling2D extends GlobalPooling {
    /** Takes each channel's maximum over height and width. */
    public GlobalMaxPooling2D() { super(4, true, "NHWC images (batch, height, width, channels)"); }
}
