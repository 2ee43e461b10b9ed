package org.nabla.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batcher without HTTP: stacking, handing back rows, and finishing queued work on close. */
class BatcherTest {
    @TempDir Path tmp;

    private static Rows rows(double... x) {
        return new Rows(x.length / 4, new double[][] {x}, new int[][] {{4}});
    }

    @Test
    void queuedRequestsRunTogetherAndCloseFinishesThemThenRefuses() throws Exception {
        try (ServedModel model = ServedModel.open("linear", TestModels.linear(tmp.resolve("m")))) {
            ServingMetrics metrics = new ServingMetrics();
            Batcher b = new Batcher(model, 16, Duration.ofSeconds(5), metrics);
            // Announced requests hold the batch open; closing must still run what is queued.
            b.announce();
            b.announce();
            b.announce();
            CompletableFuture<Rows> one = b.submit(rows(1, 0, 0, 0));
            CompletableFuture<Rows> two = b.submit(rows(0, 1, 0, 0, 0, 0, 1, 0));
            b.close();
            assertEquals(1, one.get().count());
            assertArrayEquals(TestModels.linearRef(new double[] {1, 0, 0, 0}), one.get().numbers(0), 1e-6);
            assertEquals(2, two.get().count());
            double[] expected = new double[6];
            System.arraycopy(TestModels.linearRef(new double[] {0, 1, 0, 0}), 0, expected, 0, 3);
            System.arraycopy(TestModels.linearRef(new double[] {0, 0, 1, 0}), 0, expected, 3, 3);
            assertArrayEquals(expected, two.get().numbers(0), 1e-6);
            assertTrue(metrics.batchesOfSeveralRequests() >= 1, metrics.prometheusText());
            ExecutionException refused = assertThrows(ExecutionException.class, () -> b.submit(rows(1, 1, 1, 1)).get());
            assertEquals(503, ((ServingException) refused.getCause()).status());
        }
    }
}
