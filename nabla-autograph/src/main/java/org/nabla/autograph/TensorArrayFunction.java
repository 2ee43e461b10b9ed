package org.nabla.autograph;

import java.io.Serializable;
import org.nabla.Tensor;

/** Several tensors in, several out: the lambda or method reference that {@link AutoGraph#function} converts. */
@FunctionalInterface
public interface TensorArrayFunction extends Serializable {
    /** Applies the function. */
    Tensor[] apply(Tensor[] args);
}
