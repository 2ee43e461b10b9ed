package org.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void convertsNestedArraysBothWays() {
        float[][][] cube = {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}};
        Tensor t = Tensors.of(cube);
        assertEquals(DType.FLOAT32, t.dtype());
        assertEquals(Shape.of(2, 2, 2), t.shape());
        assertArrayEquals(cube, (float[][][]) t.toArray());
        assertEquals(3, Tensors.of(3).intValue());
        assertEquals(DType.INT64, Tensors.of(new long[] {1L << 40}).dtype());
        assertEquals(1L << 40, Tensors.of(new long[] {1L << 40}).toLongArray()[0]);
        assertArrayEquals(new boolean[] {true, false}, (boolean[]) Tensors.of(new boolean[] {true, false}).toArray());
        assertEquals(5.0f, (Float) Tensors.scalar(5f).toArray());
    }

    @Test
    void emptyAndScalarShapes() {
        // A Java float[0][3] keeps no trace of its inner length, so nested empties convert to zeros everywhere.
        assertEquals(Shape.of(0, 0), Tensors.of(new float[0][3]).shape());
        Tensor empty = Tensors.of(new float[0], 0, 3);
        assertEquals(Shape.of(0, 3), empty.shape());
        assertEquals(0, empty.size());
        assertEquals(Shape.SCALAR, Tensors.scalar(2.0).shape());
        assertEquals("()", Shape.SCALAR.toString());
        assertEquals("(5,)", Shape.of(5).toString());
    }

    @Test
    void rejectsRaggedArraysAndNegativeDims() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensors.of(new float[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("ragged"), e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -3));
        assertTrue(d.getMessage().contains("negative dimension -3"), d.getMessage());
    }

    @Test
    void reshapeAndTransposeAreViews() {
        Tensor m = Tensors.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = m.reshape(3, -1);
        assertSame(m.data(), r.data());
        assertEquals(Shape.of(3, 2), r.shape());
        Tensor t = m.transpose();
        assertSame(m.data(), t.data());
        assertFalse(t.isDense());
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, t.toIntArray());
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, t.reshape(6).toIntArray());
        assertEquals(5.0, t.getDouble(1, -1));
    }

    @Test
    void reshapeSizeMismatchIsClear() {
        Tensor m = Tensors.of(new float[6], 2, 3);
        Exception e = assertThrows(IllegalArgumentException.class, () -> m.reshape(4, 2));
        assertEquals("Reshape: cannot reshape a tensor of shape (2, 3) (6 elements) into shape (4, 2) (8 elements)",
                e.getMessage());
    }

    @Test
    void printsLikeTensorFlow() {
        assertEquals("tf.Tensor([1 2 3], shape=(3,), dtype=int32)", Tensors.of(new int[] {1, 2, 3}).toString());
        assertEquals("tf.Tensor(4.0, shape=(), dtype=float32)", Tensors.scalar(4f).toString());
        assertEquals("tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)",
                Tensors.of(new float[][] {{1, 2}, {3, 4}}).toString());
        assertEquals("tf.Tensor([ True False], shape=(2,), dtype=bool)",
                Tensors.of(new boolean[] {true, false}).toString());
        assertEquals("tf.Tensor([0.5  2.25], shape=(2,), dtype=float32)",
                Tensors.of(new float[] {0.5f, 2.25f}).toString());
    }
}
