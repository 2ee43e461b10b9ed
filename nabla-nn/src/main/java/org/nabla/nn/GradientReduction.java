package org.nabla.nn;

import java.util.List;
import org.nabla.Tensor;

/**
 * One eager step's gradient reduction that starts before the backward pass ends ({@link DataParallel#reduceAsReady}):
 * the tape hands it each gradient as soon as it is final, the last layers' first, and it may start reducing them (on
 * another thread) while the walk computes the rest; {@link #finish} then returns what
 * {@link DataParallel#reduceGradients} would have.
 */
public interface GradientReduction {
    /** Gradient {@code index} (of the step's variables) is final; null when the loss does not depend on it. */
    void ready(Tensor grad, int index);

    /** The reduced gradients, in the variables' order, once every one was {@link #ready}. */
    List<Tensor> finish();
}
