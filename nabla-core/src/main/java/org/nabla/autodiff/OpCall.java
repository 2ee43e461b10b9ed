package org.nabla.autodiff;

import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;

/** One recorded forward op call, as gradient functions see it: the op, its attributes, inputs and outputs. */
public record OpCall(OpDef op, Attrs attrs, Tensor[] inputs, Tensor[] outputs) {
    public Tensor input(int i) { return inputs[i]; }

    public Tensor output(int i) { return outputs[i]; }
}
