package org.nabla.ops;

import org.nabla.Tensor;

/**
 * One recorded forward op call, as gradient functions see it: the op, its attributes, inputs and outputs, and which
 * inputs lie on a path from the differentiation's sources ({@code needs}, null when unknown: all of them).
 */
public record OpCall(OpDef op, Attrs attrs, Tensor[] inputs, Tensor[] outputs, boolean[] needs) {
    public OpCall(OpDef op, Attrs attrs, Tensor[] inputs, Tensor[] outputs) {
        this(op, attrs, inputs, outputs, null);
    }

    public Tensor input(int i) { return inputs[i]; }

    public Tensor output(int i) { return outputs[i]; }

    /**
     * False when no source of the gradient being computed flows into input {@code i}: its gradient would be
     * discarded, so a gradient function may skip computing it (return null) when that is costly, as TensorFlow's
     * skip_input_indices does (a first conv layer need not back-propagate into the images).
     */
    public boolean needsGradient(int i) { return needs == null || needs[i]; }

    /** This call with {@link #needsGradient} answered by {@code needs}. */
    public OpCall withNeeds(boolean[] needs) { return new OpCall(op, attrs, inputs, outputs, needs); }
}
