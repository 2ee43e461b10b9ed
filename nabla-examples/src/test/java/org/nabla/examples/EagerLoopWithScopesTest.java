package org.nabla.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;

class EagerLoopWithScopesTest {
    @Test
    void scopedAndPlainLoopsTrainTheSameWeights() {
        // the [2048, 16] intermediates (128 KB) are big enough for the scope to pool them
        Tensor x = Ops.randomNormal(new int[] {2048, 64}, DType.FLOAT32, 0, 1, 1);
        Tensor y = Ops.matmul(x, Ops.randomNormal(new int[] {64, 16}, DType.FLOAT32, 0, 1, 2));
        EagerLoopWithScopes.Result plain = EagerLoopWithScopes.train(x, y, 25, false);
        EagerLoopWithScopes.Result scoped = EagerLoopWithScopes.train(x, y, 25, true);
        assertArrayEquals(plain.weights(), scoped.weights());
        assertArrayEquals(plain.losses(), scoped.losses());
        assertTrue(plain.losses()[24] < plain.losses()[0] / 10, plain.losses()[0] + " -> " + plain.losses()[24]);
    }

    @Test
    void printsTheComparison() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            EagerLoopWithScopes.run(capture, 1024, 32, 8, 10);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("least squares, 1024 samples x 32 features -> 8 outputs, 10 steps") && out.contains(
                "same weights: true"), out);
    }
}
