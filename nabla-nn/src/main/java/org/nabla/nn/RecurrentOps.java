package org.nabla.nn;

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
import org.nabla.kernels.cpu.Parallel;
import org.nabla.kernels.cpu.VectorMath;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.Infer;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * The fused recurrent cells: one op for the elementwise part of an LSTM or GRU timestep, which unfused is a Split,
 * three Sigmoids, two Tanhs, three Muls and an Add (an LSTM; and twice as many backward ops), each a pass over
 * [batch, units] memory and a node for the executor.
 * <ul>
 * <li>{@code LstmCell(z, cPrev)}: z [batch, 4 units] the gate pre-activations (x·W + h·U + b, Keras' order i, f,
 *     c, o), cPrev [batch, units]; outputs {@code h = σ(z_o) * tanh(c)} and
 *     {@code c = σ(z_f) * cPrev + σ(z_i) * tanh(z_c)}, and the activated gates [batch, 4 units] for the
 *     gradient.</li>
 * <li>{@code LstmCellGrad(act, cPrev, c, dh, dc)}: its gradient, outputs dz and dcPrev (from the forward's gates;
 *     only tanh(c) is recomputed). Not differentiable itself: a second derivative through a fused cell is not
 *     supported.</li>
 * <li>{@code GruCell(xw, inner, hPrev)}: a GRU timestep with the reset gate after the recurrent matmul (Keras'
 *     default): xw = x·W + b and inner = h·U + b' [batch, 3 units] (z, r, h), hPrev [batch, units]; outputs
 *     {@code h = z * hPrev + (1 - z) * tanh(xw_h + r * inner_h)}, {@code z = σ(xw_z + inner_z)},
 *     {@code r = σ(xw_r + inner_r)}; also outputs the gates z, r, hh [batch, 3 units] for the gradient.</li>
 * <li>{@code GruCellGrad(inner, hPrev, gates, dh)}: its gradient (dxw, dinner, dhPrev) from the forward's gates
 *     (no activation is recomputed); not differentiable itself.</li>
 * </ul>
 * float32 runs the activations vectorized (core's {@code VectorMath}), float64 through {@code Math}. An
 * {@link OpLibrary} listed in nabla-nn's {@code META-INF/services/org.nabla.kernels.OpLibrary}.
 */
public final class RecurrentOps implements OpLibrary {
    /** Made by the {@code ServiceLoader} that registers op libraries. */
    public RecurrentOps() {}

    /** LSTM timestep: z [B, 4U] and cPrev [B, U] to h, c and the activated gates. */
    public static final OpDef LSTM_CELL = OpDef.builder("LstmCell").inputs("z", "cPrev")
            .shape(RecurrentOps::cellShape)
            .summary("LSTM timestep from gate pre-activations z [B, 4U] (i, f, c, o) and cPrev [B, U]: outputs h, c "
                    + "and the activated gates [B, 4U] (kept for the gradient)")
            .build();

    /** LstmCell's backward pass (internal). */
    public static final OpDef LSTM_CELL_GRAD = OpDef.builder("LstmCellGrad").inputs("act", "cPrev", "c", "dh", "dc")
            .shape(RecurrentOps::gradShape)
            .notDifferentiable().internal()
            .summary("LstmCell's backward pass: dz [B, 4U] and dcPrev [B, U]").build();

    /** Reset-after GRU timestep: xw, inner [B, 3U] and hPrev [B, U] to h and the gates. */
    public static final OpDef GRU_CELL = OpDef.builder("GruCell").inputs("xw", "inner", "hPrev")
            .shape(RecurrentOps::gruShape)
            .summary("GRU timestep (reset after): xw = x·W + b, inner = h·U + b' [B, 3U] (z, r, h), hPrev [B, U]: "
                    + "outputs h and the gates z, r, hh [B, 3U] (kept for the gradient)").build();

    /** GruCell's backward pass (internal). */
    public static final OpDef GRU_CELL_GRAD = OpDef.builder("GruCellGrad").inputs("inner", "hPrev", "gates", "dh")
            .shape(RecurrentOps::gruGradShape)
            .notDifferentiable().internal()
            .summary("GruCell's backward pass: dxw, dinner [B, 3U] and dhPrev [B, U]").build();

    @Override
    public Collection<OpDef> ops() { return List.of(LSTM_CELL, LSTM_CELL_GRAD, GRU_CELL, GRU_CELL_GRAD); }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        // the activated gates (output 2) only feed these gradients: a gradient arriving at them is not followed
        gradients.register(LSTM_CELL, (c, g) -> {
            if (g[0] == null && g[1] == null) return new Tensor[2];
            Tensor dh = g[0] != null ? g[0] : Ops.zerosLike(c.output(0));
            Tensor dc = g[1] != null ? g[1] : Ops.zerosLike(c.output(1));
            return Ops.runMulti(LSTM_CELL_GRAD, Attrs.EMPTY, c.output(2), c.input(1), c.output(1), dh, dc);
        });
        // the gates output only feeds this gradient: a gradient arriving at it is not followed
        gradients.register(GRU_CELL, (c, g) -> g[0] == null ? new Tensor[3]
                : Ops.runMulti(GRU_CELL_GRAD, Attrs.EMPTY, c.input(1), c.input(2), c.output(1), g[0]));
    }

    /** One GRU timestep with the reset gate after the recurrent matmul (Keras' default); returns h. */
    public static Tensor gruCell(Tensor xw, Tensor inner, Tensor hPrev) {
        return Ops.runMulti(GRU_CELL, Attrs.EMPTY, xw, inner, hPrev)[0];
    }

    /** One LSTM timestep's gates; returns {h, c}. */
    public static Tensor[] lstmCell(Tensor z, Tensor cPrev) {
        return java.util.Arrays.copyOf(Ops.runMulti(LSTM_CELL, Attrs.EMPTY, z, cPrev), 2);
    }

    private static TensorSpec[] cellShape(TensorSpec[] in, Attrs a) {
        Shape c = checkCell("LstmCell", in[0], in[1]);
        return new TensorSpec[] {new TensorSpec(in[0].dtype(), c), new TensorSpec(in[0].dtype(), c), in[0]};
    }

    private static TensorSpec[] gruShape(TensorSpec[] in, Attrs a) {
        return new TensorSpec[] {new TensorSpec(in[0].dtype(), checkGru("GruCell", in)), in[0]};
    }

    private static TensorSpec[] gruGradShape(TensorSpec[] in, Attrs a) {
        Shape h = checkGru("GruCellGrad", new TensorSpec[] {in[2], in[0], in[1]});
        Infer.sameDType("GruCellGrad", in[0], in[3]);
        if (!in[3].shape().isCompatibleWith(h)) {
            throw new OpException("GruCellGrad", "dh must be shaped like hPrev " + h + ", got " + in[3].shape());
        }
        return new TensorSpec[] {in[2], in[0], new TensorSpec(in[0].dtype(), h)};
    }

    private static Shape checkGru(String op, TensorSpec[] in) {
        Infer.requireFloating(op, "xw", in[0]);
        Infer.sameDType(op, in[0], in[1]);
        Infer.sameDType(op, in[0], in[2]);
        Shape x = in[0].shape(), inner = in[1].shape(), h = in[2].shape();
        if (x.rank() != 2 || inner.rank() != 2 || h.rank() != 2 || !x.isCompatibleWith(inner)
                || (x.dim(1) >= 0 && h.dim(1) >= 0 && x.dim(1) != 3 * h.dim(1))
                || (x.dim(0) >= 0 && h.dim(0) >= 0 && x.dim(0) != h.dim(0))) {
            throw new OpException(op, "xw and inner must both be [batch, 3 units] for hPrev [batch, units], got " + x
                    + ", " + inner + " and " + h);
        }
        return h;
    }

    private static TensorSpec[] gradShape(TensorSpec[] in, Attrs a) {
        Shape c = checkCell("LstmCellGrad", in[0], in[1]);   // act is shaped like z
        for (int i = 2; i < 5; i++) {
            Infer.sameDType("LstmCellGrad", in[0], in[i]);
            if (!in[i].shape().isCompatibleWith(c)) {
                throw new OpException("LstmCellGrad", "input " + i + " must be shaped like cPrev " + c + ", got "
                        + in[i].shape());
            }
        }
        return new TensorSpec[] {in[0], new TensorSpec(in[0].dtype(), c)};
    }

    private static Shape checkCell(String op, TensorSpec z, TensorSpec cPrev) {
        Infer.requireFloating(op, "z", z);
        Infer.sameDType(op, z, cPrev);
        Shape zs = z.shape(), cs = cPrev.shape();
        if (zs.rank() != 2 || cs.rank() != 2) {
            throw new OpException(op, "z and cPrev must be [batch, 4 units] and [batch, units], got " + zs + " and "
                    + cs);
        }
        int units = cs.dim(1), batch = zs.dim(0) >= 0 ? zs.dim(0) : cs.dim(0);
        if ((zs.dim(1) >= 0 && units >= 0 && zs.dim(1) != 4 * units)
                || (zs.dim(0) >= 0 && cs.dim(0) >= 0 && zs.dim(0) != cs.dim(0))) {
            throw new OpException(op, "z must be [batch, 4 units] for cPrev [batch, units] = " + cs + ", got " + zs);
        }
        return Shape.of(batch, units >= 0 ? units : (zs.dim(1) >= 0 ? zs.dim(1) / 4 : -1));
    }

    @Override
    public void registerKernels(KernelRegistry r) {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            r.register(LSTM_CELL, CpuDevice.TYPE, d, RecurrentOps::forwardKernel);
            r.register(LSTM_CELL_GRAD, CpuDevice.TYPE, d, RecurrentOps::backwardKernel);
            r.register(GRU_CELL, CpuDevice.TYPE, d, RecurrentOps::gruForwardKernel);
            r.register(GRU_CELL_GRAD, CpuDevice.TYPE, d, RecurrentOps::gruBackwardKernel);
        }
    }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** The activations of one row of z (float32) into act at the same offset: σ over i, f; tanh over c; σ over o. */
    private static void activate(float[] z, int row, int units, float[] act) {
        VectorMath.sigmoid(z, row, act, row, 2 * units);
        VectorMath.tanh(z, row + 2 * units, act, row + 2 * units, units);
        VectorMath.sigmoid(z, row + 3 * units, act, row + 3 * units, units);
    }

    private static Tensor[] forwardFloat(KernelContext ctx, Tensor zt, Tensor ct) {
        int batch = ct.shape().dim(0), units = ct.shape().dim(1), n = batch * units;
        float[] z = (float[]) zt.data(), cPrev = (float[]) ct.data();
        float[] h = ctx.allocateFloats(n), c = ctx.allocateFloats(n), act = ctx.allocateFloats(4 * n);
        Parallel.forRange(batch, Math.max(1, 8192 / Math.max(1, units)), (from, to) -> {
            for (int b = from; b < to; b++) {
                int row = b * 4 * units, cr = b * units;
                activate(z, row, units, act);
                for (int j = 0; j < units; j++) {
                    c[cr + j] = act[row + units + j] * cPrev[cr + j] + act[row + j] * act[row + 2 * units + j];
                }
                VectorMath.tanh(c, cr, h, cr, units);
                for (int j = 0; j < units; j++) h[cr + j] *= act[row + 3 * units + j];
            }
        });
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, ct.shape(), h), Tensor.wrap(DType.FLOAT32, ct.shape(), c),
                Tensor.wrap(DType.FLOAT32, zt.shape(), act)};
    }

    private static Tensor[] backwardFloat(KernelContext ctx, Tensor at, Tensor ct) {
        int batch = ct.shape().dim(0), units = ct.shape().dim(1), n = batch * units;
        float[] act = (float[]) at.data(), cPrev = (float[]) ct.data(), c = (float[]) ctx.input(2).data();
        float[] dh = (float[]) ctx.input(3).data(), dc = (float[]) ctx.input(4).data();
        float[] dz = ctx.allocateFloats(4 * n), dcPrev = ctx.allocateFloats(n);
        Parallel.forRange(batch, Math.max(1, 8192 / Math.max(1, units)), (from, to) -> {
            float[] tc = new float[units];
            for (int b = from; b < to; b++) {
                int zr = b * 4 * units, cr = b * units;
                VectorMath.tanh(c, cr, tc, 0, units);
                for (int j = 0; j < units; j++) {
                    float i = act[zr + j], f = act[zr + units + j], g = act[zr + 2 * units + j];
                    float o = act[zr + 3 * units + j], t = tc[j], dhv = dh[cr + j];
                    float dct = dc[cr + j] + dhv * o * (1 - t * t);   // all paths into c
                    dz[zr + j] = dct * g * i * (1 - i);
                    dz[zr + units + j] = dct * cPrev[cr + j] * f * (1 - f);
                    dz[zr + 2 * units + j] = dct * i * (1 - g * g);
                    dz[zr + 3 * units + j] = dhv * t * o * (1 - o);
                    dcPrev[cr + j] = dct * f;
                }
            }
        });
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, at.shape(), dz), Tensor.wrap(DType.FLOAT32, ct.shape(), dcPrev)};
    }

    private static Tensor[] forwardKernel(KernelContext ctx) {
        Tensor zt = ctx.input(0), ct = ctx.input(1);
        if (zt.dtype() == DType.FLOAT32) return forwardFloat(ctx, zt, ct);
        int batch = ct.shape().dim(0), units = ct.shape().dim(1), n = batch * units;
        Values z = Values.of(zt), cPrev = Values.of(ct);
        Values h = Values.allocate(ctx, zt.dtype(), n), c = Values.allocate(ctx, zt.dtype(), n);
        Values act = Values.allocate(ctx, zt.dtype(), 4 * n);
        for (int b = 0; b < batch; b++) {
            int zr = b * 4 * units, cr = b * units;
            for (int j = 0; j < units; j++) {
                double i = sigmoid(z.get(zr + j)), f = sigmoid(z.get(zr + units + j));
                double g = Math.tanh(z.get(zr + 2 * units + j)), o = sigmoid(z.get(zr + 3 * units + j));
                act.set(zr + j, i);
                act.set(zr + units + j, f);
                act.set(zr + 2 * units + j, g);
                act.set(zr + 3 * units + j, o);
                double cv = f * cPrev.get(cr + j) + i * g;
                c.set(cr + j, cv);
                h.set(cr + j, o * Math.tanh(cv));
            }
        }
        return new Tensor[] {h.tensor(ct.shape()), c.tensor(ct.shape()), act.tensor(zt.shape())};
    }

    /** LstmCellGrad(act, cPrev, c, dh, dc): the activated gates come from the forward pass. */
    private static Tensor[] backwardKernel(KernelContext ctx) {
        Tensor at = ctx.input(0), ct = ctx.input(1);
        if (at.dtype() == DType.FLOAT32) return backwardFloat(ctx, at, ct);
        int batch = ct.shape().dim(0), units = ct.shape().dim(1), n = batch * units;
        Values act = Values.of(at), cPrev = Values.of(ct), c = Values.of(ctx.input(2));
        Values dh = Values.of(ctx.input(3)), dc = Values.of(ctx.input(4));
        Values dz = Values.allocate(ctx, at.dtype(), 4 * n), dcPrev = Values.allocate(ctx, at.dtype(), n);
        for (int b = 0; b < batch; b++) {
            int zr = b * 4 * units, cr = b * units;
            for (int j = 0; j < units; j++) {
                double i = act.get(zr + j), f = act.get(zr + units + j);
                double g = act.get(zr + 2 * units + j), o = act.get(zr + 3 * units + j);
                double tc = Math.tanh(c.get(cr + j)), dhv = dh.get(cr + j);
                double dct = dc.get(cr + j) + dhv * o * (1 - tc * tc);
                dz.set(zr + j, dct * g * i * (1 - i));
                dz.set(zr + units + j, dct * cPrev.get(cr + j) * f * (1 - f));
                dz.set(zr + 2 * units + j, dct * i * (1 - g * g));
                dz.set(zr + 3 * units + j, dhv * tc * o * (1 - o));
                dcPrev.set(cr + j, dct * f);
            }
        }
        return new Tensor[] {dz.tensor(at.shape()), dcPrev.tensor(ct.shape())};
    }

    // ---------------------------------------------------------------- GRU (reset after)
    // z = σ(x_z + u_z), r = σ(x_r + u_r), hh = tanh(x_h + r * u_h), h = z * hPrev + (1 - z) * hh

    private static Tensor[] gruForwardKernel(KernelContext ctx) {
        Tensor xt = ctx.input(0), ht = ctx.input(2);
        int batch = ht.shape().dim(0), units = ht.shape().dim(1);
        if (xt.dtype() == DType.FLOAT32) {
            float[] x = (float[]) xt.data(), u = (float[]) ctx.input(1).data(), hp = (float[]) ht.data();
            float[] h = ctx.allocateFloats(batch * units), gates = ctx.allocateFloats(3 * batch * units);
            Parallel.forRange(batch, Math.max(1, 8192 / Math.max(1, units)), (from, to) -> {
                for (int b = from; b < to; b++) {
                    int row = b * 3 * units, hr = b * units;
                    for (int j = 0; j < 2 * units; j++) gates[row + j] = x[row + j] + u[row + j];
                    VectorMath.sigmoid(gates, row, gates, row, 2 * units);
                    int hb = row + 2 * units;
                    for (int j = 0; j < units; j++) gates[hb + j] = x[hb + j] + gates[row + units + j] * u[hb + j];
                    VectorMath.tanh(gates, hb, gates, hb, units);
                    for (int j = 0; j < units; j++) {
                        float z = gates[row + j];
                        h[hr + j] = z * hp[hr + j] + (1 - z) * gates[hb + j];
                    }
                }
            });
            return new Tensor[] {Tensor.wrap(DType.FLOAT32, ht.shape(), h), Tensor.wrap(DType.FLOAT32, xt.shape(), gates)};
        }
        Values x = Values.of(xt), u = Values.of(ctx.input(1)), hp = Values.of(ht);
        Values h = Values.allocate(ctx, xt.dtype(), batch * units), g = Values.allocate(ctx, xt.dtype(), 3 * batch * units);
        for (int b = 0; b < batch; b++) {
            int xr = b * 3 * units, hr = b * units;
            for (int j = 0; j < units; j++) {
                double z = sigmoid(x.get(xr + j) + u.get(xr + j));
                double r = sigmoid(x.get(xr + units + j) + u.get(xr + units + j));
                double hh = Math.tanh(x.get(xr + 2 * units + j) + r * u.get(xr + 2 * units + j));
                g.set(xr + j, z);
                g.set(xr + units + j, r);
                g.set(xr + 2 * units + j, hh);
                h.set(hr + j, z * hp.get(hr + j) + (1 - z) * hh);
            }
        }
        return new Tensor[] {h.tensor(ht.shape()), g.tensor(xt.shape())};
    }

    /** GruCellGrad(inner, hPrev, gates, dh): the gates come from the forward pass, so nothing is recomputed. */
    private static Tensor[] gruBackwardKernel(KernelContext ctx) {
        Tensor ut = ctx.input(0), ht = ctx.input(1), gt = ctx.input(2);
        int batch = ht.shape().dim(0), units = ht.shape().dim(1), n = batch * units;
        if (ut.dtype() == DType.FLOAT32) {
            float[] u = (float[]) ut.data(), hp = (float[]) ht.data(), g = (float[]) gt.data();
            float[] dh = (float[]) ctx.input(3).data();
            float[] dx = ctx.allocateFloats(3 * n), du = ctx.allocateFloats(3 * n), dhp = ctx.allocateFloats(n);
            Parallel.forRange(batch, Math.max(1, 8192 / Math.max(1, units)), (from, to) -> {
                for (int b = from; b < to; b++) {
                    int xr = b * 3 * units, hr = b * units;
                    for (int j = 0; j < units; j++) {
                        float z = g[xr + j], r = g[xr + units + j], hh = g[xr + 2 * units + j], dhv = dh[hr + j];
                        float dA = dhv * (1 - z) * (1 - hh * hh);              // through hh's pre-activation
                        float dZ = dhv * (hp[hr + j] - hh) * z * (1 - z);
                        float dR = dA * u[xr + 2 * units + j] * r * (1 - r);
                        dx[xr + j] = dZ;
                        du[xr + j] = dZ;
                        dx[xr + units + j] = dR;
                        du[xr + units + j] = dR;
                        dx[xr + 2 * units + j] = dA;
                        du[xr + 2 * units + j] = dA * r;
                        dhp[hr + j] = dhv * z;
                    }
                }
            });
            return new Tensor[] {Tensor.wrap(DType.FLOAT32, gt.shape(), dx), Tensor.wrap(DType.FLOAT32, gt.shape(), du),
                    Tensor.wrap(DType.FLOAT32, ht.shape(), dhp)};
        }
        Values u = Values.of(ut), hp = Values.of(ht), g = Values.of(gt), dh = Values.of(ctx.input(3));
        Values dx = Values.allocate(ctx, ut.dtype(), 3 * n), du = Values.allocate(ctx, ut.dtype(), 3 * n);
        Values dhp = Values.allocate(ctx, ut.dtype(), n);
        for (int b = 0; b < batch; b++) {
            int xr = b * 3 * units, hr = b * units;
            for (int j = 0; j < units; j++) {
                double z = g.get(xr + j), r = g.get(xr + units + j), hh = g.get(xr + 2 * units + j);
                double dhv = dh.get(hr + j);
                double dA = dhv * (1 - z) * (1 - hh * hh);
                double dZ = dhv * (hp.get(hr + j) - hh) * z * (1 - z);
                double dR = dA * u.get(xr + 2 * units + j) * r * (1 - r);
                dx.set(xr + j, dZ);
                du.set(xr + j, dZ);
                dx.set(xr + units + j, dR);
                du.set(xr + units + j, dR);
                dx.set(xr + 2 * units + j, dA);
                du.set(xr + 2 * units + j, dA * r);
                dhp.set(hr + j, dhv * z);
            }
        }
        return new Tensor[] {dx.tensor(gt.shape()), du.tensor(gt.shape()), dhp.tensor(ht.shape())};
    }

    /** Flat float32 or float64 values read and written as doubles. */
    private record Values(DType dtype, float[] f, double[] d) {
        static Values of(Tensor t) {
            return t.dtype() == DType.FLOAT32 ? new Values(t.dtype(), (float[]) t.data(), null)
                    : new Values(t.dtype(), null, (double[]) t.data());
        }

        static Values allocate(KernelContext ctx, DType dtype, int n) {
            return dtype == DType.FLOAT32 ? new Values(dtype, ctx.allocateFloats(n), null)
                    : new Values(dtype, null, ctx.allocateDoubles(n));
        }

        double get(int i) { return f != null ? f[i] : d[i]; }

        void set(int i, double v) {
            if (f != null) f[i] = (float) v;
            else d[i] = v;
        }

        Tensor tensor(Shape shape) { return Tensor.wrap(dtype, shape, f != null ? f : d); }
    }
}
