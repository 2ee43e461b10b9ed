package org.nabla.nn.layers;

/** Max pooling over NDHWC volumes (Keras' {@code MaxPooling3D}); strides default to the pool size. */
public final class MaxPooling3D extends Pooling3D {
    /** Windows of {@code p} x {@code p} x {@code p}, stride p, "valid". */
    public MaxPooling3D(int p) { this(new int[] {p, p, p}, new int[] {p, p, p}, "valid"); }

    /** Windows {@code pool} (depth, height, width) moved by {@code strides}, padding "valid" or "same". */
    public MaxPooling3D(int[] pool, int[] strides, String padding) { super("MaxPooling3D", pool, strides, padding); }
}
