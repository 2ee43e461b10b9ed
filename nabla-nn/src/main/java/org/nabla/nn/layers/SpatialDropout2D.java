package org.nabla.nn.layers;

/** Keras' {@code SpatialDropout2D} over NHWC images: whole feature maps are dropped together in training. */
public final class SpatialDropout2D extends SpatialDropout {
    /** Drops each channel with probability {@code rate} in [0, 1). */
    public SpatialDropout2D(double rate) { super("SpatialDropout2D", rate, 4); }
}
