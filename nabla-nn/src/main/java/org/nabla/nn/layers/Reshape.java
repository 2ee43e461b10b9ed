package org.nabla.nn.layers;

import java.util.Arrays;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** Reshapes each example to {@code targetShape} (no batch dim; one entry may be -1, inferred). */
public final class Reshape extends Layer {
    private final int[] target;

    /** Reshapes each example to {@code targetShape}; throws for dims other than positive or a single -1. */
    public Reshape(int... targetShape) {
        int unknown = 0;
        for (int d : targetShape) {
            if (d == -1) unknown++;
            else if (d <= 0) throw new IllegalArgumentException("Reshape: dims must be positive or -1, got "
                    + Arrays.toString(targetShape));
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("Reshape: at most one -1, got " + Arrays.toString(targetShape));
        }
        this.target = targetShape.clone();
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireKnownFeatures(shapes[0]);
        resolved(shapes[0]);
    }

    private int[] resolved(Shape in) {
        long n = 1;
        for (int i = 1; i < in.rank(); i++) n *= in.dim(i);
        long known = 1;
        int at = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) at = i;
            else known *= target[i];
        }
        int[] r = target.clone();
        if (at >= 0 && known > 0 && n % known == 0) r[at] = (int) (n / known);
        long total = 1;
        for (int d : r) total *= d;
        if (total != n || (at >= 0 && r[at] == -1)) {
            throw new IllegalArgumentException(describe() + ": cannot reshape examples of shape " + in
                    + " (" + n + " values) to " + Arrays.toString(target));
        }
        return r;
    }

    @Override
    public Shape outputShape(Shape[] in) {
        int[] r = resolved(in[0]);
        int[] d = new int[r.length + 1];
        d[0] = in[0].dim(0);
        System.arraycopy(r, 0, d, 1, r.length);
        return Shape.of(d);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        int[] d = outputShape(new Shape[] {inputs[0].shape()}).dims();
        d[0] = -1;
        return Ops.reshape(inputs[0], d);
    }
}
