package org.nabla.nn.layers;

/** Average pooling over sequence steps [N, T, C] (strides default to the pool size, padding "valid"). */
public final class AveragePooling1D extends Pooling1D {
    /** Pools windows of {@code pool} steps with the same stride, "valid" padding. */
    public AveragePooling1D(int pool) { this(pool, pool, "valid"); }

    /** Pools windows of {@code pool} steps every {@code stride} steps, padding "valid" or "same". */
    public AveragePooling1D(int pool, int stride, String padding) { super("AveragePooling1D", pool, stride, padding, false); }
}
