package org.nabla.nn.layers;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.nn.Activations;
import org.nabla.nn.CallContext;
import org.nabla.nn.Initializer;
import org.nabla.nn.Initializers;
import org.nabla.nn.Layer;
import org.nabla.nn.TrainingOps;

/**
 * The recurrent layers' common part (Keras' RNN): input [batch, time, features]; a cell step maps the timestep's
 * input projection and the states to new states, the first state being the output. Weights follow Keras:
 * {@code kernel [features, gates * units]} (Glorot uniform), {@code recurrent_kernel [units, gates * units]}
 * (orthogonal), {@code bias} (zeros), gates in Keras' order. The input projection {@code x · kernel} of every
 * timestep is one matmul before the loop; the loop is {@link TimeLoop}.
 *
 * <p>Outputs ({@link #callAll}): the last output, or with {@link #returnSequences} every timestep's output [batch,
 * time, units]; with {@link #returnState} the final states follow (h, and c for an LSTM). Optional inputs after the
 * sequence are the initial states ({@code call(x, h0)}, {@code call(x, h0, c0)}), zeros otherwise. A mask [batch,
 * time] (from an {@code Embedding} with {@code maskZero}) skips timesteps: a masked step keeps the states and
 * repeats the previous output, as Keras does.
 */
public abstract sealed class RecurrentLayer extends Layer permits SimpleRNN, LSTM, GRU {
    protected final int units;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean zeroOutputForMask;
    private boolean unroll = true;
    private boolean useBias = true;
    private String activationName = "tanh";
    private String recurrentActivationName = "sigmoid";
    protected UnaryOperator<Tensor> activation = Activations.get("tanh");
    protected UnaryOperator<Tensor> recurrentActivation = Activations.get("sigmoid");
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer recurrentInitializer = Initializers.orthogonal();
    private Initializer biasInitializer = Initializers.zeros();
    protected Variable kernel;
    protected Variable recurrentKernel;
    protected Variable bias;
    private double dropout;
    private double recurrentDropout;
    /** This call's recurrent dropout masks while its cell is made (null: none), read by {@link #recurrent}. */
    private Tensor[] recurrentMasks;

    RecurrentLayer(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": units must be positive, got " + units);
        }
        this.units = units;
    }

    /** Returns every timestep's output [batch, time, units] instead of the last one [batch, units]. */
    public RecurrentLayer returnSequences(boolean b) { returnSequences = b; return this; }

    /** Also returns the final states (outputs 1.. of {@link #callAll}, {@link #applyAll}). */
    public RecurrentLayer returnState(boolean b) { returnState = b; return this; }

    /** Processes the sequence from its end; a returned sequence is in processing (reversed) order, as in Keras. */
    public RecurrentLayer goBackwards(boolean b) { goBackwards = b; return this; }

    /** Whether the layer has a bias (default true); set before building. */
    public RecurrentLayer useBias(boolean b) { useBias = b; return this; }

    /**
     * Unrolls the time loop at build time (default true; needs a known time length) instead of running it as one
     * While node; see {@link TimeLoop} and docs/nn.md for the trade-off.
     */
    public RecurrentLayer unroll(boolean b) { unroll = b; return this; }

    /** Whether the time loop is unrolled (true) or one While node. */
    public boolean unroll() { return unroll; }

    /** The output activation (default "tanh"; a name of {@link Activations}). */
    public RecurrentLayer activation(String name) {
        activation = Activations.get(name);
        activationName = name;
        return this;
    }

    /** The gates' activation of an LSTM or GRU (default "sigmoid"). */
    public RecurrentLayer recurrentActivation(String name) {
        recurrentActivation = Activations.get(name);
        recurrentActivationName = name;
        return this;
    }

    /** The output activation's name. */
    public String activation() { return activationName; }

    /** The gates' activation's name. */
    public String recurrentActivation() { return recurrentActivationName; }

    /** The input kernel's initializer (default Glorot uniform); set before building. */
    public RecurrentLayer kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    /** The recurrent kernel's initializer (default orthogonal); set before building. */
    public RecurrentLayer recurrentInitializer(Initializer i) { recurrentInitializer = i; return this; }

    /** The bias initializer (default zeros; an LSTM then sets its forget gate's bias to one); set before building. */
    public RecurrentLayer biasInitializer(Initializer i) { biasInitializer = i; return this; }

    /**
     * Drops input features with probability {@code rate} in training (Keras' {@code dropout}): one mask per sequence
     * [batch, features], the same at every step, scaled by 1/(1-rate); none at inference.
     */
    public RecurrentLayer dropout(double rate) { dropout = checkRate("dropout", rate); return this; }

    /**
     * Drops the previous output's units with probability {@code rate} where it enters the recurrent projection, in
     * training (Keras' {@code recurrent_dropout}): one mask per sequence [batch, units]; an LSTM or GRU then draws
     * one mask per gate, for its inputs too (Keras' implementation 1). Runs the cell loop, not the fused loop.
     */
    public RecurrentLayer recurrentDropout(double rate) {
        recurrentDropout = checkRate("recurrentDropout", rate);
        return this;
    }

    /** The input dropout rate. */
    public double dropout() { return dropout; }

    /** The recurrent dropout rate. */
    public double recurrentDropout() { return recurrentDropout; }

    private double checkRate(String what, double rate) {
        if (!(rate >= 0 && rate < 1)) throw new IllegalArgumentException(describe() + ": " + what + " must be in [0, 1), "
                + "got " + rate);
        return rate;
    }

    /** Masked timesteps output zeros instead of the previous output (Bidirectional's choice for sequences). */
    RecurrentLayer zeroOutputForMask(boolean b) { zeroOutputForMask = b; return this; }

    /** The number of units (the size of h). */
    public int units() { return units; }

    /** Whether output 0 is every step's output. */
    public boolean returnSequences() { return returnSequences; }

    /** Whether the final states are outputs too. */
    public boolean returnState() { return returnState; }

    /** Whether the sequence is read from its end. */
    public boolean goBackwards() { return goBackwards; }

    /** Whether the layer has a bias. */
    public boolean useBias() { return useBias; }

    /** The input kernel [features, gates * units] (null before building). */
    public Variable kernel() { return kernel; }

    /** The recurrent kernel [units, gates * units] (null before building). */
    public Variable recurrentKernel() { return recurrentKernel; }

    /** The bias (null before building or without one). */
    public Variable bias() { return bias; }

    /** A new, unbuilt layer of the same class with the subclass's own settings (for {@link #copyConfig()}). */
    abstract RecurrentLayer blankCopy();

    /** A new, unbuilt layer with the same configuration (not the weights): Bidirectional's backward twin. */
    public RecurrentLayer copyConfig() {
        RecurrentLayer c = blankCopy();
        c.returnSequences = returnSequences;
        c.returnState = returnState;
        c.goBackwards = goBackwards;
        c.zeroOutputForMask = zeroOutputForMask;
        c.useBias = useBias;
        c.unroll = unroll;
        c.dropout = dropout;
        c.recurrentDropout = recurrentDropout;
        c.activation(activationName).recurrentActivation(recurrentActivationName);
        c.kernelInitializer = kernelInitializer;
        c.recurrentInitializer = recurrentInitializer;
        c.biasInitializer = biasInitializer;
        c.dtype(dtype());
        return c;
    }

    /** Number of gate blocks in the kernels (1 SimpleRNN, 4 LSTM, 3 GRU). */
    protected abstract int gates();

    /** Number of states (1; 2 for an LSTM's h and c). */
    protected abstract int stateCount();

    /**
     * The cell for one call: reads the weights once and returns the step mapping a timestep's input projection
     * [batch, gates * units] and the states [batch, units] to the new states (a While body captures the weights
     * read here, so their gradients sum over the timesteps).
     */
    abstract TimeLoop.Step cell();

    /**
     * The whole time loop as one fused op over the projection {@code xw} [batch, time, gates * units] (states null:
     * zeros), or null where this layer has none for its configuration; then {@link TimeLoop} runs {@link #cell}.
     */
    TimeLoop.Result fusedLoop(Tensor xw, Tensor mask, Tensor[] states) { return null; }

    /** Whether masked timesteps output zeros (else the previous output). */
    boolean zeroesMaskedOutputs() { return zeroOutputForMask; }

    /** The bias shape (GRU with resetAfter has two rows: input and recurrent bias). */
    protected Shape biasShape() { return Shape.of(gates() * units); }

    /** The bias initializer actually used (an LSTM adds its unit forget bias). */
    protected Initializer effectiveBiasInitializer() { return biasInitializer; }

    /** The bias added to the input projection before the loop (null: none). */
    protected Tensor inputBias() { return useBias ? read(bias) : null; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        if (shapes.length != 1 && shapes.length != 1 + stateCount()) {
            throw new IllegalArgumentException(describe() + " takes a sequence and optionally its " + stateCount()
                    + " initial state(s), got " + shapes.length + " inputs " + Arrays.toString(shapes));
        }
        Shape x = shapes[0];
        if (x.rank() != 3 || x.dim(2) < 0) {
            throw new IllegalArgumentException(describe() + " expects a sequence [batch, time, features] with known "
                    + "features, got input shape " + x);
        }
        for (int i = 1; i < shapes.length; i++) {
            if (shapes[i].rank() != 2 || (shapes[i].dim(1) >= 0 && shapes[i].dim(1) != units)) {
                throw new IllegalArgumentException(describe() + ": initial state " + (i - 1) + " must be [batch, "
                        + units + "], got " + shapes[i]);
            }
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        int g = gates() * units;
        kernel = addWeight("kernel", Shape.of(in[0].dim(2), g), kernelInitializer, true);
        recurrentKernel = addWeight("recurrent_kernel", Shape.of(units, g), recurrentInitializer, true);
        if (useBias) bias = addWeight("bias", biasShape(), effectiveBiasInitializer(), true);
    }

    @Override
    public Shape outputShape(Shape[] in) { return outputShapes(in)[0]; }

    @Override
    public int outputCount() { return returnState ? 1 + stateCount() : 1; }

    @Override
    public Shape[] outputShapes(Shape[] in) {
        Shape[] out = new Shape[outputCount()];
        out[0] = returnSequences ? Shape.of(in[0].dim(0), in[0].dim(1), units) : Shape.of(in[0].dim(0), units);
        for (int i = 1; i < out.length; i++) out[i] = Shape.of(in[0].dim(0), units);
        return out;
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) { return forwardAll(inputs, null, ctx)[0]; }

    @Override
    protected Tensor[] forwardAll(Tensor[] inputs, Tensor mask, CallContext ctx) {
        Tensor x = inputs[0];
        int time = x.shape().dim(1);
        if (time <= 0) {
            throw new IllegalArgumentException(describe() + " needs at least one timestep, got input shape "
                    + x.shape());
        }
        if (mask != null && (mask.shape().rank() != 2 || !mask.shape().isCompatibleWith(
                Shape.of(x.shape().dim(0), time)))) {
            throw new IllegalArgumentException(describe() + ": the mask must be [batch, time] = " + Shape.of(
                    x.shape().dim(0), time) + " for input " + x.shape() + ", got " + mask.shape());
        }
        int g = gates() * units, f = x.shape().dim(2);
        boolean recDrop = ctx.training() && recurrentDropout > 0;
        int maskCount = recDrop ? gates() : 1;   // Keras: one mask per gate when recurrent dropout is on
        Tensor xw;
        if (ctx.training() && dropout > 0) {
            Tensor[] m = dropoutMasks(Ops.onesLike(Ops.gather(x, Tensors.scalar(0), 1)), dropout, maskCount, ctx, 0);
            Tensor[] blocks = maskCount == 1 ? new Tensor[] {read(kernel)} : gateBlocks(read(kernel));
            Tensor[] parts = new Tensor[m.length];
            for (int i = 0; i < m.length; i++) {
                parts[i] = Ops.matmul(Ops.reshape(Ops.mul(x, Ops.expandDims(m[i], 1)), -1, f), blocks[i]);
            }
            xw = parts.length == 1 ? parts[0] : Ops.concat(1, parts);
        } else {
            xw = Ops.matmul(Ops.reshape(x, -1, f), read(kernel));
        }
        Tensor b = inputBias();
        if (b != null) xw = Ops.biasAdd(xw, b);
        xw = Ops.reshape(xw, -1, time, g);
        Tensor[] states = new Tensor[stateCount()];
        for (int i = 0; i < states.length; i++) {
            states[i] = inputs.length > 1 ? inputs[1 + i] : null;
        }
        TimeLoop.Result r = recDrop ? null : fusedLoop(xw, mask, states);
        if (r == null) {
            recurrentMasks = recDrop ? dropoutMasks(Ops.onesLike(TimeLoop.zeroState(xw, units)), recurrentDropout,
                    maskCount, ctx, 1) : null;
            TimeLoop.Step cell;
            try {
                cell = cell();
            } finally {
                recurrentMasks = null;
            }
            r = TimeLoop.run(xw, mask, states, units, goBackwards, zeroOutputForMask, returnSequences, unroll, cell);
        }
        Tensor[] out = new Tensor[outputCount()];
        out[0] = r.output();
        for (int i = 1; i < out.length; i++) out[i] = r.states()[i - 1];
        return out;
    }

    /** A returned sequence keeps its timesteps and so its mask; a last output has none. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return returnSequences ? mask : null; }

    /**
     * {@code count} dropout masks shaped like {@code ones} (inverted dropout of ones: 0 or 1/(1-rate)), drawn once per
     * call, keyed like Dropout's by the model seed, this layer, the mask's place and the model's step counter.
     */
    Tensor[] dropoutMasks(Tensor ones, double rate, int count, CallContext ctx, int which) {
        Tensor[] masks = new Tensor[count];
        for (int i = 0; i < count; i++) {
            long key = ctx.seed() * 0x9E3779B97F4A7C15L + seed() + 0x632BE59BD9B4E019L * (1 + which * 8L + i);
            masks[i] = ctx.step() == null ? Ops.dropout(ones, rate) : TrainingOps.stepDropout(ones, ctx.step(), rate, key);
        }
        return masks;
    }

    /**
     * The recurrent projection {@code h · u} of the cell being made, with this call's recurrent dropout masks on h:
     * one mask, or one per gate block of u (Keras' implementation 1).
     */
    final UnaryOperator<Tensor> recurrent(Tensor u) {
        Tensor[] masks = recurrentMasks;
        if (masks == null) return h -> Ops.matmul(h, u);
        if (masks.length == 1) return h -> Ops.matmul(Ops.mul(h, masks[0]), u);
        Tensor[] blocks = gateBlocks(u);
        return h -> {
            Tensor[] parts = new Tensor[blocks.length];
            for (int i = 0; i < parts.length; i++) parts[i] = Ops.matmul(Ops.mul(h, masks[i]), blocks[i]);
            return Ops.concat(1, parts);
        };
    }

    /** Whether the cell being made drops recurrent units (recurrent dropout in training). */
    final boolean recurrentDropping() { return recurrentMasks != null; }

    /** The previous output as gate {@code gate}'s recurrent input: with its dropout mask, if any (GRU's reset path). */
    final UnaryOperator<Tensor> recurrentInput(int gate) {
        Tensor[] masks = recurrentMasks;
        if (masks == null) return h -> h;
        Tensor m = masks[Math.min(gate, masks.length - 1)];
        return h -> Ops.mul(h, m);
    }

    /** The gate blocks of a [batch, gates * units] projection, in Keras' order. */
    protected final Tensor[] gateBlocks(Tensor t) { return Ops.split(t, gates(), 1); }
}
