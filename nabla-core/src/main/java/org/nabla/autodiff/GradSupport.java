package org.nabla.autodiff;

import java.util.Arrays;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradOps;
import org.nabla.ops.NnGradOps;

/** Small helpers shared by the gradient rule families; everything is built from ordinary op calls. */
final class GradSupport {
    private GradSupport() {}

    /** The gradient {@code g} of a broadcast result reduced to the shape of operand {@code x}. */
    static Tensor unbroadcast(Tensor g, Tensor x) {
        if (g == null) return null;
        Shape gs = g.shape(), xs = x.shape();
        if (gs.equals(xs) && xs.isFullyDefined()) return g;
        return sumToShapeOf(g, x);
    }

    /** A scalar constant of {@code like}'s dtype. */
    static Tensor scalar(double v, Tensor like) { return Tensors.convert(v, like.dtype()); }

    /** Floating and complex tensors carry gradients. */
    static boolean isFloat(Tensor t) { return t.dtype().isFloating() || t.dtype().isComplex(); }

    /**
     * The complex conjugate of a complex {@code t}, {@code t} itself otherwise. Rules for holomorphic ops multiply the
     * incoming gradient by the conjugate of the derivative (TensorFlow's convention: the gradient of a real loss
     * L with respect to z = x + iy is dL/dx + i dL/dy), so a rule written {@code g * conj(f'(z))} serves real and
     * complex dtypes alike.
     */
    static Tensor conj(Tensor t) { return t.dtype().isComplex() ? Ops.conj(t) : t; }

    /** Null for inputs that cannot carry a gradient (integer and bool tensors). */
    static Tensor floatOnly(Tensor input, Tensor grad) { return isFloat(input) ? grad : null; }

    /** The axes (normalized, ascending) that {@code axes} names for a tensor of rank {@code rank} (empty = all). */
    static int[] normalizedAxes(int[] axes, int rank) {
        if (axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) out[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
        Arrays.sort(out);
        return out;
    }

    /** A reduced result {@code y} given its size-1 axes back (as keepDims would have left them). */
    static Tensor keepDims(Tensor y, int[] axes, int rank, boolean keptAlready) {
        if (keptAlready) return y;
        Tensor out = y;
        for (int a : normalizedAxes(axes, rank)) out = Ops.expandDims(out, a);
        return out;
    }

    /** The number of elements a reduction over {@code axes} of {@code x} combines, as a tensor of x's dtype. */
    static Tensor reducedCount(Tensor x, int[] axes) {
        long n = 1;
        boolean known = true;
        for (int a : normalizedAxes(axes, x.rank())) {
            int d = x.shape().dim(a);
            if (d < 0) known = false;
            else n *= d;
        }
        if (known) return scalar(n, x);
        return Ops.sum(Ops.onesLike(x), true, axes);
    }

    // ---------------------------------------------------------------- internal ops used by several rule families
    // The helper ops of GradOps and NnGradOps are internal (no method on Ops); the rules call them through these.

    /** {@code grad} summed over the axes along which {@code like} was broadcast, giving like's runtime shape. */
    static Tensor sumToShapeOf(Tensor grad, Tensor like) {
        return Ops.run(GradOps.SUM_TO_SHAPE_OF, Attrs.EMPTY, grad, like);
    }

    /** {@code x} broadcast against the runtime shape of {@code like}. */
    static Tensor broadcastLike(Tensor x, Tensor like) { return Ops.run(GradOps.BROADCAST_LIKE, Attrs.EMPTY, x, like); }

    /** {@code x} reshaped to the runtime shape of {@code like}. */
    static Tensor reshapeLike(Tensor x, Tensor like) { return Ops.run(GradOps.RESHAPE_LIKE, Attrs.EMPTY, x, like); }

    /** The adjoint of Gather: {@code grad} added into zeros shaped like {@code like} at {@code indices}. */
    static Tensor gatherGrad(Tensor grad, Tensor indices, Tensor like, int axis, int batchDims) {
        return Ops.run(GradOps.GATHER_GRAD, Attrs.of("axis", axis, "batchDims", batchDims), grad, indices, like);
    }

    /** The gradient of Relu from its output: {@code grad} where {@code output > 0}, else 0. */
    static Tensor reluGrad(Tensor grad, Tensor output) {
        return Ops.run(NnGradOps.RELU_GRAD, Attrs.EMPTY, grad, output);
    }
}
