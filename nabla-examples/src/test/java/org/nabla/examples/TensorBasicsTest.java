package org.nabla.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TensorBasicsTest {
    private static String runMain() {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            TensorBasics.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static void assertContains(String out, String expected) {
        assertTrue(out.contains(expected), () -> "missing:\n" + expected + "\n---- in output:\n" + out);
    }

    @Test
    void printsEachStepTheWayTensorFlowDoes() {
        String out = runMain();
        assertContains(out, "tf.Tensor(4, shape=(), dtype=int32)\n");
        assertContains(out, "tf.Tensor([2. 3. 4.], shape=(3,), dtype=float32)\n");
        assertContains(out, "tf.Tensor(\n[[1. 2.]\n [3. 4.]\n [5. 6.]], shape=(3, 2), dtype=float32)\n");
        assertContains(out, "tf.Tensor(\n[[[ 0  1  2  3  4]\n  [ 5  6  7  8  9]]\n\n [[10 11 12 13 14]\n"
                + "  [15 16 17 18 19]]\n\n [[20 21 22 23 24]\n  [25 26 27 28 29]]], shape=(3, 2, 5), dtype=int32)\n");
        assertContains(out, "rank 3, shape (3, 2, 5), dtype int32, 30 elements\n");
        assertContains(out, "[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]\n");
        assertContains(out, "tf.Tensor(\n[[2 3]\n [4 5]], shape=(2, 2), dtype=int32)\n");
        assertContains(out, "tf.Tensor(\n[[ 4.  5.]\n [10.  1.]], shape=(2, 2), dtype=float32)\n");
        assertContains(out, "tf.Tensor([1 2 3], shape=(3,), dtype=int32)\n");
        assertContains(out, "tf.Tensor([11. 12. 13.], shape=(3,), dtype=float32)\n");
        assertContains(out, "a tensor passes through unchanged: true\n");
        assertContains(out, "tf.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32)\n"); // a * b
        assertContains(out, "tf.Tensor(\n[[3 3]\n [7 7]], shape=(2, 2), dtype=int32)\n"); // a @ b
        assertContains(out, "tf.Tensor(10.0, shape=(), dtype=float32)\n"); // reduce_max
        assertContains(out, "tf.Tensor([1 0], shape=(2,), dtype=int64)\n"); // argmax, as in TF
        assertContains(out, "tf.Tensor(\n[[2.68941"); // softmax; TF prints [[2.6894143e-01 7.3105860e-01]
        assertContains(out, " [9.9987662e-01 1.2339458e-04]], shape=(2, 2), dtype=float32)\n");
    }
}
