package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.GruSequenceOps;
import org.nabla.nn.RecurrentOps;

/**
 * Gated recurrent unit (Keras' GRU), gates in Keras' order z (update), r (reset), h (candidate). With
 * {@code resetAfter} (the default, Keras 3's and cuDNN's variant) the bias is [2, 3 * units] (input and recurrent
 * rows) and the reset gate multiplies the recurrent projection:
 * {@code hh = tanh(x·W_h + b_h + r * (h·U_h + b'_h))}; without it, {@code hh = tanh(x·W_h + b_h + (r * h)·U_h)}. Then
 * {@code h = z * h_prev + (1 - z) * hh}. With resetAfter and the default activations a timestep's gate arithmetic is
 * one fused op ({@link RecurrentOps#GRU_CELL}).
 */
public final class GRU extends RecurrentLayer {
    private boolean resetAfter = true;
    private boolean fusedCell = true;

    /** A GRU with {@code units} units, resetAfter and Keras' defaults. */
    public GRU(int units) { super(units); }

    /** Applies the reset gate after the recurrent matmul (default true); set before building. */
    public GRU resetAfter(boolean b) {
        if (isBuilt()) throw new IllegalStateException(describe() + " is built; set resetAfter before");
        resetAfter = b;
        return this;
    }

    /** Whether the reset gate applies after the recurrent matmul. */
    public boolean resetAfter() { return resetAfter; }

    private boolean fusedSequence = true;

    /** Runs the whole time loop as one GruSequence op where it can (true; false for comparisons). */
    GRU fusedSequence(boolean b) { fusedSequence = b; return this; }

    /** The GruSequence op for a float32 reset-after GRU with the default activations (GruSequenceOps). */
    @Override
    TimeLoop.Result fusedLoop(Tensor xw, Tensor mask, Tensor[] states) {
        if (!fusedSequence || !fusedCell || !resetAfter || xw.dtype() != org.nabla.DType.FLOAT32
                || !"tanh".equals(activation()) || !"sigmoid".equals(recurrentActivation())) {
            return null;
        }
        Tensor h0 = states[0] != null ? states[0] : TimeLoop.zeroState(xw, units);
        Tensor rb = useBias() ? Ops.reshape(Ops.slice(bias.read(), new int[] {1, 0}, new int[] {1, -1}), -1)
                : Ops.zeros(org.nabla.DType.FLOAT32, 3 * units);
        Tensor[] r = GruSequenceOps.run(xw, recurrentKernel.read(), rb, h0, mask, goBackwards(), zeroesMaskedOutputs());
        int time = xw.shape().dim(1);
        Tensor out = returnSequences() ? r[0]
                : Ops.reshape(Ops.slice(r[0], new int[] {0, time - 1, 0}, new int[] {-1, 1, -1}), -1, units);
        return new TimeLoop.Result(out, new Tensor[] {r[1]});
    }

    /** Uses the fused GruCell op with resetAfter and the default activations (true; false for comparisons). */
    GRU fusedCell(boolean b) { fusedCell = b; return this; }

    @Override
    RecurrentLayer blankCopy() { return new GRU(units).resetAfter(resetAfter); }

    @Override
    protected int gates() { return 3; }

    @Override
    protected int stateCount() { return 1; }

    @Override
    protected Shape biasShape() { return resetAfter ? Shape.of(2, 3 * units) : super.biasShape(); }

    @Override
    protected Tensor inputBias() {
        if (!useBias() || !resetAfter) return super.inputBias();
        return Ops.reshape(Ops.slice(read(bias), new int[] {0, 0}, new int[] {1, -1}), -1);
    }

    @Override
    TimeLoop.Step cell() {
        Tensor u = read(recurrentKernel);
        Tensor recurrentBias = useBias() && resetAfter
                ? Ops.reshape(Ops.slice(read(bias), new int[] {1, 0}, new int[] {1, -1}), -1) : null;
        Tensor[] uk = resetAfter ? null : gateBlocks(u);   // [units, units] each: z, r, h
        Tensor uzr = resetAfter ? null : Ops.concat(1, uk[0], uk[1]);
        var rec = recurrent(u);
        var hz = recurrentInput(0);
        var hr = recurrentInput(1);
        var hh0 = recurrentInput(2);
        boolean dropping = recurrentDropping();
        if (resetAfter && fusedCell && "tanh".equals(activation()) && "sigmoid".equals(recurrentActivation())) {
            return (xw, states) -> {
                Tensor inner = rec.apply(states[0]);
                if (recurrentBias != null) inner = Ops.biasAdd(inner, recurrentBias);
                return new Tensor[] {RecurrentOps.gruCell(xw, inner, states[0])};
            };
        }
        return (xw, states) -> {
            Tensor h = states[0];
            Tensor[] x = gateBlocks(xw);
            Tensor z, r, hh;
            if (resetAfter) {
                Tensor inner = rec.apply(h);
                if (recurrentBias != null) inner = Ops.biasAdd(inner, recurrentBias);
                Tensor[] in = gateBlocks(inner);
                z = recurrentActivation.apply(Ops.add(x[0], in[0]));
                r = recurrentActivation.apply(Ops.add(x[1], in[1]));
                hh = activation.apply(Ops.add(x[2], Ops.mul(r, in[2])));
            } else {
                Tensor[] in = dropping ? new Tensor[] {Ops.matmul(hz.apply(h), uk[0]), Ops.matmul(hr.apply(h), uk[1])}
                        : Ops.split(Ops.matmul(h, uzr), 2, 1);
                z = recurrentActivation.apply(Ops.add(x[0], in[0]));
                r = recurrentActivation.apply(Ops.add(x[1], in[1]));
                hh = activation.apply(Ops.add(x[2], Ops.matmul(Ops.mul(r, hh0.apply(h)), uk[2])));
            }
            return new Tensor[] {Ops.add(Ops.mul(z, h), Ops.mul(Ops.sub(1.0, z), hh))};   // z h + (1 - z) hh
        };
    }
}
