package org.nabla.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** The README's API tour, line for line, so the README cannot drift from the code. */
class ReadmeTourTest {
    @Test
    void tourRunsAndPrintsWhatTheReadmeSays(@TempDir Path dir) throws Exception {
        Tensor a = Tensors.of(new float[][] {{1, 2}, {3, 4}});
        Tensor b = Ops.constant(new float[][] {{1, 1}, {0, 1}});
        assertEquals("tf.Tensor(\n[[2. 3.]\n [3. 5.]], shape=(2, 2), dtype=float32)", a.add(b).toString());
        Tensor c = a.matmul(b).mul(2).relu();
        assertArrayEquals(new float[] {2, 6, 6, 14}, c.toFloatArray());
        Tensor d = Ops.softmax(Ops.matmul(a, b), -1);
        assertEquals(1.0, d.toDoubleArray()[0] + d.toDoubleArray()[1], 1e-6);
        assertArrayEquals(new float[] {2, 4}, Ops.max(a, 1).toFloatArray());
        Tensor i = Ops.argmax(a, 0);
        assertEquals(DType.INT64, i.dtype());
        assertArrayEquals(new long[] {1, 1}, i.toLongArray());
        float[][] back = (float[][]) a.transpose().toArray();
        assertArrayEquals(new float[] {1, 3}, back[0]);
        assertEquals(10.0f, Ops.sum(a).floatValue());
        Tensor r = Ops.randomNormal(new int[] {128, 784}, DType.FLOAT32, 0, 1, 42);
        assertArrayEquals(r.toFloatArray(), Ops.randomNormal(new int[] {128, 784}, DType.FLOAT32, 0, 1, 42)
                .toFloatArray());
        Tensor y = Ops.conv2d(Ops.zeros(DType.FLOAT32, 8, 28, 28, 1), Ops.ones(DType.FLOAT32, 3, 3, 1, 32), 1, "SAME");
        assertArrayEquals(new int[] {8, 28, 28, 32}, y.shape().dims());
        Path file = dir.resolve("y.npy");
        org.nabla.io.Npy.write(y, file);
        assertEquals(y.shape(), org.nabla.io.Npy.read(file).shape());
        assertEquals(true, Files.size(file) > 8L * 28 * 28 * 32 * 4);
    }
}
