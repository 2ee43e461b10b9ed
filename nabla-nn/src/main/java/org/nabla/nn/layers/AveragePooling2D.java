package org.nabla.nn.layers;

/** Average pooling over NHWC windows; with "same" padding each window averages only its non-padded elements. */
public final class AveragePooling2D extends Pooling {
    public AveragePooling2D(int pool) { this(pool, pool, pool, pool, "valid"); }

    public AveragePooling2D(int ph, int pw, int sh, int sw, String padding) {
        super("AveragePooling2D", ph, pw, sh, sw, padding);
    }
}
