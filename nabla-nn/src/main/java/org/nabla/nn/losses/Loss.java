package org.nabla.nn.losses;

import org.nabla.Tensor;

/** A loss: the mean over the batch of a per-example loss, as a scalar tensor (works eagerly, traced, on tapes). */
public interface Loss {
    /** The scalar loss of predictions {@code yPred} against targets {@code yTrue}. */
    Tensor call(Tensor yTrue, Tensor yPred);

    /** The Keras name ("sparse_categorical_crossentropy"...). */
    String name();
}
