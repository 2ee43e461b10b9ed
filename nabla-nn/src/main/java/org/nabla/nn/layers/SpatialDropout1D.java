package org.nabla.nn.layers;

/** Keras' {@code SpatialDropout1D} over sequences [N, T, C]: whole channels of a sequence are dropped together in training. */
public final class SpatialDropout1D extends SpatialDropout {
    /** Drops each channel with probability {@code rate} in [0, 1). */
    public SpatialDropout1D(double rate) { super("SpatialDropout1D", rate, 3); }
}
