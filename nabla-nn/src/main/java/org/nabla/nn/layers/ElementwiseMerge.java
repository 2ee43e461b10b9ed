package org.nabla.nn.layers;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * A merge layer of the functional API combining inputs of one shape element by element (Keras' {@code Add},
 * {@code Multiply}, {@code Average}, {@code Maximum}, {@code Minimum}, {@code Subtract}); subclasses give the
 * combination of two tensors and how many inputs they take.
 *
 * <p>Masks as in Keras 3: the output's mask is the OR of the inputs' masks when every input has one, else none;
 * {@code Maximum}, {@code Minimum} and {@code Multiply} also keep masked steps out of the result
 * ({@link #mergeMasked}).
 */
abstract class ElementwiseMerge extends Layer {
    /** Combines the running result with the next input. */
    abstract Tensor combine(Tensor acc, Tensor next);

    /** The exact number of inputs, or -1 for two or more. */
    int arity() { return -1; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        int n = arity();
        if (n < 0 ? shapes.length < 2 : shapes.length != n) {
            throw new IllegalArgumentException(describe() + " needs " + (n < 0 ? "at least 2" : "exactly " + n)
                    + " inputs, got " + shapes.length);
        }
        for (Shape s : shapes) {
            if (!s.isCompatibleWith(shapes[0])) {
                throw new IllegalArgumentException(describe() + ": inputs must have one shape, got "
                        + Arrays.toString(shapes));
            }
        }
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    /** Merges read every input's mask (for the masked combinations and the output mask). */
    @Override
    public boolean readsInputMasks() { return true; }

    @Override
    protected Tensor[] forwardWithMasks(Tensor[] inputs, Tensor[] masks, CallContext ctx) {
        boolean any = false;
        for (Tensor m : masks) any |= m != null;
        return new Tensor[] {any ? mergeMasked(inputs, masks, ctx) : forward(inputs, ctx)};
    }

    /** The merge when some input has a mask (null entries: none); Add, Subtract and Average ignore masks. */
    Tensor mergeMasked(Tensor[] inputs, Tensor[] masks, CallContext ctx) { return forward(inputs, ctx); }

    /**
     * The OR of the inputs' masks when every input has one (Keras' Merge.compute_mask), else null. A mask that is
     * the same tensor as the running OR is skipped (a residual Add's two inputs carry one mask), so the output keeps
     * that very tensor and the next layers' masks derived from it are recognized as the same by the graph optimizer.
     */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor[] masks) {
        Tensor out = null;
        for (Tensor m : masks) {
            if (m == null) return null;
            Tensor b = bool(m);
            out = out == null ? b : same(out, b) ? out : Ops.logicalOr(out, b);
        }
        return out;
    }

    /** Whether two tensors are one value: the same object, or the same graph output. */
    private static boolean same(Tensor a, Tensor b) {
        return a == b || (a.isSymbolic() && b.isSymbolic() && a.symbol().equals(b.symbol()));
    }

    static Tensor bool(Tensor mask) { return mask.dtype() == DType.BOOL ? mask : Ops.notEqual(mask, 0); }

    /** A [N, T] mask as [N, T, 1], to select whole feature vectors; null stays null. */
    static Tensor perStep(Tensor mask) { return mask == null ? null : Ops.expandDims(bool(mask), -1); }

    /**
     * Keras' {@code _apply_merge_op_and_or_mask} (Maximum, Minimum): a masked element takes the running result's
     * value (and the running result a masked input's where it is masked itself), so masked steps stay out of the
     * combination; the running mask is the OR while every input so far has a mask.
     */
    final Tensor fillMasked(Tensor[] inputs, Tensor[] masks) {
        Tensor out = inputs[0], outMask = perStep(masks[0]);
        for (int i = 1; i < inputs.length; i++) {
            Tensor x = inputs[i], m = perStep(masks[i]);
            if (m != null) x = Ops.where(m, x, out);
            if (outMask != null) out = Ops.where(outMask, out, x);
            outMask = m != null && outMask != null ? Ops.logicalOr(outMask, m) : null;
            out = combine(out, x);
        }
        return out;
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor y = inputs[0];
        for (int i = 1; i < inputs.length; i++) y = combine(y, inputs[i]);
        return y;
    }
}
