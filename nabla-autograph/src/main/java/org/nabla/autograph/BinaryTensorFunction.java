package org.nabla.autograph;

import java.io.Serializable;
import org.nabla.Tensor;

/** Two tensors in, one out: the lambda or method reference that {@link AutoGraph#binary} converts. */
@FunctionalInterface
public interface BinaryTensorFunction extends Serializable {
    /** Applies the function. */
    Tensor apply(Tensor x, Tensor y);
}
