package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** Concatenates several inputs along the last axis (functional API merge layer). */
public final class Concatenate extends Layer {
    /** Concatenates its inputs along the last axis. */
    public Concatenate() {}

    @Override
    protected void checkInputs(Shape[] shapes) {
        if (shapes.length < 2) {
            throw new IllegalArgumentException(describe() + " needs at least 2 inputs, got " + shapes.length);
        }
        for (Shape s : shapes) {
            if (s.rank() != shapes[0].rank() || s.dim(-1) < 0) {
                throw new IllegalArgumentException(describe() + ": inputs must share a rank and have known last "
                        + "dims, got " + java.util.Arrays.toString(shapes));
            }
        }
    }

    @Override
    public Shape outputShape(Shape[] in) {
        int[] d = in[0].dims();
        int sum = 0;
        for (Shape s : in) sum += s.dim(-1);
        d[d.length - 1] = sum;
        return Shape.of(d);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) { return Ops.concat(-1, inputs); }
}
