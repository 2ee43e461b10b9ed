package org.nabla.autograph;

import java.io.Serializable;
import org.nabla.Tensor;

/**
 * One tensor in, one out: the lambda or method reference that {@link AutoGraph#unary} converts. Serializable so that
 * AutoGraph can find the method behind a lambda (its {@code SerializedLambda}).
 */
@FunctionalInterface
public interface UnaryTensorFunction extends Serializable {
    /** Applies the function. */
    Tensor apply(Tensor x);
}
