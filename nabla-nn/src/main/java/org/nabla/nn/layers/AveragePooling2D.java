package org.nabla.nn.layers;

/** Average pooling over NHWC windows; with "same" padding each window averages only its non-padded elements. */
public final class AveragePooling2D extends Pooling {
    /** Pools {@code pool} x {@code pool} windows with the same stride, "valid" padding. */
    public AveragePooling2D(int pool) { this(pool, pool, pool, pool, "valid"); }

    /** Pools {@code ph} x {@code pw} windows with strides {@code sh}, {@code sw} and padding "valid" or "same". */
    public AveragePooling2D(int ph, int pw, int sh, int sw, String padding) {
        super("AveragePooling2D", ph, pw, sh, sw, padding);
    }
}
