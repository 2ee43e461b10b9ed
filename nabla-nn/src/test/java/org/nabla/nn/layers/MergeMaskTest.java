package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** The output mask of a merge: the OR of its inputs' masks, the very tensor when both inputs carry the same one. */
class MergeMaskTest {
    private static Tensor mask(boolean... b) {
        byte[] v = new byte[b.length];
        for (int i = 0; i < b.length; i++) v[i] = (byte) (b[i] ? 1 : 0);
        return Tensor.wrap(DType.BOOL, Shape.of(1, b.length), v);
    }

    @Test
    void aResidualAddKeepsItsInputsMaskTensor() {
        Tensor m = mask(true, true, false), x = Tensors.of(new float[6], 1, 3, 2);
        assertSame(m, new Add().outputMask(new Tensor[] {x, x}, new Tensor[] {m, m}));
    }

    @Test
    void differentMasksAreOred() {
        Tensor x = Tensors.of(new float[6], 1, 3, 2);
        Tensor out = new Add().outputMask(new Tensor[] {x, x},
                new Tensor[] {mask(true, false, false), mask(false, false, true)});
        assertArrayEquals(new boolean[] {true, false, true}, out.toBooleanArray());
        assertNull(new Add().outputMask(new Tensor[] {x, x}, new Tensor[] {mask(true, false, false), null}));
    }
}
