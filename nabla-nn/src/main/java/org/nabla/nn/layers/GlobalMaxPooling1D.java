package org.nabla.nn.layers;

/** The maximum over the steps of sequences: [N, T, C] to [N, C]. */
public final class GlobalMaxPooling1D extends GlobalPooling {
    /** Takes each channel's maximum over all steps. */
    public GlobalMaxPooling1D() { super(3, true, "sequences (batch, steps, channels)"); }
}
