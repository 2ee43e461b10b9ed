package org.nabla.nn.layers;

/** Max pooling over NHWC windows (strides default to the pool size, padding "valid"). */
public final class MaxPooling2D extends Pooling {
    public MaxPooling2D(int pool) { this(pool, pool, pool, pool, "valid"); }

    public MaxPooling2D(int ph, int pw, int sh, int sw, String padding) { super("MaxPooling2D", ph, pw, sh, sw, padding); }
}
