package org.nabla.runtime.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.graph.Output;
import org.nabla.runtime.SerialExecutor;

/**
 * Random graphs built to trigger every pass (constants of ones and zeros, duplicates, double negations, transposes
 * and reshapes of themselves, elementwise chains, seeded random ops), optimized with each pass alone and with all of
 * them, fetching random outputs and feeding random intermediate ones: the optimized graph must give the same values.
 */
class RandomGraphOptimizerTest {
    private static final List<OptimizerOptions> CONFIGS = List.of(
            OptimizerOptions.only("constantFolding"), OptimizerOptions.only("commonSubexpressionElimination"),
            OptimizerOptions.only("deadNodeRemoval"), OptimizerOptions.only("arithmeticSimplification"),
            OptimizerOptions.only("fusion"), OptimizerOptions.DEFAULT);

    @Test
    void optimizedGraphsComputeTheSameValues() throws Exception {
        Map<OptimizerOptions, Integer> changed = new HashMap<>();
        for (int seed = 0; seed < 30; seed++) {
            Random r = new Random(seed);
            Graph g = new Graph();
            List<Tensor> values = new ArrayList<>();
            Map<Output, Tensor> feeds = new HashMap<>();
            try (ExecutionContext.Scope s = g.asDefault()) {
                for (int p = 0; p < 2; p++) {
                    Tensor x = g.placeholder("x" + p, DType.FLOAT32, Shape.of(-1, 4));
                    feeds.put(g.outputOf(x), random(r, 4, 4));
                    values.add(x);
                }
                values.add(Ops.constant(random(r, 4, 4)));
                for (int k = 0; k < 25; k++) values.add(randomOp(r, values));
            }
            List<Output> fetches = new ArrayList<>();
            for (int k = 0; k < 3; k++) fetches.add(g.outputOf(values.get(values.size() - 1 - r.nextInt(8))));
            if (r.nextBoolean()) { // feed an intermediate value too
                Tensor t = values.get(3 + r.nextInt(values.size() - 3));
                if (t.shape().equals(Shape.of(4, 4)) || t.shape().isCompatibleWith(Shape.of(4, 4))) {
                    feeds.put(g.outputOf(t), random(r, 4, 4));
                }
            }
            List<Tensor> expected = SerialExecutor.run(g, feeds, fetches, List.of());
            List<Output> keep = new ArrayList<>(fetches);
            keep.addAll(feeds.keySet());
            for (OptimizerOptions options : CONFIGS) {
                Optimized opt = GraphOptimizer.optimize(g, keep, List.of(), options);
                Map<Output, Tensor> newFeeds = new HashMap<>();
                feeds.forEach((o, v) -> newFeeds.put(opt.output(o), v));
                List<Tensor> actual = SerialExecutor.run(opt.graph(), newFeeds,
                        fetches.stream().map(opt::output).toList(), List.of());
                for (int i = 0; i < fetches.size(); i++) {
                    compare(expected.get(i), actual.get(i), "seed " + seed + " " + options + " fetch " + fetches.get(i)
                            + "\n" + g + "\noptimized:\n" + opt.graph());
                }
                GraphIO.fromBytes(GraphIO.toBytes(opt.graph())); // every optimized graph can be saved
                if (!opCounts(opt.graph()).equals(opCounts(g))) changed.merge(options, 1, Integer::sum);
            }
        }
        for (OptimizerOptions o : CONFIGS) {
            assertTrue(changed.getOrDefault(o, 0) >= 5, "the pass should have changed several graphs: " + o);
        }
    }

    private static Map<String, Long> opCounts(Graph g) {
        Map<String, Long> m = new HashMap<>();
        for (var n : g.nodes()) m.merge(n.op().name(), 1L, Long::sum);
        return m;
    }

    private static void compare(Tensor e, Tensor a, String where) {
        assertEquals(e.spec(), a.spec(), where);
        double[] x = e.toDoubleArray(), y = a.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) && Double.isNaN(y[i]) || x[i] == y[i]) continue;
            if (!(Math.abs(x[i] - y[i]) <= 1e-5 * (1 + Math.abs(x[i])))) {
                fail("element " + i + ": " + x[i] + " vs " + y[i] + " at " + where);
            }
        }
    }

    private static Tensor random(Random r, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return Tensors.of(v, shape);
    }

    /** One random op over earlier values (biased towards recent ones, so chains form). */
    private static Tensor randomOp(Random r, List<Tensor> values) {
        Tensor a = pick(r, values), b = pick(r, values);
        int op = r.nextInt(22);
        if (a.rank() != 2 && (op == 13 || op == 14 || op == 20 || op == 21)) op = 8;
        return switch (op) {
            case 0 -> Ops.add(a, b);
            case 1 -> Ops.sub(a, b);
            case 2 -> Ops.mul(a, b);
            case 3 -> Ops.maximum(a, b);
            case 4 -> Ops.neg(a);
            case 5 -> Ops.neg(Ops.neg(a));
            case 6 -> Ops.tanh(a);
            case 7 -> Ops.sigmoid(a);
            case 8 -> Ops.relu(a);
            case 9 -> Ops.square(Ops.tanh(a));
            case 10 -> Ops.mul(a, 1f);
            case 11 -> Ops.add(Tensors.of(new float[] {0, 0, 0, 0}), a);
            case 12 -> Ops.div(a, Ops.add(Ops.abs(b), 1f));
            case 13 -> Ops.transpose(Ops.transpose(a, 1, 0), 1, 0);
            case 14 -> Ops.reshape(Ops.reshape(a, 16), 4, 4);
            case 15 -> Ops.identity(a);
            case 16 -> Ops.add(Ops.mul(a, b), Ops.mul(a, b)); // a duplicate
            case 17 -> Ops.add(a, Ops.randomUniform(new int[] {4, 4}, DType.FLOAT32, -1, 1, r.nextInt(3)));
            case 18 -> Ops.mul(Ops.constant(Tensors.of(new float[] {1, 2, 3, 4})), Ops.constant(Tensors.scalar(2f)));
            case 19 -> Ops.leakyRelu(Ops.sub(a, Ops.exp(Ops.tanh(b))), 0.3);
            case 20 -> Ops.transpose(a, 1, 0);
            default -> Ops.biasAdd(a, Ops.constant(Tensors.of(new float[] {1, -1, 0.5f, 0})));
        };
    }

    private static Tensor pick(Random r, List<Tensor> values) {
        int n = values.size();
        int i = r.nextInt(3) == 0 ? r.nextInt(n) : n - 1 - r.nextInt(Math.min(n, 4));
        return values.get(i);
    }
}
