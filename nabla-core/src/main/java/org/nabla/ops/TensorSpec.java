package org.nabla.ops;

import org.nabla.DType;
import org.nabla.Shape;

/** The static description of a tensor: its dtype and (possibly partly unknown) shape. */
public record TensorSpec(DType dtype, Shape shape) {
    /** Rejects a null dtype or shape. */
    public TensorSpec {
        if (dtype == null || shape == null) throw new NullPointerException("TensorSpec needs a dtype and a shape");
    }

    /** The spec of tensors of {@code dtype} and {@code shape} (dimensions may be {@link Shape#UNKNOWN}). */
    public static TensorSpec of(DType dtype, Shape shape) { return new TensorSpec(dtype, shape); }

    @Override public String toString() { return dtype + shape.toString(); }
}
