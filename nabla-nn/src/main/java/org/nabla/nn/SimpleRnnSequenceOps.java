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
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * A whole SimpleRNN time loop (tanh or relu) as one op, forward and backward through time, like {@link GruSequenceOps}
 * for the GRU.
 * <ul>
 * <li>{@code SimpleRnnSequence(xw, u, h0, mask; goBackwards, zeroOutputForMask, activation)}: xw [B, T, U] = x·W + b,
 *     u [U, U], h0 [B, U], mask [B, T] bool or a scalar (no mask); per timestep {@code h = act(xw + h·U)} with act
 *     TANH (default) or RELU, a masked step keeping h. Outputs: the outputs [B, T, U] in processing order, the final
 *     h, and for the gradient the states after each step [B, T, U] (tanh's derivative is {@code 1 - h²}, relu's
 *     {@code h > 0}, so nothing else is kept).</li>
 * <li>{@code SimpleRnnSequenceGrad}: dxw, du, dh0. Not differentiable itself.</li>
 * </ul>
 * float32 only (float64 layers keep the unrolled steps).
 */
public final class SimpleRnnSequenceOps implements OpLibrary {
    /** Made by the {@code ServiceLoader} that registers op libraries. */
    public SimpleRnnSequenceOps() {}

    /** The SimpleRNN time loop: outputs, final h, and the states for the gradient. */
    public static final OpDef SIMPLE_RNN_SEQUENCE = SequenceLoops.loopAttrs(OpDef.builder("SimpleRnnSequence")
                    .inputs("xw", "u", "h0", "mask"))
            .attr("activation", AttrType.STRING, "TANH")
            .shape(SimpleRnnSequenceOps::forwardShape)
            .summary("tanh or relu SimpleRNN over all timesteps of xw [B, T, U] with recurrent kernel u [U, U] from h0 "
                    + "[B, U], skipping masked timesteps: outputs [B, T, U], final h, and (for the gradient) the "
                    + "states [B, T, U]")
            .build();

    /** SimpleRnnSequence's backward pass through time (internal). */
    public static final OpDef SIMPLE_RNN_SEQUENCE_GRAD = SequenceLoops.loopAttrs(
                    OpDef.builder("SimpleRnnSequenceGrad").inputs("u", "h0", "mask", "hs", "dOutputs", "dh"))
            .attr("activation", AttrType.STRING, "TANH")
            .shape((in, a) -> new TensorSpec[] {in[3], in[0], in[1]})
            .notDifferentiable().internal()
            .summary("SimpleRnnSequence's backward pass: dxw [B, T, U], du [U, U], dh0 [B, U]").build();

    @Override
    public Collection<OpDef> ops() { return List.of(SIMPLE_RNN_SEQUENCE, SIMPLE_RNN_SEQUENCE_GRAD); }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(SIMPLE_RNN_SEQUENCE, (c, g) -> {
            if (g[0] == null && g[1] == null) return new Tensor[4];
            Tensor dOut = g[0] != null ? g[0] : Ops.zerosLike(c.output(0));
            Tensor dh = g[1] != null ? g[1] : Ops.zerosLike(c.output(1));
            Tensor[] d = Ops.runMulti(SIMPLE_RNN_SEQUENCE_GRAD, c.attrs(), c.input(1), c.input(2), c.input(3),
                    c.output(2), dOut, dh);
            return new Tensor[] {d[0], d[1], d[2], null};
        });
    }

    /** The activations the loop runs, as its {@code activation} attribute spells them. */
    public static final List<String> ACTIVATIONS = List.of("TANH", "RELU");

    /** Runs the tanh loop; returns {outputs [B, T, U], final h}. {@code mask} may be null. */
    public static Tensor[] run(Tensor xw, Tensor u, Tensor h0, Tensor mask, boolean goBackwards,
                               boolean zeroOutputForMask) {
        return run(xw, u, h0, mask, goBackwards, zeroOutputForMask, "TANH");
    }

    /** Runs the loop with {@code activation} (one of {@link #ACTIVATIONS}); returns {outputs, final h}. */
    public static Tensor[] run(Tensor xw, Tensor u, Tensor h0, Tensor mask, boolean goBackwards,
                               boolean zeroOutputForMask, String activation) {
        Tensor[] r = Ops.runMulti(SIMPLE_RNN_SEQUENCE, SequenceLoops.attrs(goBackwards, zeroOutputForMask)
                .with("activation", activation), xw, u, h0, SequenceLoops.maskInput(mask));
        return Arrays.copyOf(r, 2);
    }

    private static TensorSpec[] forwardShape(TensorSpec[] in, Attrs a) {
        String op = "SimpleRnnSequence";
        if (!ACTIVATIONS.contains(a.getString("activation"))) {
            throw new OpException(op, "activation must be one of " + ACTIVATIONS + ", got " + a.getString("activation"));
        }
        for (int i = 0; i < 3; i++) {
            if (in[i].dtype() != DType.FLOAT32) throw new OpException(op, "input " + i + " must be float32, got "
                    + in[i].dtype());
        }
        Shape x = in[0].shape(), u = in[1].shape();
        if (x.rank() != 3 || u.rank() != 2) {
            throw new OpException(op, "xw must be [batch, time, units] and u [units, units], got " + x + ", " + u);
        }
        int units = u.dim(0);
        if ((u.dim(1) >= 0 && units >= 0 && u.dim(1) != units) || (x.dim(2) >= 0 && units >= 0 && x.dim(2) != units)) {
            throw new OpException(op, "xw and u disagree on the units: " + x + ", " + u);
        }
        Shape state = Shape.of(x.dim(0), units);
        if (!in[2].shape().isCompatibleWith(state)) throw new OpException(op, "h0 must be [batch, units] = " + state
                + ", got " + in[2].shape());
        SequenceLoops.checkMask(op, in[3], x);
        TensorSpec seq = new TensorSpec(DType.FLOAT32, Shape.of(x.dim(0), x.dim(1), units));
        return new TensorSpec[] {seq, new TensorSpec(DType.FLOAT32, state), seq};
    }

    @Override
    public void registerKernels(KernelRegistry r) {
        r.register(SIMPLE_RNN_SEQUENCE, CpuDevice.TYPE, DType.FLOAT32, SimpleRnnSequenceOps::forward);
        r.register(SIMPLE_RNN_SEQUENCE_GRAD, CpuDevice.TYPE, DType.FLOAT32, SimpleRnnSequenceOps::backward);
    }

    private static Tensor[] forward(KernelContext ctx) {
        Tensor xwT = ctx.input(0);
        int batch = xwT.shape().dim(0), time = xwT.shape().dim(1), units = xwT.shape().dim(2);
        float[] xw = (float[]) xwT.data(), u = (float[]) ctx.input(1).data(), h0 = (float[]) ctx.input(2).data();
        byte[] mask = SequenceLoops.mask(ctx.input(3));
        boolean back = ctx.attrs().getBool("goBackwards"), zeroOut = ctx.attrs().getBool("zeroOutputForMask");
        boolean relu = ctx.attrs().getString("activation").equals("RELU");
        int seq = batch * time * units;
        float[] out = ctx.allocateFloats(seq), hs = ctx.allocateFloats(seq);
        for (int k = 0; k < time; k++) {
            int t = back ? time - 1 - k : k;
            // hs[:, k] = xw[:, t] + h_prev · U: the projection copied, the product added onto it
            for (int b = 0; b < batch; b++) {
                System.arraycopy(xw, (b * time + t) * units, hs, (b * time + k) * units, units);
            }
            if (k == 0) Gemm.sgemm(false, false, batch, units, units, 1f, h0, 0, units, u, 0, units, 1f, hs, 0,
                    time * units);
            else Gemm.sgemm(false, false, batch, units, units, 1f, hs, (k - 1) * units, time * units, u, 0, units, 1f,
                    hs, k * units, time * units);
            for (int b = 0; b < batch; b++) {
                int at = (b * time + k) * units;
                if (!SequenceLoops.live(mask, b, time, t)) {
                    if (k == 0) System.arraycopy(h0, b * units, hs, at, units);
                    else System.arraycopy(hs, at - units, hs, at, units);
                    SequenceLoops.maskedOutput(out, at, units, k, h0, b, zeroOut);
                    continue;
                }
                if (relu) for (int j = at; j < at + units; j++) hs[j] = Math.max(hs[j], 0f);
                else VectorMath.tanh(hs, at, hs, at, units);
                System.arraycopy(hs, at, out, at, units);
            }
        }
        float[] hT = ctx.allocateFloats(batch * units);
        for (int b = 0; b < batch; b++) System.arraycopy(hs, (b * time + time - 1) * units, hT, b * units, units);
        Shape seqShape = Shape.of(batch, time, units);
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, seqShape, out),
                Tensor.wrap(DType.FLOAT32, Shape.of(batch, units), hT), Tensor.wrap(DType.FLOAT32, seqShape, hs)};
    }

    /** SimpleRnnSequenceGrad(u, h0, mask, hs, dOutputs, dh). */
    private static Tensor[] backward(KernelContext ctx) {
        float[] u = (float[]) ctx.input(0).data(), h0 = (float[]) ctx.input(1).data();
        byte[] mask = SequenceLoops.mask(ctx.input(2));
        Tensor hsT = ctx.input(3);
        float[] hs = (float[]) hsT.data(), dOut = (float[]) ctx.input(4).data();
        int batch = hsT.shape().dim(0), time = hsT.shape().dim(1), units = hsT.shape().dim(2);
        boolean back = ctx.attrs().getBool("goBackwards"), zeroOut = ctx.attrs().getBool("zeroOutputForMask");
        boolean relu = ctx.attrs().getString("activation").equals("RELU");
        float[] dxw = ctx.allocateFloats(batch * time * units), du = ctx.allocateFloats(units * units);
        Arrays.fill(dxw, 0f);
        Arrays.fill(du, 0f);
        float[] dh = ((float[]) ctx.input(5).data()).clone();
        float[] carry = new float[batch * units], dA = new float[batch * units], dhPrev = new float[batch * units];
        float[] ut = SequenceLoops.transpose(u, units, units);
        boolean[] live = new boolean[batch];
        for (int k = time - 1; k >= 0; k--) {
            int t = back ? time - 1 - k : k;
            Arrays.fill(dA, 0f);
            for (int b = 0; b < batch; b++) {
                int at = (b * time + k) * units, s = b * units;
                live[b] = SequenceLoops.live(mask, b, time, t);
                if (!live[b]) {   // the state passes through; the repeated output's gradient waits for a live step
                    SequenceLoops.carryMasked(carry, s, dOut, at, units, zeroOut);
                    continue;
                }
                int x = (b * time + t) * units;
                for (int j = 0; j < units; j++) {
                    float h = hs[at + j];
                    float slope = relu ? (h > 0 ? 1f : 0f) : 1 - h * h;   // from the output alone
                    float d = (dh[s + j] + dOut[at + j] + carry[s + j]) * slope;
                    dA[s + j] = d;
                    dxw[x + j] = d;
                    carry[s + j] = 0f;
                }
            }
            Gemm.sgemm(false, false, batch, units, units, 1f, dA, 0, units, ut, 0, units, 0f, dhPrev, 0, units);
            for (int b = 0; b < batch; b++) {
                if (live[b]) System.arraycopy(dhPrev, b * units, dh, b * units, units);
            }
            if (k == 0) Gemm.sgemm(true, false, units, units, batch, 1f, h0, 0, units, dA, 0, units, 1f, du, 0, units);
            else Gemm.sgemm(true, false, units, units, batch, 1f, hs, (k - 1) * units, time * units, dA, 0, units, 1f,
                    du, 0, units);
        }
        for (int i = 0; i < dh.length; i++) dh[i] += carry[i];
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, hsT.shape(), dxw),
                Tensor.wrap(DType.FLOAT32, Shape.of(units, units), du),
                Tensor.wrap(DType.FLOAT32, Shape.of(batch, units), dh)};
    }
}
