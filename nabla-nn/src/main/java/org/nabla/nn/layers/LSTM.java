package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.Initializer;
import org.nabla.nn.LstmSequenceOps;
import org.nabla.nn.RecurrentOps;

/**
 * Long short-term memory (Keras' LSTM), gates in Keras' order i, f, c, o:
 * {@code z = x · W + h · U + b; i = σ(z_i); f = σ(z_f); c = f * c + i * tanh(z_c); o = σ(z_o); h = o * tanh(c)}
 * (σ the recurrent activation, sigmoid; tanh the activation). States h and c; with {@code unitForgetBias} (the
 * default) the forget gate's bias starts at one. With the default activations a timestep's gate arithmetic is one
 * fused op ({@link RecurrentOps#LSTM_CELL}).
 */
public final class LSTM extends RecurrentLayer {
    private boolean unitForgetBias = true;
    private boolean fusedCell = true;

    /** An LSTM with {@code units} units and Keras' defaults. */
    public LSTM(int units) { super(units); }

    /** Starts the forget gate's bias at one (default true, as Keras). */
    public LSTM unitForgetBias(boolean b) { unitForgetBias = b; return this; }

    @Override
    protected int gates() { return 4; }

    @Override
    protected int stateCount() { return 2; }

    @Override
    protected Initializer effectiveBiasInitializer() {
        Initializer base = super.effectiveBiasInitializer();
        if (!unitForgetBias) return base;
        return (shape, seed) -> {
            float[] b = base.initialize(shape, seed).toFloatArray();
            for (int i = units; i < 2 * units; i++) b[i] = 1;
            return Tensor.wrap(org.nabla.DType.FLOAT32, shape, b);
        };
    }

    private boolean fusedSequence = true;

    /** Runs the whole time loop as one LstmSequence op where it can (true; false for comparisons). */
    LSTM fusedSequence(boolean b) { fusedSequence = b; return this; }

    /**
     * The LstmSequence op for float32 with the default activations: one node for the loop and one for its gradient
     * instead of ~8 per timestep (LstmSequenceOps).
     */
    @Override
    TimeLoop.Result fusedLoop(Tensor xw, Tensor mask, Tensor[] states) {
        if (!fusedSequence || !fusedCell || xw.dtype() != org.nabla.DType.FLOAT32 || !"tanh".equals(activation())
                || !"sigmoid".equals(recurrentActivation())) {
            return null;
        }
        Tensor h0 = states[0] != null ? states[0] : TimeLoop.zeroState(xw, units);
        Tensor c0 = states[1] != null ? states[1] : TimeLoop.zeroState(xw, units);
        Tensor[] r = LstmSequenceOps.run(xw, recurrentKernel.read(), h0, c0, mask, goBackwards(),
                zeroesMaskedOutputs());
        int time = xw.shape().dim(1);
        Tensor out = returnSequences() ? r[0]
                : Ops.reshape(Ops.slice(r[0], new int[] {0, time - 1, 0}, new int[] {-1, 1, -1}), -1, units);
        return new TimeLoop.Result(out, new Tensor[] {r[1], r[2]});
    }

    /** Uses the fused LstmCell op for the default activations (true; false for comparisons). */
    LSTM fusedCell(boolean b) { fusedCell = b; return this; }

    @Override
    TimeLoop.Step cell() {
        var rec = recurrent(read(recurrentKernel));
        if (fusedCell && "tanh".equals(activation()) && "sigmoid".equals(recurrentActivation())) {
            return (xw, states) -> RecurrentOps.lstmCell(Ops.add(xw, rec.apply(states[0])), states[1]);
        }
        return (xw, states) -> {
            Tensor[] z = gateBlocks(Ops.add(xw, rec.apply(states[0])));
            Tensor i = recurrentActivation.apply(z[0]);
            Tensor f = recurrentActivation.apply(z[1]);
            Tensor o = recurrentActivation.apply(z[3]);
            Tensor c = Ops.add(Ops.mul(f, states[1]), Ops.mul(i, activation.apply(z[2])));
            Tensor h = Ops.mul(o, activation.apply(c));
            return new Tensor[] {h, c};
        };
    }

    @Override
    RecurrentLayer blankCopy() { return new LSTM(units).unitForgetBias(unitForgetBias); }
}
