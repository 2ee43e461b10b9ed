package org.nabla.nn.layers;

import java.util.Locale;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.SimpleRnnSequenceOps;

/**
 * The fully connected recurrent layer (Keras' SimpleRNN): {@code h = activation(x · W + b + h · U)}, tanh by default.
 * A float32 layer with tanh or relu runs its whole time loop as one op ({@link SimpleRnnSequenceOps}).
 */
public final class SimpleRNN extends RecurrentLayer {
    /** A fully connected recurrent layer with {@code units} units (tanh). */
    public SimpleRNN(int units) { super(units); }

    private boolean fusedSequence = true;

    /** Runs the whole time loop as one SimpleRnnSequence op where it can (true; false for comparisons). */
    SimpleRNN fusedSequence(boolean b) { fusedSequence = b; return this; }

    /** The SimpleRnnSequence op for a float32 tanh or relu layer. */
    @Override
    TimeLoop.Result fusedLoop(Tensor xw, Tensor mask, Tensor[] states) {
        String act = activation() == null ? "" : activation().toUpperCase(Locale.ROOT);
        if (!fusedSequence || xw.dtype() != org.nabla.DType.FLOAT32 || !SimpleRnnSequenceOps.ACTIVATIONS.contains(act)) {
            return null;
        }
        Tensor h0 = states[0] != null ? states[0] : TimeLoop.zeroState(xw, units);
        Tensor[] r = SimpleRnnSequenceOps.run(xw, recurrentKernel.read(), h0, mask, goBackwards(),
                zeroesMaskedOutputs(), act);
        int time = xw.shape().dim(1);
        Tensor out = returnSequences() ? r[0]
                : Ops.reshape(Ops.slice(r[0], new int[] {0, time - 1, 0}, new int[] {-1, 1, -1}), -1, units);
        return new TimeLoop.Result(out, new Tensor[] {r[1]});
    }

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
