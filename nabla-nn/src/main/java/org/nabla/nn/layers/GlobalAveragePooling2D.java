package org.nabla.nn.layers;

/** The mean over height and width of NHWC inputs: [N, H, W, C] to [N, C]. */
public final class GlobalAveragePooling2D extends GlobalPooling {
    /** Averages each channel over height and width: [N, H, W, C] to [N, C]. */
    public GlobalAveragePooling2D() { super(4, false, "NHWC images (batch, height, width, channels)"); }
}
