package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.AttentionOps;

/**
 * CPU kernels for {@link AttentionOps}: float32 blocked and vectorized ({@link AttentionFloat}), float64 plain loops
 * ({@link AttentionDouble}). Both read query, key, value and the output gradient as strided views when their rows are
 * contiguous ({@link AttentionLayout}).
 */
public final class CpuAttentionKernels {
    private CpuAttentionKernels() {}

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            r.register(AttentionOps.SCALED_DOT_PRODUCT_ATTENTION, CpuDevice.TYPE, d, CpuAttentionKernels::forward,
                    true);
            r.register(AttentionOps.SCALED_DOT_PRODUCT_ATTENTION_GRAD, CpuDevice.TYPE, d,
                    CpuAttentionKernels::backward, true);
        }
    }

    private static Tensor[] forward(KernelContext ctx) {
        Tensor q = ctx.input(0), k = ctx.input(1), v = ctx.input(2);
        AttentionLayout l = AttentionLayout.of(q, k, v, ctx.inputCount() > 3 ? ctx.input(3) : null, ctx.attrs());
        DType dtype = q.dtype();
        int outN = l.b() * l.h() * l.tq() * l.dv(), lseN = l.b() * l.h() * l.tq();
        Object out = ctx.allocate(dtype.storage(), outN), lse = ctx.allocate(dtype.storage(), lseN);
        AttentionLayout.Rows qr = AttentionLayout.Rows.of(q), kr = AttentionLayout.Rows.of(k);
        AttentionLayout.Rows vr = AttentionLayout.Rows.of(v);
        if (dtype == DType.FLOAT32) AttentionFloat.forward(l, qr, kr, vr, (float[]) out, (float[]) lse);
        else AttentionDouble.forward(l, qr, kr, vr, (double[]) out, (double[]) lse);
        return new Tensor[] {headsView(dtype, l, l.tq(), l.dv(), out),
                Tensor.wrap(dtype, Shape.of(l.b(), l.h(), l.tq()), lse)};
    }

    private static Tensor[] backward(KernelContext ctx) {
        Tensor q = ctx.input(0), k = ctx.input(1), v = ctx.input(2);
        AttentionLayout l = AttentionLayout.of(q, k, v, ctx.inputCount() > 6 ? ctx.input(6) : null, ctx.attrs());
        DType dtype = q.dtype();
        Object dq = ctx.allocate(dtype.storage(), l.b() * l.h() * l.tq() * l.d());
        Object dk = ctx.allocate(dtype.storage(), l.b() * l.h() * l.tk() * l.d());
        Object dv = ctx.allocate(dtype.storage(), l.b() * l.h() * l.tk() * l.dv());
        AttentionLayout.Rows qr = AttentionLayout.Rows.of(q), kr = AttentionLayout.Rows.of(k);
        AttentionLayout.Rows vr = AttentionLayout.Rows.of(v), gr = AttentionLayout.Rows.of(ctx.input(4));
        Object lse = ctx.input(3).dense().data(), gl = ctx.input(5).dense().data();
        if (dtype == DType.FLOAT32) {
            AttentionFloat.backward(l, qr, kr, vr, (float[]) lse, gr, (float[]) gl, (float[]) dq, (float[]) dk,
                    (float[]) dv);
        } else {
            AttentionDouble.backward(l, qr, kr, vr, (double[]) lse, gr, (double[]) gl, (double[]) dq,
                    (double[]) dk, (double[]) dv);
        }
        return new Tensor[] {headsView(dtype, l, l.tq(), l.d(), dq), headsView(dtype, l, l.tk(), l.d(), dk),
                headsView(dtype, l, l.tk(), l.dv(), dv)};
    }

    /**
     * A [B, H, T, width] result: float32 kernels store it token-major ([B, T, H, width], see AttentionFloat.row), so
     * it is a view with those strides; float64 ones store it dense.
     */
    private static Tensor headsView(DType dtype, AttentionLayout l, int t, int width, Object data) {
        if (dtype != DType.FLOAT32) return Tensor.wrap(dtype, Shape.of(l.b(), l.h(), t, width), data);
        Tensor tokenMajor = Tensor.wrap(dtype, Shape.of(l.b(), t, l.h(), width), data);
        return Tensor.view(tokenMajor, Shape.of(l.b(), l.h(), t, width), 0,
                new int[] {t * l.h() * width, width, l.h() * width, 1});
    }
}
