package org.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tensor's fluent methods are typed (Tensor, double, long, boolean), so {@code a.add("oops")} does not compile; the
 * scalar overloads take the tensor's dtype, as Java numbers did before.
 */
class TensorTypedApiTest {
    @Test
    void noPublicInstanceMethodTakesAnObject() {
        List<String> untyped = new ArrayList<>();
        for (Method m : Tensor.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() != Tensor.class) continue;
            if (m.getName().equals("equals")) continue;
            for (Class<?> p : m.getParameterTypes()) if (p == Object.class) untyped.add(m.toString());
        }
        assertTrue(untyped.isEmpty(), "methods taking Object: " + untyped);
    }

    @Test
    void scalarOverloadsTakeTheTensorsDtype() {
        Tensor i = Tensors.of(new int[] {1, 2, 3}, 3);
        Tensor r = i.add(1);
        assertEquals(DType.INT32, r.dtype());
        assertArrayEquals(new int[] {2, 3, 4}, r.toIntArray());
        Tensor f = Tensors.of(new float[] {1, 2, 3}, 3);
        assertEquals(DType.FLOAT32, f.mul(0.5).dtype());
        assertArrayEquals(new float[] {0.5f, 1, 1.5f}, f.mul(0.5).toFloatArray(), 0f);
        assertArrayEquals(new float[] {1, 2, 2}, f.clip(0.0, 2.0).toFloatArray(), 0f);
        assertArrayEquals(new boolean[] {false, true, true}, f.greater(1).toBooleanArray());
        assertArrayEquals(new float[] {1, 4, 9}, f.pow(2).toFloatArray(), 1e-6f);
    }
}
