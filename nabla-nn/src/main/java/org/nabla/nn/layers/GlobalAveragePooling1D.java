package org.nabla.nn.layers;

/** The mean over the steps of sequences: [N, T, C] to [N, C]. */
public final class GlobalAveragePooling1D extends GlobalPooling {
    /** Averages each channel over all steps. */
    public GlobalAveragePooling1D() { super(3, false, "sequences (batch, steps, channels)"); }
}
