package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.nn.Input;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;

class LambdaTest {
    @Test
    void appliesItsFunctionEagerlyAndTraced() {
        LayerOutput in = Input.of(3);
        Model m = Model.functional(in, new Lambda(x -> Ops.add(Ops.mul(x, 2f), 1f)).apply(in));
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {3, 5, 7, 9, 11, 13}, m.call(x).toFloatArray());
        TracedFunction f = TracedFunction.of(t -> new Tensor[] {m.call(t[0])});
        assertArrayEquals(new float[] {3, 5, 7, 9, 11, 13}, f.call(x)[0].toFloatArray());
    }

    @Test
    void aShapeChangingFunctionDeclaresItsShape() {
        LayerOutput in = Input.of(4);
        Model m = Model.functional(in, new Lambda(x -> Ops.sum(x, true, -1), s -> Shape.of(s.dim(0), 1)).apply(in));
        assertEquals(Shape.of(2, 1), m.call(Tensors.of(new float[8], 2, 4)).shape());
        LayerOutput in2 = Input.of(4);
        Model wrong = Model.functional(in2, new Lambda(x -> Ops.sum(x, true, -1)).apply(in2));
        String msg = assertThrows(IllegalStateException.class, () -> wrong.call(Tensors.of(new float[8], 2, 4)))
                .getMessage();
        assertTrue(msg.contains("pass the outputShape function"), msg);
    }
}
