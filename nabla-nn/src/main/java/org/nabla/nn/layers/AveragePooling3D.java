package org.nabla.nn.layers;

/** Average pooling over NDHWC volumes (Keras' {@code AveragePooling3D}); strides default to the pool size. */
public final class AveragePooling3D extends Pooling3D {
    /** Windows of {@code p} x {@code p} x {@code p}, stride p, "valid". */
    public AveragePooling3D(int p) { this(new int[] {p, p, p}, new int[] {p, p, p}, "valid"); }

    /** Windows {@code pool} (depth, height, width) moved by {@code strides}, padding "valid" or "same". */
    public AveragePooling3D(int[] pool, int[] strides, String padding) { super("AveragePooling3D", pool, strides, padding); }
}
