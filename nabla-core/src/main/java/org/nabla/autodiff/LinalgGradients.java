package org.nabla.autodiff;

import static org.nabla.autodiff.GradSupport.floatOnly;
import static org.nabla.autodiff.GradSupport.unbroadcast;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.LinalgOps;

/** Gradients of {@link org.nabla.ops.LinalgOps}: MatMul with its transpose flags and broadcast batch axes. */
public final class LinalgGradients {
    private LinalgGradients() {}

    /** Registers these gradients. */
    public static void register(GradientRegistry gradients) {
        gradients.register(LinalgOps.MATMUL, (c, g) -> {
            // conjugated for complex inputs (dA = g B^H): GradSupport.conj
            Tensor a = GradSupport.conj(c.input(0)), b = GradSupport.conj(c.input(1)), dy = g[0];
            boolean ta = c.attrs().getBool("transposeA"), tb = c.attrs().getBool("transposeB");
            // Each product only when its input needs a gradient (a first layer's input does not).
            java.util.function.Supplier<Tensor> da, db;
            if (!ta && !tb) {
                da = () -> Ops.matmul(dy, b, false, true);
                db = () -> Ops.matmul(a, dy, true, false);
            } else if (!ta) {
                da = () -> Ops.matmul(dy, b, false, false);
                db = () -> Ops.matmul(dy, a, true, false);
            } else if (!tb) {
                da = () -> Ops.matmul(b, dy, false, true);
                db = () -> Ops.matmul(a, dy, false, false);
            } else {
                da = () -> Ops.matmul(b, dy, true, true);
                db = () -> Ops.matmul(dy, a, true, true);
            }
            return new Tensor[] {c.needsGradient(0) ? floatOnly(a, unbroadcast(da.get(), a)) : null,
                    c.needsGradient(1) ? floatOnly(b, unbroadcast(db.get(), b)) : null};
        });
    }
}
