package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;

/** The fully connected recurrent layer (Keras' SimpleRNN): {@code h = activation(x · W + b + h · U)}, tanh by default. */
public final class SimpleRNN extends RecurrentLayer {
    /** A fully connected recurrent layer with {@code units} units (tanh). */
    public SimpleRNN(int units) { super(units); }

    @Override
    RecurrentLayer blankCopy() { return new SimpleRNN(units); }

    @Override
    protected int gates() { return 1; }

    @Override
    protected int stateCount() { return 1; }

    @Override
    TimeLoop.Step cell() {
        var rec = recurrent(read(recurrentKernel));
        return (xw, states) -> new Tensor[] {activation.apply(Ops.add(xw, rec.apply(states[0])))};
    }
}
