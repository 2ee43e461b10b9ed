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
 * A whole GRU time loop (reset gate after the recurrent matmul, Keras 3's and cuDNN's default) as one op, forward
 * and backward through time, like {@link LstmSequenceOps} for the LSTM.
 * <ul>
 * <li>{@code GruSequence(xw, u, rb, h0, mask; goBackwards, zeroOutputForMask)}: xw [B, T, 3U] = x·W + b (gates z,
 *     r, h), u [U, 3U], rb [3U] the recurrent bias, h0 [B, U], mask [B, T] bool or a scalar (no mask); per timestep
 *     {@code inner = h·U + rb}, {@code z = σ(xw_z + inner_z)}, {@code r = σ(xw_r + inner_r)},
 *     {@code hh = tanh(xw_h + r * inner_h)}, {@code h = z * h + (1 - z) * hh}. Outputs: the outputs [B, T, U] in
 *     processing order, the final h, and for the gradient the gates z, r, hh and inner [B, T, 3U] and the states
 *     after each step [B, T, U].</li>
 * <li>{@code GruSequenceGrad}: dxw, du, drb, dh0. Not differentiable itself.</li>
 * </ul>
 * float32 only.
 */
public final class GruSequenceOps implements OpLibrary {
    /** Made by the {@code ServiceLoader} that registers op libraries. */
    public GruSequenceOps() {}

    /** The GRU time loop: outputs, final h, and the gates, recurrent projections and states for the gradient. */
    public static final OpDef GRU_SEQUENCE = SequenceLoops.loopAttrs(OpDef.builder("GruSequence")
                    .inputs("xw", "u", "rb", "h0", "mask"))
            .shape(GruSequenceOps::forwardShape)
            .summary("reset-after GRU over all timesteps of xw [B, T, 3U] with recurrent kernel u [U, 3U] and bias "
                    + "rb [3U] from h0 [B, U], skipping masked timesteps: outputs [B, T, U], final h, and (for the "
                    + "gradient) the gates and recurrent projections [B, T, 3U] and the states [B, T, U]")
            .build();

    /** GruSequence's backward pass through time (internal). */
    public static final OpDef GRU_SEQUENCE_GRAD = SequenceLoops.loopAttrs(OpDef.builder("GruSequenceGrad")
            .inputs("u", "h0", "mask", "gates", "inner", "hs", "dOutputs", "dh"))
            .shape(GruSequenceOps::gradShape)
            .notDifferentiable().internal()
            .summary("GruSequence's backward pass: dxw [B, T, 3U], du [U, 3U], drb [3U], dh0 [B, U]").build();

    @Override
    public Collection<OpDef> ops() { return List.of(GRU_SEQUENCE, GRU_SEQUENCE_GRAD); }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(GRU_SEQUENCE, (c, g) -> {
            if (g[0] == null && g[1] == null) return new Tensor[5];
            Tensor dOut = g[0] != null ? g[0] : Ops.zerosLike(c.output(0));
            Tensor dh = g[1] != null ? g[1] : Ops.zerosLike(c.output(1));
            Tensor[] d = Ops.runMulti(GRU_SEQUENCE_GRAD, c.attrs(), c.input(1), c.input(3), c.input(4), c.output(2),
                    c.output(3), c.output(4), dOut, dh);
            return new Tensor[] {d[0], d[1], d[2], d[3], null};
        });
    }

    /** Runs the loop; returns {outputs [B, T, U], final h}. {@code mask} may be null. */
    public static Tensor[] run(Tensor xw, Tensor u, Tensor rb, Tensor h0, Tensor mask, boolean goBackwards,
                               boolean zeroOutputForMask) {
        Tensor[] r = Ops.runMulti(GRU_SEQUENCE, SequenceLoops.attrs(goBackwards, zeroOutputForMask), xw, u, rb, h0,
                SequenceLoops.maskInput(mask));
        return Arrays.copyOf(r, 2);
    }

    private static TensorSpec[] forwardShape(TensorSpec[] in, Attrs a) {
        String op = "GruSequence";
        for (int i = 0; i < 4; i++) {
            if (in[i].dtype() != DType.FLOAT32) throw new OpException(op, "input " + i + " must be float32, got "
                    + in[i].dtype());
        }
        Shape x = in[0].shape(), u = in[1].shape();
        if (x.rank() != 3 || u.rank() != 2 || in[2].shape().rank() != 1) throw new OpException(op, "xw must be "
                + "[batch, time, 3 units], u [units, 3 units] and rb [3 units], got " + x + ", " + u + ", "
                + in[2].shape());
        int units = u.dim(0);
        if ((u.dim(1) >= 0 && units >= 0 && u.dim(1) != 3 * units) || (x.dim(2) >= 0 && u.dim(1) >= 0
                && x.dim(2) != u.dim(1)) || !in[2].shape().isCompatibleWith(Shape.of(u.dim(1)))) {
            throw new OpException(op, "xw, u and rb disagree on 3 units: " + x + ", " + u + ", " + in[2].shape());
        }
        Shape state = Shape.of(x.dim(0), units);
        if (!in[3].shape().isCompatibleWith(state)) throw new OpException(op, "h0 must be [batch, units] = " + state
                + ", got " + in[3].shape());
        SequenceLoops.checkMask(op, in[4], x);
        TensorSpec seq = new TensorSpec(DType.FLOAT32, Shape.of(x.dim(0), x.dim(1), units));
        TensorSpec wide = new TensorSpec(DType.FLOAT32, x);
        return new TensorSpec[] {seq, new TensorSpec(DType.FLOAT32, state), wide, wide, seq};
    }

    private static TensorSpec[] gradShape(TensorSpec[] in, Attrs a) {
        return new TensorSpec[] {in[3], in[0], new TensorSpec(DType.FLOAT32, Shape.of(in[0].shape().dim(1))), in[1]};
    }

    @Override
    public void registerKernels(KernelRegistry r) {
        r.register(GRU_SEQUENCE, CpuDevice.TYPE, DType.FLOAT32, GruSequenceOps::forward);
        r.register(GRU_SEQUENCE_GRAD, CpuDevice.TYPE, DType.FLOAT32, GruSequenceOps::backward);
    }

    private static Tensor[] forward(KernelContext ctx) {
        Tensor xwT = ctx.input(0);
        int batch = xwT.shape().dim(0), time = xwT.shape().dim(1), g = xwT.shape().dim(2), units = g / 3;
        float[] xw = (float[]) xwT.data(), u = (float[]) ctx.input(1).data(), rb = (float[]) ctx.input(2).data();
        float[] h0 = (float[]) ctx.input(3).data();
        byte[] mask = SequenceLoops.mask(ctx.input(4));
        boolean back = ctx.attrs().getBool("goBackwards"), zeroOut = ctx.attrs().getBool("zeroOutputForMask");
        int seq = batch * time * units;
        float[] out = ctx.allocateFloats(seq), hs = ctx.allocateFloats(seq);
        float[] gates = ctx.allocateFloats(batch * time * g), inner = ctx.allocateFloats(batch * time * g);
        for (int k = 0; k < time; k++) {
            int t = back ? time - 1 - k : k;
            for (int b = 0; b < batch; b++) System.arraycopy(rb, 0, inner, (b * time + k) * g, g);
            // inner = h_prev · U + rb, written over the copied bias
            if (k == 0) Gemm.sgemm(false, false, batch, g, units, 1f, h0, 0, units, u, 0, g, 1f, inner, 0, time * g);
            else Gemm.sgemm(false, false, batch, g, units, 1f, hs, (k - 1) * units, time * units, u, 0, g, 1f, inner,
                    k * g, time * g);
            for (int b = 0; b < batch; b++) {
                int row = (b * time + k) * g, x = (b * time + t) * g, at = (b * time + k) * units;
                float[] hp = k == 0 ? h0 : hs;
                int prev = k == 0 ? b * units : at - units;
                if (!SequenceLoops.live(mask, b, time, t)) {
                    System.arraycopy(hp, prev, hs, at, units);
                    SequenceLoops.maskedOutput(out, at, units, k, h0, b, zeroOut);
                    continue;
                }
                cell(xw, x, inner, gates, row, units, hp, prev, hs, at);
                System.arraycopy(hs, at, out, at, units);
            }
        }
        float[] hT = ctx.allocateFloats(batch * units);
        for (int b = 0; b < batch; b++) System.arraycopy(hs, (b * time + time - 1) * units, hT, b * units, units);
        Shape seqShape = Shape.of(batch, time, units);
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, seqShape, out),
                Tensor.wrap(DType.FLOAT32, Shape.of(batch, units), hT), Tensor.wrap(DType.FLOAT32, xwT.shape(), gates),
                Tensor.wrap(DType.FLOAT32, xwT.shape(), inner), Tensor.wrap(DType.FLOAT32, seqShape, hs)};
    }

    /**
     * One example's step: gates z, r (rows {@code row..row+2U}) and hh ({@code row+2U..}) from the projection at
     * {@code x} and {@code inner}, the new state into {@code hs[at..]}. Its own method, as the cells of the other
     * loops: a small method C2 compiles once and early, where the whole loop would run interpreted for long and
     * compile (and recompile on new paths) as a large OSR method.
     */
    private static void cell(float[] xw, int x, float[] inner, float[] gates, int row, int units, float[] hp, int prev,
                             float[] hs, int at) {
        for (int j = 0; j < 2 * units; j++) gates[row + j] = xw[x + j] + inner[row + j];
        VectorMath.sigmoid(gates, row, gates, row, 2 * units);
        int hb = row + 2 * units;
        for (int j = 0; j < units; j++) {
            gates[hb + j] = xw[x + 2 * units + j] + gates[row + units + j] * inner[hb + j];
        }
        VectorMath.tanh(gates, hb, gates, hb, units);
        for (int j = 0; j < units; j++) {
            float z = gates[row + j];
            hs[at + j] = z * hp[prev + j] + (1 - z) * gates[hb + j];
        }
    }

    /** One example's step backward: dxw at {@code x}, dInner at {@code di}, the direct part of dh (row {@code s}). */
    private static void cellGrad(float[] gates, float[] inner, int row, int units, float[] hp, int prev, float[] dh,
                                 float[] dOut, float[] carry, int s, int at, float[] dxw, int x, float[] dInner,
                                 int di) {
        for (int j = 0; j < units; j++) {
            float z = gates[row + j], r = gates[row + units + j], hh = gates[row + 2 * units + j];
            float dhv = dh[s + j] + dOut[at + j] + carry[s + j];
            float dA = dhv * (1 - z) * (1 - hh * hh);
            float dZ = dhv * (hp[prev + j] - hh) * z * (1 - z);
            float dR = dA * inner[row + 2 * units + j] * r * (1 - r);
            dxw[x + j] = dZ;
            dxw[x + units + j] = dR;
            dxw[x + 2 * units + j] = dA;
            dInner[di + j] = dZ;
            dInner[di + units + j] = dR;
            dInner[di + 2 * units + j] = dA * r;
            dh[s + j] = dhv * z;   // the direct path; dInner · Uᵀ is added below
            carry[s + j] = 0f;
        }
    }

    /** GruSequenceGrad(u, h0, mask, gates, inner, hs, dOutputs, dh). */
    private static Tensor[] backward(KernelContext ctx) {
        float[] u = (float[]) ctx.input(0).data(), h0 = (float[]) ctx.input(1).data();
        byte[] mask = SequenceLoops.mask(ctx.input(2));
        Tensor gatesT = ctx.input(3);
        float[] gates = (float[]) gatesT.data(), inner = (float[]) ctx.input(4).data();
        float[] hs = (float[]) ctx.input(5).data(), dOut = (float[]) ctx.input(6).data();
        int batch = gatesT.shape().dim(0), time = gatesT.shape().dim(1), g = gatesT.shape().dim(2), units = g / 3;
        boolean back = ctx.attrs().getBool("goBackwards"), zeroOut = ctx.attrs().getBool("zeroOutputForMask");
        float[] dxw = ctx.allocateFloats(batch * time * g), du = ctx.allocateFloats(units * g);
        float[] drb = ctx.allocateFloats(g);
        Arrays.fill(dxw, 0f);
        Arrays.fill(du, 0f);
        Arrays.fill(drb, 0f);
        float[] dh = ((float[]) ctx.input(7).data()).clone();
        float[] carry = new float[batch * units], dInner = new float[batch * g], dhPrev = new float[batch * units];
        float[] ut = SequenceLoops.transpose(u, units, g);
        boolean[] live = new boolean[batch];
        for (int k = time - 1; k >= 0; k--) {
            int t = back ? time - 1 - k : k;
            Arrays.fill(dInner, 0f);
            for (int b = 0; b < batch; b++) {
                int at = (b * time + k) * units, s = b * units;
                live[b] = SequenceLoops.live(mask, b, time, t);
                if (!live[b]) {
                    SequenceLoops.carryMasked(carry, s, dOut, at, units, zeroOut);
                    continue;
                }
                int row = (b * time + k) * g, x = (b * time + t) * g, di = b * g;
                float[] hp = k == 0 ? h0 : hs;
                int prev = k == 0 ? s : at - units;
                cellGrad(gates, inner, row, units, hp, prev, dh, dOut, carry, s, at, dxw, x, dInner, di);
                for (int j = 0; j < g; j++) drb[j] += dInner[di + j];
            }
            Gemm.sgemm(false, false, batch, units, g, 1f, dInner, 0, g, ut, 0, units, 0f, dhPrev, 0, units);
            for (int b = 0; b < batch; b++) {
                if (!live[b]) continue;
                for (int j = 0; j < units; j++) dh[b * units + j] += dhPrev[b * units + j];
            }
            if (k == 0) Gemm.sgemm(true, false, units, g, batch, 1f, h0, 0, units, dInner, 0, g, 1f, du, 0, g);
            else Gemm.sgemm(true, false, units, g, batch, 1f, hs, (k - 1) * units, time * units, dInner, 0, g, 1f, du,
                    0, g);
        }
        for (int i = 0; i < dh.length; i++) dh[i] += carry[i];
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, gatesT.shape(), dxw),
                Tensor.wrap(DType.FLOAT32, Shape.of(units, g), du), Tensor.wrap(DType.FLOAT32, Shape.of(g), drb),
                Tensor.wrap(DType.FLOAT32, Shape.of(batch, units), dh)};
    }
}
