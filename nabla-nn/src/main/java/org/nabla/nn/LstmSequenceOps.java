package org.nabla.nn;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.kernels.cpu.Gemm;
import org.nabla.kernels.cpu.VectorMath;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * A whole LSTM time loop as one op, forward and backward, as cuDNN's and oneDNN's RNN primitives do: the unrolled
 * loop is about 8 nodes a timestep (a matmul, an add, the fused cell, mask selects) and three times as many in its
 * gradient, so a 200-step sequence made a graph of thousands of small kernels; here a timestep is one small matrix
 * product and a pass over the gates, with no node or buffer of its own.
 * <ul>
 * <li>{@code LstmSequence(xw, u, h0, c0, mask; goBackwards, zeroOutputForMask)}: xw [B, T, 4U] the input projection
 *     x·W + b (Keras' gate order i, f, c, o), u [U, 4U] the recurrent kernel, h0 and c0 [B, U] the initial states,
 *     mask [B, T] bool (or a scalar: no mask). Timesteps are processed in order, or from the last with
 *     {@code goBackwards}; a masked timestep keeps the states, and its output is the previous output (or zero with
 *     {@code zeroOutputForMask}), as Keras' {@code backend.rnn}. Outputs: the outputs [B, T, U] in processing order,
 *     the final h and c [B, U], and for the gradient the activated gates [B, T, 4U] and the states after each step
 *     h, c [B, T, U].</li>
 * <li>{@code LstmSequenceGrad}: its backward pass through time: dxw, du, dh0, dc0. Not differentiable itself.</li>
 * </ul>
 * float32 only (the layers keep their unrolled loop for float64).
 */
public final class LstmSequenceOps implements OpLibrary {
    /** Made by the {@code ServiceLoader} that registers op libraries. */
    public LstmSequenceOps() {}

    /** The LSTM time loop: outputs, final h and c, and the activated gates and states kept for the gradient. */
    public static final OpDef LSTM_SEQUENCE = SequenceLoops.loopAttrs(OpDef.builder("LstmSequence")
                    .inputs("xw", "u", "h0", "c0", "mask"))
            .shape(LstmSequenceOps::forwardShape)
            .summary("LSTM over all timesteps of xw [B, T, 4U] with recurrent kernel u [U, 4U] from states h0, c0 "
                    + "[B, U], skipping masked timesteps: outputs [B, T, U], final h and c, and (for the gradient) "
                    + "the activated gates [B, T, 4U] and the states h, c after each step [B, T, U]")
            .build();

    /** LstmSequence's backward pass through time (internal). */
    public static final OpDef LSTM_SEQUENCE_GRAD = SequenceLoops.loopAttrs(OpDef.builder("LstmSequenceGrad")
            .inputs("u", "h0", "c0", "mask", "gates", "hs", "cs", "dOutputs", "dh", "dc"))
            .shape(LstmSequenceOps::gradShape)
            .notDifferentiable().internal()
            .summary("LstmSequence's backward pass: dxw [B, T, 4U], du [U, 4U], dh0 and dc0 [B, U]").build();

    @Override
    public Collection<OpDef> ops() { return List.of(LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD); }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        // outputs 3-5 (gates, states) only feed this gradient: gradients arriving at them are not followed
        gradients.register(LSTM_SEQUENCE, (c, g) -> {
            if (g[0] == null && g[1] == null && g[2] == null) return new Tensor[5];
            Tensor dOut = g[0] != null ? g[0] : Ops.zerosLike(c.output(0));
            Tensor dh = g[1] != null ? g[1] : Ops.zerosLike(c.output(1));
            Tensor dc = g[2] != null ? g[2] : Ops.zerosLike(c.output(2));
            Tensor[] d = Ops.runMulti(LSTM_SEQUENCE_GRAD, c.attrs(), c.input(1), c.input(2), c.input(3), c.input(4),
                    c.output(3), c.output(4), c.output(5), dOut, dh, dc);
            return new Tensor[] {d[0], d[1], d[2], d[3], null};
        });
    }

    /** Runs the loop; returns {outputs [B, T, U], final h, final c}. {@code mask} may be null. */
    public static Tensor[] run(Tensor xw, Tensor u, Tensor h0, Tensor c0, Tensor mask, boolean goBackwards,
                               boolean zeroOutputForMask) {
        Tensor[] r = Ops.runMulti(LSTM_SEQUENCE, SequenceLoops.attrs(goBackwards, zeroOutputForMask), xw, u, h0, c0,
                SequenceLoops.maskInput(mask));
        return Arrays.copyOf(r, 3);
    }

    private static TensorSpec[] forwardShape(TensorSpec[] in, Attrs a) {
        String op = "LstmSequence";
        if (in[0].dtype() != DType.FLOAT32) throw new OpException(op, "xw must be float32, got " + in[0].dtype());
        for (int i = 1; i < 4; i++) {
            if (in[i].dtype() != DType.FLOAT32) throw new OpException(op, "input " + i + " must be float32, got "
                    + in[i].dtype());
        }
        Shape x = in[0].shape(), u = in[1].shape();
        if (x.rank() != 3 || u.rank() != 2) throw new OpException(op, "xw must be [batch, time, 4 units] and u "
                + "[units, 4 units], got " + x + " and " + u);
        int units = u.dim(0);
        if ((u.dim(1) >= 0 && units >= 0 && u.dim(1) != 4 * units) || (x.dim(2) >= 0 && u.dim(1) >= 0
                && x.dim(2) != u.dim(1))) {
            throw new OpException(op, "xw [batch, time, 4 units] and u [units, 4 units] disagree: " + x + ", " + u);
        }
        Shape state = Shape.of(x.dim(0), units);
        for (int i = 2; i < 4; i++) {
            if (!in[i].shape().isCompatibleWith(state)) throw new OpException(op, (i == 2 ? "h0" : "c0")
                    + " must be [batch, units] = " + state + ", got " + in[i].shape());
        }
        SequenceLoops.checkMask(op, in[4], x);
        TensorSpec seq = new TensorSpec(DType.FLOAT32, Shape.of(x.dim(0), x.dim(1), units));
        TensorSpec st = new TensorSpec(DType.FLOAT32, state);
        return new TensorSpec[] {seq, st, st, new TensorSpec(DType.FLOAT32, x), seq, seq};
    }

    private static TensorSpec[] gradShape(TensorSpec[] in, Attrs a) {
        return new TensorSpec[] {new TensorSpec(DType.FLOAT32, in[4].shape()), in[0], in[1], in[2]};
    }

    @Override
    public void registerKernels(KernelRegistry r) {
        r.register(LSTM_SEQUENCE, CpuDevice.TYPE, DType.FLOAT32, LstmSequenceOps::forward);
        r.register(LSTM_SEQUENCE_GRAD, CpuDevice.TYPE, DType.FLOAT32, LstmSequenceOps::backward);
    }

    private static Tensor[] forward(KernelContext ctx) {
        Tensor xwT = ctx.input(0);
        int batch = xwT.shape().dim(0), time = xwT.shape().dim(1), g = xwT.shape().dim(2), units = g / 4;
        float[] xw = (float[]) xwT.data(), u = (float[]) ctx.input(1).data();
        float[] h0 = (float[]) ctx.input(2).data(), c0 = (float[]) ctx.input(3).data();
        byte[] mask = SequenceLoops.mask(ctx.input(4));
        boolean back = ctx.attrs().getBool("goBackwards"), zeroOut = ctx.attrs().getBool("zeroOutputForMask");
        int seq = batch * time * units;
        float[] out = ctx.allocateFloats(seq), hs = ctx.allocateFloats(seq), cs = ctx.allocateFloats(seq);
        float[] gates = ctx.allocateFloats(batch * time * g);
        float[] tanhC = new float[units];
        for (int k = 0; k < time; k++) {
            int t = back ? time - 1 - k : k;
            for (int b = 0; b < batch; b++) System.arraycopy(xw, (b * time + t) * g, gates, (b * time + k) * g, g);
            // z = xw_t + h_prev · U, written over the copied projection
            if (k == 0) Gemm.sgemm(false, false, batch, g, units, 1f, h0, 0, units, u, 0, g, 1f, gates, 0, time * g);
            else Gemm.sgemm(false, false, batch, g, units, 1f, hs, (k - 1) * units, time * units, u, 0, g, 1f, gates,
                    k * g, time * g);
            for (int b = 0; b < batch; b++) {
                int row = (b * time + k) * g, at = (b * time + k) * units;
                float[] hp = k == 0 ? h0 : hs, cp = k == 0 ? c0 : cs;
                int prev = k == 0 ? b * units : at - units;
                if (!SequenceLoops.live(mask, b, time, t)) {
                    System.arraycopy(hp, prev, hs, at, units);
                    System.arraycopy(cp, prev, cs, at, units);
                    SequenceLoops.maskedOutput(out, at, units, k, h0, b, zeroOut);
                    continue;
                }
                cell(gates, row, units, cp, prev, cs, hs, at, tanhC);
                System.arraycopy(hs, at, out, at, units);
            }
        }
        float[] hT = ctx.allocateFloats(batch * units), cT = ctx.allocateFloats(batch * units);
        for (int b = 0; b < batch; b++) {
            int last = (b * time + time - 1) * units;
            System.arraycopy(hs, last, hT, b * units, units);
            System.arraycopy(cs, last, cT, b * units, units);
        }
        Shape seqShape = Shape.of(batch, time, units), state = Shape.of(batch, units);
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, seqShape, out), Tensor.wrap(DType.FLOAT32, state, hT),
                Tensor.wrap(DType.FLOAT32, state, cT), Tensor.wrap(DType.FLOAT32, xwT.shape(), gates),
                Tensor.wrap(DType.FLOAT32, seqShape, hs), Tensor.wrap(DType.FLOAT32, seqShape, cs)};
    }

    /**
     * One example's step: the gates i, f, c, o at {@code row} (pre-activations in, activations out), the new cell
     * and hidden states at {@code at}. A small method of its own, as in {@link GruSequenceOps}: C2 compiles it once
     * and early, where the whole time loop would run interpreted for long and compile as a large OSR method.
     */
    private static void cell(float[] gates, int row, int units, float[] cp, int prev, float[] cs, float[] hs, int at,
                             float[] tanhC) {
        VectorMath.sigmoid(gates, row, gates, row, 2 * units);
        VectorMath.tanh(gates, row + 2 * units, gates, row + 2 * units, units);
        VectorMath.sigmoid(gates, row + 3 * units, gates, row + 3 * units, units);
        for (int j = 0; j < units; j++) {
            cs[at + j] = gates[row + units + j] * cp[prev + j] + gates[row + j] * gates[row + 2 * units + j];
        }
        VectorMath.tanh(cs, at, tanhC, 0, units);
        for (int j = 0; j < units; j++) hs[at + j] = gates[row + 3 * units + j] * tanhC[j];
    }

    /** One example's step backward: dz into {@code dxw} at {@code dz}, dc and the carried output gradient updated. */
    private static void cellGrad(float[] gates, int row, int units, float[] cp, int prev, float[] cs, int at,
                                 float[] tanhC, float[] dh, float[] dc, float[] dOut, float[] carry, int s, float[] dxw,
                                 int dz) {
        VectorMath.tanh(cs, at, tanhC, 0, units);
        for (int j = 0; j < units; j++) {
            float i = gates[row + j], f = gates[row + units + j], c = gates[row + 2 * units + j];
            float o = gates[row + 3 * units + j], tc = tanhC[j];
            float dhv = dh[s + j] + dOut[at + j] + carry[s + j];
            float dct = dc[s + j] + dhv * o * (1 - tc * tc);
            dxw[dz + j] = dct * c * i * (1 - i);
            dxw[dz + units + j] = dct * cp[prev + j] * f * (1 - f);
            dxw[dz + 2 * units + j] = dct * i * (1 - c * c);
            dxw[dz + 3 * units + j] = dhv * tc * o * (1 - o);
            dc[s + j] = dct * f;
            carry[s + j] = 0f;
        }
    }

    /**
     * dU = Σ h_prevᵀ · dz over every example and timestep, as one product per example over its whole sequence (k =
     * time) instead of a batch-deep product per timestep: the previous states are laid out in dz's time order first
     * (h0 where the sequence starts). Masked timesteps' dz rows are zero, so they add nothing.
     */
    private static void weightGrad(float[] h0, float[] hs, float[] dxw, int batch, int time, int units, boolean back,
                                   float[] du) {
        int g = 4 * units;
        float[] prev = new float[time * units];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                int k = back ? time - 1 - t : t; // the processing step that wrote dz row t
                if (k == 0) System.arraycopy(h0, b * units, prev, t * units, units);
                else System.arraycopy(hs, (b * time + k - 1) * units, prev, t * units, units);
            }
            Gemm.sgemm(true, false, units, g, time, 1f, prev, 0, units, dxw, b * time * g, g, 1f, du, 0, g);
        }
    }

    /** LstmSequenceGrad(u, h0, c0, mask, gates, hs, cs, dOutputs, dh, dc). */
    private static Tensor[] backward(KernelContext ctx) {
        float[] u = (float[]) ctx.input(0).data(), h0 = (float[]) ctx.input(1).data();
        float[] c0 = (float[]) ctx.input(2).data();
        byte[] mask = SequenceLoops.mask(ctx.input(3));
        Tensor gatesT = ctx.input(4);
        float[] gates = (float[]) gatesT.data(), hs = (float[]) ctx.input(5).data();
        float[] cs = (float[]) ctx.input(6).data(), dOut = (float[]) ctx.input(7).data();
        int batch = gatesT.shape().dim(0), time = gatesT.shape().dim(1), g = gatesT.shape().dim(2), units = g / 4;
        boolean back = ctx.attrs().getBool("goBackwards"), zeroOut = ctx.attrs().getBool("zeroOutputForMask");
        float[] dxw = ctx.allocateFloats(batch * time * g), du = ctx.allocateFloats(units * g);
        Arrays.fill(dxw, 0f);
        Arrays.fill(du, 0f);
        float[] dh = ((float[]) ctx.input(8).data()).clone(), dc = ((float[]) ctx.input(9).data()).clone();
        float[] carry = new float[batch * units], dhPrev = new float[batch * units], tanhC = new float[units];
        float[] ut = SequenceLoops.transpose(u, units, g);
        boolean[] live = new boolean[batch];
        for (int k = time - 1; k >= 0; k--) {
            int t = back ? time - 1 - k : k;
            for (int b = 0; b < batch; b++) {
                int at = (b * time + k) * units, s = b * units;
                live[b] = SequenceLoops.live(mask, b, time, t);
                if (!live[b]) {
                    // the states passed through; the output was the previous one (or zero)
                    SequenceLoops.carryMasked(carry, s, dOut, at, units, zeroOut);
                    continue;
                }
                int row = (b * time + k) * g, dz = (b * time + t) * g;
                float[] cp = k == 0 ? c0 : cs;
                int prev = k == 0 ? s : at - units;
                cellGrad(gates, row, units, cp, prev, cs, at, tanhC, dh, dc, dOut, carry, s, dxw, dz);
            }
            // dh_prev = dz · Uᵀ for the rows that stepped
            Gemm.sgemm(false, false, batch, units, g, 1f, dxw, t * g, time * g, ut, 0, units, 0f, dhPrev, 0, units);
            for (int b = 0; b < batch; b++) {
                if (live[b]) System.arraycopy(dhPrev, b * units, dh, b * units, units);
            }
        }
        weightGrad(h0, hs, dxw, batch, time, units, back, du);
        // an output that repeated the initial output (masked first steps) carried its gradient to h0
        for (int i = 0; i < dh.length; i++) dh[i] += carry[i];
        Shape state = Shape.of(batch, units);
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, gatesT.shape(), dxw),
                Tensor.wrap(DType.FLOAT32, Shape.of(units, g), du), Tensor.wrap(DType.FLOAT32, state, dh),
                Tensor.wrap(DType.FLOAT32, state, dc)};
    }
}
