package org.nabla.nn.layers;

/** Max pooling over NHWC windows (strides default to the pool size, padding "valid"). */
public final class MaxPooling2D extends Pooling {
    /** Pools {@code pool} x {@code pool} windows with the same stride, "valid" padding. */
    public MaxPooling2D(int pool) { this(pool, pool, pool, pool, "valid"); }

    /** Pools {@code ph} x {@code pw} windows with strides {@code sh}, {@code sw} and padding "valid" or "same". */
    public MaxPooling2D(int ph, int pw, int sh, int sw, String padding) {
        super("MaxPooling2D", ph, pw, sh, sw, padding);
    }
}
