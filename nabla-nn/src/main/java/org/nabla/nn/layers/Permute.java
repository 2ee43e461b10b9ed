package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Permutes the non-batch axes (Keras' {@code Permute}): {@code dims} numbers them from 1, e.g. {@code (2, 1)} swaps
 * the two axes of [N, A, B] to give [N, B, A].
 */
public final class Permute extends Layer {
    private final int[] dims;

    /** The new order of the axes 1..k (a permutation of 1..k). */
    public Permute(int... dims) {
        boolean[] seen = new boolean[dims.length + 1];
        for (int d : dims) {
            if (d < 1 || d > dims.length || seen[d]) {
                throw new IllegalArgumentException("Permute: dims must be a permutation of 1.." + dims.length
                        + ", got " + java.util.Arrays.toString(dims));
            }
            seen[d] = true;
        }
        this.dims = dims.clone();
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], dims.length + 1, "a batch axis and " + dims.length + " more for these dims");
    }

    private int[] perm() {
        int[] p = new int[dims.length + 1];
        for (int i = 0; i < dims.length; i++) p[i + 1] = dims[i];
        return p;
    }

    @Override
    public Shape outputShape(Shape[] in) {
        int[] p = perm(), d = new int[p.length];
        for (int i = 0; i < p.length; i++) d[i] = in[0].dim(p[i]);
        return Shape.of(d);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) { return Ops.transpose(inputs[0], perm()); }
}
