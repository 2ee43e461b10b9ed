package org.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VariableTest {
    @Test
    void eagerVariablesReadAssignAndUpdate() {
        Variable v = Variable.of(new float[] {1, 2});
        assertArrayEquals(new float[] {1, 2}, v.read().toFloatArray());
        v.assignAdd(new float[] {10, 10});
        assertArrayEquals(new float[] {11, 12}, v.read().toFloatArray());
        v.assignSub(new float[] {1, 2});
        v.assign(v.read().mul(2));
        assertArrayEquals(new float[] {20, 20}, v.read().toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.assign(new float[] {1}));
        assertTrue(e.getMessage().contains("has shape (2,)"), e.getMessage());
    }

    @Test
    void declaredVariableWithoutValueFailsClearly() {
        Variable v = Variable.declare("w", DType.FLOAT32, Shape.of(3), true);
        IllegalStateException e = assertThrows(IllegalStateException.class, v::read);
        assertTrue(e.getMessage().contains("is not initialized"), e.getMessage());
    }
}
