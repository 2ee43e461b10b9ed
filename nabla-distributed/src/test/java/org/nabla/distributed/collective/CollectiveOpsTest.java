package org.nabla.distributed.collective;

import org.nabla.distributed.Cluster;
import org.nabla.distributed.DistributedOptions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nabla.TracedFunction;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.ops.OpException;

/**
 * The {@code CollectiveAllReduce} op among 2-3 in-process servers: eager calls, traced functions holding several
 * all-reduces, replicas mixing the two, its gradient, and its errors.
 */
@Timeout(120)
class CollectiveOpsTest {
    private static final DistributedOptions OPTIONS = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(5))
            .stepTimeout(Duration.ofSeconds(20));

    private static <T> List<T> onAll(int n, IntFunction<T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                fs.add(pool.submit(() -> body.apply(rank)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A step with two all-reduces (sum of a float32 matrix and a float64 vector, then the mean of a function of the
     * first result), run three times; replica 0 runs it eagerly, the others traced: the n-th run meets the n-th run.
     */
    @Test
    void tracedAndEagerStepsWithSeveralAllReducesAgree() throws Exception {
        int n = 3;
        try (Cluster c = new Cluster(n, OPTIONS)) {
            List<List<double[]>> got = onAll(n, r -> {
                CollectiveGroup g = c.server(r).collectives();
                java.util.function.Function<Tensor[], Tensor[]> step = a -> {
                    List<Tensor> sums = CollectiveOps.allReduce(g, "t/0", false, List.of(a[0], a[1]));
                    Tensor twice = Ops.mul(sums.get(0), Tensors.scalar(2f));
                    Tensor mean = CollectiveOps.allReduce(g, "t/1", true, List.of(Ops.add(twice, a[0]))).get(0);
                    return new Tensor[] {sums.get(0), sums.get(1), mean};
                };
                TracedFunction traced = TracedFunction.of("collective_step", step);
                List<double[]> out = new ArrayList<>();
                for (int run = 0; run < 3; run++) {
                    Tensor[] args = {Tensors.of(new float[] {r, run, 1, -r}, 2, 2),
                            Tensors.of(new double[] {0.5 * r, run}, 2)};
                    Tensor[] res = r == 0 ? step.apply(args) : traced.call(args);
                    for (Tensor t : res) out.add(t.toDoubleArray());
                }
                if (r != 0) assertEquals(1, traced.traceCount());
                return out;
            });
            for (int run = 0; run < 3; run++) {
                // replicas' inputs: x_r = {r, run, 1, -r}, v_r = {r / 2, run}
                double[] sumX = {3, 3 * run, 3, -3};
                double[] sumV = {1.5, 3 * run};
                double[] mean = new double[4];
                for (int i = 0; i < 4; i++) mean[i] = 2 * sumX[i] + sumX[i] / n;
                for (int r = 0; r < n; r++) {
                    assertArrayEquals(sumX, got.get(r).get(3 * run), 1e-6, "sum, run " + run + ", replica " + r);
                    assertArrayEquals(sumV, got.get(r).get(3 * run + 1), 1e-12, "float64 sum, replica " + r);
                    assertArrayEquals(mean, got.get(r).get(3 * run + 2), 1e-5, "mean, run " + run + ", replica " + r);
                }
            }
        }
    }

    /** y = sum_r x_r, L_r = sum(c_r * y): dL_r/dx_r summed over replicas is sum_r c_r, the gradient's all-reduce. */
    @Test
    void gradientIsTheAllReduceOfTheIncomingGradients() throws Exception {
        int n = 2;
        try (Cluster c = new Cluster(n, OPTIONS)) {
            List<double[]> grads = onAll(n, r -> {
                CollectiveGroup g = c.server(r).collectives();
                Variable x = Variable.of(Tensors.of(new float[] {1, 2, 3}, 3));
                try (GradientTape tape = new GradientTape()) {
                    Tensor y = CollectiveOps.allReduce(g, "grad-test", false, List.of(x.read())).get(0);
                    Tensor loss = Ops.sum(Ops.mul(y, Tensors.of(new float[] {r + 1, 10 * r, -1}, 3)));
                    return tape.gradient(loss, List.of(x)).get(0).toDoubleArray();
                }
            });
            for (int r = 0; r < n; r++) assertArrayEquals(new double[] {3, 10, -2}, grads.get(r), 1e-6, "replica " + r);
        }
    }

    @Test
    void badInputsAndAGroupOfAnotherSizeFailClearly() throws Exception {
        try (Cluster c = new Cluster(1, OPTIONS)) {
            CollectiveGroup g = c.server(0).collectives();
            OpException e = assertThrows(OpException.class, () -> CollectiveOps.allReduce(g, "bad", false,
                    List.of(Tensors.of(new int[] {1, 2}, 2))));
            assertTrue(e.getMessage().contains("only float32 and float64"), e.getMessage());
            var wrong = org.nabla.ops.Attrs.of("group", CollectiveGroups.keyOf(g), "instance", "bad", "reduction",
                    "sum", "replicas", 2L);
            Exception e2 = assertThrows(RuntimeException.class, () -> Ops.run(CollectiveOps.ALL_REDUCE, wrong,
                    Tensors.of(new float[] {1}, 1)));
            assertTrue(e2.getMessage().contains("built for 2 replicas but group"), e2.getMessage());
            var mode = wrong.with("replicas", 1L).with("reduction", "max");
            Exception e3 = assertThrows(OpException.class, () -> Ops.run(CollectiveOps.ALL_REDUCE, mode,
                    Tensors.of(new float[] {1}, 1)));
            assertTrue(e3.getMessage().contains("reduction must be \"sum\" or \"mean\""), e3.getMessage());
            // a group of one: the sum is the input
            assertArrayEquals(new float[] {4, 5}, CollectiveOps.allReduce(g, "one", true,
                    List.of(Tensors.of(new float[] {4, 5}, 2))).get(0).toFloatArray());
        }
        assertThrows(IllegalStateException.class, () -> CollectiveGroups.get("group-none"));
    }
}
