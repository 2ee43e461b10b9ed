package org.nabla.runtime.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.nabla.TensorAssert;
import org.nabla.Tensors;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.runtime.SerialExecutor;

/**
 * Each pass alone and all together: the optimized graph gives the same values as the original on random feeds
 * (run with SerialExecutor), and the pass has its structural effect.
 */
class GraphOptimizerTest {
    private final Random random = new Random(42);

    // ---------------------------------------------------------------- helpers

    private static Output out(Tensor t) { return (Output) t.symbol(); }

    private static List<Output> outs(Tensor... ts) {
        List<Output> l = new ArrayList<>();
        for (Tensor t : ts) l.add(out(t));
        return l;
    }

    private static long count(Graph g, String op) {
        return g.nodes().stream().filter(n -> n.op().name().equals(op)).count();
    }

    /** Random values for every placeholder (unknown dimensions become 3). */
    private Map<Output, Tensor> randomFeeds(Graph g) {
        Map<Output, Tensor> feeds = new HashMap<>();
        for (Node n : g.nodes()) {
            if (!n.op().name().equals("Placeholder")) continue;
            int[] dims = n.outputSpec(0).shape().dims();
            for (int i = 0; i < dims.length; i++) if (dims[i] < 0) dims[i] = 3;
            feeds.put(new Output(n, 0), randomTensor(n.outputSpec(0).dtype(), dims));
        }
        return feeds;
    }

    /** A random tensor made without ops (so it can be called while a graph is being built). */
    private Tensor randomTensor(DType dtype, int... dims) {
        int size = 1;
        for (int d : dims) size *= d;
        return switch (dtype) {
            case FLOAT32 -> {
                float[] v = new float[size];
                for (int i = 0; i < size; i++) v[i] = (float) random.nextGaussian();
                yield Tensors.of(v, dims);
            }
            case FLOAT64 -> {
                double[] v = new double[size];
                for (int i = 0; i < size; i++) v[i] = random.nextGaussian();
                yield Tensors.of(v, dims);
            }
            case INT32 -> {
                int[] v = new int[size];
                for (int i = 0; i < size; i++) v[i] = random.nextInt(7) - 3;
                yield Tensors.of(v, dims);
            }
            default -> throw new IllegalArgumentException("no random feeds for " + dtype);
        };
    }

    /** Optimizes, runs both graphs on the same feeds, compares every fetch; returns the optimized graph. */
    private Optimized assertSameResults(Graph g, List<Output> fetches, List<Node> targets, OptimizerOptions options,
                                        Map<Output, Tensor> extraFeeds, double tol) {
        Map<Output, Tensor> feeds = randomFeeds(g);
        feeds.putAll(extraFeeds);
        List<Output> keep = new ArrayList<>(fetches);
        keep.addAll(feeds.keySet());
        Optimized opt = GraphOptimizer.optimize(g, keep, targets, options);
        List<Tensor> expected = SerialExecutor.run(g, feeds, fetches, targets);
        Map<Output, Tensor> newFeeds = new HashMap<>();
        feeds.forEach((o, t) -> newFeeds.put(opt.output(o), t));
        List<Tensor> actual = SerialExecutor.run(opt.graph(), newFeeds, fetches.stream().map(opt::output).toList(),
                targets.stream().map(opt::node).toList());
        for (int i = 0; i < fetches.size(); i++) {
            Tensor e = expected.get(i), a = actual.get(i);
            assertEquals(e.spec(), a.spec(), "fetch " + fetches.get(i));
            TensorAssert.assertClose(e.toDoubleArray(), a.toDoubleArray(), tol);
        }
        return opt;
    }

    private Optimized assertSameResults(Graph g, List<Output> fetches, OptimizerOptions options) {
        return assertSameResults(g, fetches, List.of(), options, Map.of(), 0);
    }

    // ---------------------------------------------------------------- constant folding

    @Test
    void constantFoldingComputesConstantSubgraphsOnce() {
        Graph g = new Graph();
        Tensor y, r, big;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
            Tensor c = g.constant("c", new float[][] {{1, 2, 3}, {4, 5, 6}});
            Tensor t = Ops.add(Ops.mul(c, c), Ops.exp(Ops.neg(c)));      // constant: folded
            Tensor s3 = Ops.sum(t, 0);                                     // constant: folded
            y = Ops.add(x, s3);                                            // depends on x: kept
            r = Ops.add(Ops.randomUniform(new int[] {3}, DType.FLOAT32, 0, 1, 7), s3); // stateful: kept
            big = Ops.add(Ops.fill(1f, 4, 5), 1f);                         // 20 elements
        }
        Optimized opt = assertSameResults(g, outs(y, r, big), OptimizerOptions.only("constantFolding"));
        Graph o = opt.graph();
        assertEquals(0, count(o, "Mul"));
        assertEquals(0, count(o, "Exp"));
        assertEquals(0, count(o, "Sum"));
        assertEquals(0, count(o, "Fill"));
        assertEquals(1, count(o, "RandomUniform"));
        assertEquals(2, count(o, "Add")); // x + s3 and random + s3
        assertEquals(1, count(o, "Placeholder"));
        // The folded Sum keeps its name and holds the value.
        Node sum = o.node("Sum");
        assertEquals("Const", sum.op().name());
        float[] expected = new float[3];
        float[][] cv = {{1, 2, 3}, {4, 5, 6}};
        for (int j = 0; j < 3; j++) {
            for (float[] row : cv) expected[j] += (float) (row[j] * row[j] + Math.exp(-row[j]));
        }
        TensorAssert.assertClose(new double[] {expected[0], expected[1], expected[2]},
                ((Tensor) sum.attrs().get("value")).toDoubleArray(), 1e-6);

        // The size cap: outputs over the limit stay computed at run time.
        Optimized capped = assertSameResults(g, outs(y, r, big), List.of(), OptimizerOptions.only("constantFolding")
                .withMaxFoldedElements(10), Map.of(), 0);
        assertEquals(1, count(capped.graph(), "Fill"));
        assertEquals(0, count(capped.graph(), "Sum"));
    }

    @Test
    void foldingNeverLooksThroughAFedOutput() {
        Graph g = new Graph();
        Tensor t, y, z;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(3));
            t = Ops.mul(g.constant("c", new float[] {1, 2, 3}), 2f);
            y = Ops.add(x, t);
            z = Ops.square(t);
        }
        Tensor fedT = Tensors.of(new float[] {-1, 10, 0.5f});
        Optimized opt = assertSameResults(g, outs(y, z), List.of(), OptimizerOptions.DEFAULT,
                Map.of(out(t), fedT), 0);
        assertEquals(1, count(opt.graph(), "Square"), "z = t^2 must stay computed from the fed t");
    }

    // ---------------------------------------------------------------- common subexpressions

    @Test
    void cseMergesEqualNodesOnly() {
        Graph g = new Graph();
        List<Tensor> fetches = new ArrayList<>();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(2));
            Tensor p2 = g.placeholder("p2", DType.FLOAT32, Shape.of(2)); // same attrs as x: never merged
            Tensor c1 = g.constant("c1", new float[] {1, 2});
            Tensor c2 = g.constant("c2", new float[] {1, 2});                  // equal value: merged with c1
            Tensor c3 = g.constant("c3", new float[] {1, -2});
            Tensor z1 = g.constant("z1", new float[] {0f, 0f});
            Tensor z2 = g.constant("z2", new float[] {-0f, 0f});               // -0.0 differs bitwise: kept
            Tensor a = Ops.mul(Ops.add(x, c1), 3f);
            Tensor b = Ops.mul(Ops.add(x, c2), 3f);                            // same as a once c2 is c1
            Tensor r1 = Ops.randomNormal(new int[] {2}, DType.FLOAT32, 0, 1, 5);
            Tensor r2 = Ops.randomNormal(new int[] {2}, DType.FLOAT32, 0, 1, 5); // stateful: kept
            Tensor d;
            try (Graph.ControlScope cs = g.withControlDependencies(List.of(r1))) {
                d = Ops.add(x, c1);                                            // other control inputs: kept
            }
            fetches.addAll(List.of(Ops.sub(a, b), Ops.add(x, c3), Ops.add(p2, z1), Ops.add(p2, z2), r1, r2, d));
        }
        Optimized opt = assertSameResults(g, outs(fetches.toArray(Tensor[]::new)),
                OptimizerOptions.only("commonSubexpressionElimination"));
        Graph o = opt.graph();
        assertEquals(1, count(o, "Mul"));
        assertEquals(2, count(o, "RandomNormal"));
        assertEquals(2, count(o, "Placeholder"));
        // Consts: c1/c2 and the two scalar 3s merge; c3, z1, z2 stay.
        assertEquals(5, count(o, "Const"));
        Node sub = opt.output(out(fetches.get(0))).node();
        assertEquals(sub.inputs().get(0), sub.inputs().get(1), "a - b became a - a");
        // Add: x+c1 (also standing for x+c2), x+c3, p2+z1, p2+z2, and the controlled x+c1.
        assertEquals(5, count(o, "Add"));
    }

    // ---------------------------------------------------------------- dead nodes

    @Test
    void deadNodeRemovalKeepsOnlyWhatFetchesAndTargetsNeed() {
        Graph g = new Graph();
        Tensor y;
        Node target;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(2));
            Tensor unused = Ops.exp(Ops.tanh(x));
            Ops.randomUniform(new int[] {2}, DType.FLOAT32, 0, 1, 3); // stateful but unneeded
            y = Ops.sqrt(Ops.abs(x));
            Tensor side = Ops.neg(x);
            try (Graph.ControlScope cs = g.withControlDependencies(List.of(side))) {
                Ops.noOp();
            }
            target = g.node("NoOp");
            assertTrue(unused.isSymbolic());
        }
        Optimized opt = assertSameResults(g, outs(y), List.of(target), OptimizerOptions.only("deadNodeRemoval"),
                Map.of(), 0);
        Graph o = opt.graph();
        assertEquals(List.of("x", "Abs", "Sqrt", "Neg", "NoOp"), o.nodes().stream().map(Node::name).toList());
        assertEquals("Neg", o.node("NoOp").controlInputs().get(0).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.output(g.outputOf(g.tensor("Exp"))));
        assertTrue(e.getMessage().contains("Exp:0 is not in the optimized graph"), e.getMessage());
    }

    // ---------------------------------------------------------------- arithmetic simplification

    @Test
    void simplificationRemovesNeutralOpsWithoutChangingShapes() {
        Graph g = new Graph();
        List<Tensor> removed = new ArrayList<>();
        List<Tensor> kept = new ArrayList<>();
        Tensor tt3, rr, x;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(2, 3));
            Tensor i = g.placeholder("i", DType.INT32, Shape.of(3));
            Tensor row = g.placeholder("row", DType.FLOAT32, Shape.of(1, 3));
            removed.add(Ops.mul(x, 1f));
            removed.add(Ops.mul(g.constant("ones", new float[] {1, 1, 1}), x));
            removed.add(Ops.add(x, 0f));
            removed.add(Ops.add(Tensors.of(new float[] {0, -0f, 0}), x));
            removed.add(Ops.sub(x, 0f));
            removed.add(Ops.div(x, 1f));
            removed.add(Ops.add(i, 0));
            removed.add(Ops.neg(Ops.neg(x)));
            removed.add(Ops.identity(Ops.identity(x)));
            removed.add(Ops.transpose(Ops.transpose(x, 1, 0), 1, 0));
            removed.add(Ops.transpose(x, 0, 1));
            removed.add(Ops.reshape(x, 2, 3));
            removed.add(Ops.reshape(Ops.reshape(x, 6), 2, 3));
            kept.add(Ops.mul(row, g.constant("ones23", new float[][] {{1, 1, 1}, {1, 1, 1}}))); // broadcasts
            kept.add(Ops.sub(0f, x));
            kept.add(Ops.div(1f, x));
            kept.add(Ops.mul(x, 2f));
            kept.add(Ops.add(x, Tensors.of(new float[] {0, 1, 0})));
            Tensor x3 = Ops.reshape(x, 1, 2, 3);
            tt3 = Ops.transpose(Ops.transpose(x3, 2, 0, 1), 0, 2, 1);          // one transpose left
            rr = Ops.reshape(Ops.reshape(x, 3, 2), 6);                         // one reshape left
        }
        List<Tensor> all = new ArrayList<>(removed);
        all.addAll(kept);
        all.add(tt3);
        all.add(rr);
        Map<Output, Tensor> feeds = randomFeeds(g);
        // The fetched outputs are pinned, so fetch the consumers of each: one Neg per tensor.
        Graph g2 = g;
        List<Tensor> consumers = new ArrayList<>();
        try (ExecutionContext.Scope s = g2.asDefault()) {
            for (Tensor t : all) consumers.add(Ops.abs(t));
        }
        Optimized opt = assertSameResults(g, outs(consumers.toArray(Tensor[]::new)), List.of(),
                OptimizerOptions.only("arithmeticSimplification"), feeds, 0);
        for (int k = 0; k < removed.size(); k++) {
            Output in = opt.output(out(consumers.get(k))).node().inputs().get(0);
            assertEquals(k == 6 ? "i" : "x", in.node().name(), "rule " + k + " should forward its input");
        }
        for (int k = 0; k < kept.size(); k++) {
            Node op = opt.output(out(consumers.get(removed.size() + k))).node().inputs().get(0).node();
            assertEquals(out(kept.get(k)).node().op().name(), op.op().name(), "kept " + k);
        }
        Node t = opt.output(out(consumers.get(all.size() - 2))).node().inputs().get(0).node();
        assertEquals("Transpose", t.op().name());
        assertArrayEquals(new int[] {2, 1, 0}, t.attrs().getInts("perm"));
        assertEquals("Reshape", t.inputs().get(0).node().op().name());
        Node r = opt.output(out(consumers.get(all.size() - 1))).node().inputs().get(0).node();
        assertEquals("Reshape", r.op().name());
        assertEquals("x", r.inputs().get(0).node().name());
    }

    @Test
    void simplificationNeverRemovesOrLooksThroughPinnedNodes() {
        Graph g = new Graph();
        Tensor inner, outer, one, scaled;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(3));
            inner = Ops.neg(x);
            outer = Ops.neg(inner);
            one = g.constant("one", new float[] {1, 1, 1});
            scaled = Ops.mul(x, one);
        }
        // inner is fed and one is fed: -(-x) must become -(fed inner), x * one must use the fed one.
        Map<Output, Tensor> feeds = Map.of(out(inner), Tensors.of(new float[] {5, 6, 7}), out(one),
                Tensors.of(new float[] {2, 2, 2}));
        Optimized opt = assertSameResults(g, outs(outer, scaled), List.of(),
                OptimizerOptions.only("arithmeticSimplification"), feeds, 0);
        assertEquals(2, count(opt.graph(), "Neg"));
        assertEquals(1, count(opt.graph(), "Mul"));
    }

    // ---------------------------------------------------------------- fusion

    @Test
    void fusionTurnsElementwiseChainsIntoOneOp() {
        Graph g = new Graph();
        Tensor y, shared, z, d;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 700));
            Tensor w = g.placeholder("w", DType.FLOAT32, Shape.of(-1, 700));
            Tensor b = g.placeholder("b", DType.FLOAT32, Shape.of(700));
            y = Ops.sub(Ops.relu(Ops.biasAdd(Ops.mul(x, w), b)), Ops.leakyRelu(Ops.tanh(x), 0.25));
            shared = Ops.sigmoid(Ops.square(x));              // used twice below: its own chain root
            z = Ops.div(Ops.add(shared, 1f), Ops.maximum(shared, Ops.exp(Ops.neg(w))));
            Tensor x64 = Ops.cast(x, DType.FLOAT64);
            d = Ops.exp(Ops.neg(x64));                        // float64: not fused
        }
        Optimized opt = assertSameResults(g, outs(y, z, d), List.of(), OptimizerOptions.only("fusion"), Map.of(),
                1e-5);
        Graph o = opt.graph();
        assertEquals(3, count(o, "FusedElementwise"), o.toString());
        for (String op : List.of("Mul", "BiasAdd", "Relu", "Tanh", "LeakyRelu", "Sub", "Square", "Sigmoid", "Div",
                "Maximum")) {
            assertEquals(0, count(o, op), op);
        }
        assertEquals(1, count(o, "Exp"), "the float64 Exp stays");
        assertEquals(1, count(o, "Neg"), "the float64 Neg stays");
        Node fusedY = opt.output(out(y)).node();
        assertEquals("Sub", fusedY.name(), "the fused node takes the root's name");
        assertEquals(List.of("x", "w", "b"), fusedY.inputs().stream().map(i -> i.node().name()).toList());
        assertArrayEquals(new double[] {0.25}, fusedY.attrs().getDoubles("params"));
        Node fusedShared = opt.output(out(shared)).node();
        assertEquals("FusedElementwise", fusedShared.op().name());
        Node fusedZ = opt.output(out(z)).node();
        assertEquals(1, fusedZ.inputs().stream().filter(i -> i.node() == fusedShared).count(),
                "the shared value is one input of the z chain");
        int[] program = fusedZ.attrs().getInts("program");
        int loads = 0;
        for (int k = 0; k < program.length; k += 2) if (program[k] == 0 && program[k + 1] == 0) loads++;
        assertEquals(2, loads, "and it is loaded twice: " + java.util.Arrays.toString(program));
    }

    @Test
    void fusionLeavesPinnedAndMultiUseIntermediatesAlone() {
        Graph g = new Graph();
        Tensor a, y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(4, 5));
            a = Ops.exp(x);
            y = Ops.tanh(Ops.relu(a));
        }
        Optimized opt = assertSameResults(g, outs(y, a), List.of(), OptimizerOptions.only("fusion"), Map.of(), 1e-6);
        assertEquals(1, count(opt.graph(), "Exp"), "a is fetched: not absorbed");
        assertEquals(1, count(opt.graph(), "FusedElementwise"));
    }

    @Test
    void convolutionBiasAndReluFuseIntoOneOpWithTheSameValues() {
        Graph g = new Graph();
        Tensor relu, plain, shared, sharedUse, nchw;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 9, 8, 5));
            Tensor f = g.placeholder("f", DType.FLOAT32, Shape.of(3, 3, 5, 40));
            Tensor b = g.placeholder("b", DType.FLOAT32, Shape.of(40));
            relu = Ops.relu(Ops.biasAdd(Ops.conv2d(x, f, 1, "SAME"), b));       // -> FusedConv2D RELU
            plain = Ops.biasAdd(Ops.conv2d(x, f, new int[] {2, 2}, "VALID"), b); // -> FusedConv2D NONE
            shared = Ops.conv2d(x, f, 1, "VALID");                              // used twice: stays
            sharedUse = Ops.add(Ops.biasAdd(shared, b), shared);
            Tensor xc = g.placeholder("xc", DType.FLOAT32, Shape.of(2, 5, 9, 8));
            nchw = Ops.relu(Ops.biasAdd(Ops.conv2d(xc, f, org.nabla.Conv2dOptions.defaults().dataFormat("NCHW")),
                    b, "NCHW"));                                                // channels first: stays
        }
        Optimized opt = assertSameResults(g, outs(relu, plain, sharedUse, nchw), List.of(),
                OptimizerOptions.only("fusion"), Map.of(), 0); // the same kernels' sums: bit for bit
        Graph o = opt.graph();
        assertEquals(2, count(o, "FusedConv2D"), o.toString());
        assertEquals(2, count(o, "Conv2D"), o.toString());
        assertEquals("RELU", opt.output(out(relu)).node().attrs().getString("activation"));
        assertEquals("NONE", opt.output(out(plain)).node().attrs().getString("activation"));
    }

    @Test
    void matmulBiasAndReluFuseIntoOneOpWithTheSameBits() {
        Graph g = new Graph();
        Tensor relu, narrow, transposed, small, shared, sharedUse, batched;
        try (ExecutionContext.Scope s = g.asDefault()) {
            // 300 x 40 x 600: the packed GEMM with two K blocks; 300 x 10 x 128: the narrow kernel; 3 x 7 x 5 small.
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(300, 600));
            Tensor w = g.placeholder("w", DType.FLOAT32, Shape.of(600, 40));
            Tensor wt = g.placeholder("wt", DType.FLOAT32, Shape.of(40, 600));
            Tensor b = g.placeholder("b", DType.FLOAT32, Shape.of(40));
            Tensor h = g.placeholder("h", DType.FLOAT32, Shape.of(300, 128));
            Tensor w2 = g.placeholder("w2", DType.FLOAT32, Shape.of(128, 10));
            Tensor b2 = g.placeholder("b2", DType.FLOAT32, Shape.of(10));
            Tensor xs = g.placeholder("xs", DType.FLOAT32, Shape.of(-1, 5));
            Tensor ws = g.placeholder("ws", DType.FLOAT32, Shape.of(5, 7));
            Tensor bs = g.placeholder("bs", DType.FLOAT32, Shape.of(7));
            relu = Ops.relu(Ops.biasAdd(Ops.matmul(x, w), b));                 // -> FusedMatMul RELU
            narrow = Ops.biasAdd(Ops.matmul(h, w2), b2);                        // -> FusedMatMul NONE
            transposed = Ops.relu(Ops.biasAdd(Ops.matmul(x, wt, false, true), b)); // -> RELU, transposeB
            small = Ops.relu(Ops.biasAdd(Ops.matmul(xs, ws), bs));              // -> RELU, the small loop
            shared = Ops.matmul(h, w2);                                         // used twice: stays
            sharedUse = Ops.add(Ops.biasAdd(shared, b2), shared);
            Tensor x3 = g.placeholder("x3", DType.FLOAT32, Shape.of(2, 4, 5));
            batched = Ops.biasAdd(Ops.matmul(x3, ws), bs);                       // rank 3: stays
        }
        Optimized opt = assertSameResults(g, outs(relu, narrow, transposed, small, sharedUse, batched), List.of(),
                OptimizerOptions.only("fusion"), Map.of(), 0); // the same GEMM sums, bias and max: bit for bit
        Graph o = opt.graph();
        assertEquals(4, count(o, "FusedMatMul"), o.toString());
        assertEquals(2, count(o, "MatMul"), o.toString());
        assertEquals("RELU", opt.output(out(relu)).node().attrs().getString("activation"));
        assertEquals("NONE", opt.output(out(narrow)).node().attrs().getString("activation"));
        assertTrue(opt.output(out(transposed)).node().attrs().getBool("transposeB"));
    }

    @Test
    void twoDenseLayersFuseIntoOnePairOnlyWhenTheHiddenLayerHasNoOtherUse() {
        Graph g = new Graph();
        Tensor logits, hiddenKept, keptLogits, wide, chain;
        try (ExecutionContext.Scope s = g.asDefault()) {
            // 300 x 784 x 128 then x 10: the mlp's inference, the row-block path of the pair's kernel.
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(300, 784));
            Tensor w = g.placeholder("w", DType.FLOAT32, Shape.of(784, 128));
            Tensor b = g.placeholder("b", DType.FLOAT32, Shape.of(128));
            Tensor w2 = g.placeholder("w2", DType.FLOAT32, Shape.of(128, 10));
            Tensor b2 = g.placeholder("b2", DType.FLOAT32, Shape.of(10));
            Tensor w3 = g.placeholder("w3", DType.FLOAT32, Shape.of(128, 40));
            Tensor b3 = g.placeholder("b3", DType.FLOAT32, Shape.of(40));
            Tensor w4 = g.placeholder("w4", DType.FLOAT32, Shape.of(10, 10));
            logits = Ops.biasAdd(Ops.matmul(Ops.relu(Ops.biasAdd(Ops.matmul(x, w), b)), w2), b2); // -> pair
            hiddenKept = Ops.relu(Ops.biasAdd(Ops.matmul(Ops.neg(x), w), b));                       // fetched: stays
            keptLogits = Ops.biasAdd(Ops.matmul(hiddenKept, w2), b2);
            wide = Ops.biasAdd(Ops.matmul(Ops.relu(Ops.biasAdd(Ops.matmul(Ops.abs(x), w), b)), w3), b3); // 40: stays
            Tensor first = Ops.relu(Ops.biasAdd(Ops.matmul(Ops.exp(x), w), b));
            chain = Ops.biasAdd(Ops.matmul(Ops.biasAdd(Ops.matmul(first, w2), b2), w4), b2); // three: one pair
        }
        Optimized opt = assertSameResults(g, outs(logits, hiddenKept, keptLogits, wide, chain), List.of(),
                OptimizerOptions.only("fusion"), Map.of(), 0); // the same two products: bit for bit
        Graph o = opt.graph();
        assertEquals(2, count(o, "FusedMatMulPair"), o.toString());
        assertEquals(5, count(o, "FusedMatMul"), o.toString());
        Node pair = opt.output(out(logits)).node();
        assertEquals("FusedMatMulPair", pair.op().name());
        assertEquals("RELU", pair.attrs().getString("activation1"));
        assertEquals("NONE", pair.attrs().getString("activation2"));
        assertEquals("FusedMatMul", opt.output(out(keptLogits)).node().op().name());
        assertEquals("FusedMatMul", opt.output(out(wide)).node().op().name());
    }

    @Test
    void convolutionAndTheMaxPoolAfterItFuseOnlyWhenThePoolIsItsOnlyUse() {
        Graph g = new Graph();
        Tensor pooled, pooled3, padded, strided, kept, keptUse, dilated;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 11, 10, 5));
            Tensor f = g.placeholder("f", DType.FLOAT32, Shape.of(3, 3, 5, 40));
            Tensor b = g.placeholder("b", DType.FLOAT32, Shape.of(40));
            int[] two = {2, 2};
            pooled = Ops.maxPool2d(Ops.relu(Ops.biasAdd(Ops.conv2d(x, f, 1, "VALID"), b)), two, two, "VALID");
            pooled3 = Ops.maxPool2d(Ops.biasAdd(Ops.conv2d(x, f, 1, "SAME"), b), new int[] {3, 3},
                    new int[] {3, 3}, "VALID");                                             // fused, 3x3
            padded = Ops.maxPool2d(Ops.relu(Ops.biasAdd(Ops.conv2d(x, f, 1, "SAME"), b)), two, two, "SAME");
            strided = Ops.maxPool2d(Ops.relu(Ops.biasAdd(Ops.conv2d(x, f, 1, "SAME"), b)), new int[] {3, 3}, two,
                    "VALID");                                                               // overlapping: stays
            kept = Ops.relu(Ops.biasAdd(Ops.conv2d(x, f, 1, "VALID"), b));                  // also used below
            keptUse = Ops.add(Ops.maxPool2d(kept, two, two, "VALID"), Ops.sum(kept));
            dilated = Ops.maxPool2d(Ops.relu(Ops.biasAdd(Ops.conv2d(x, f, org.nabla.Conv2dOptions.defaults()
                    .dilations(1, 2)), b)), two, two, "VALID"); // fused; column dilation: the kernel's generic path
        }
        Optimized opt = assertSameResults(g, outs(pooled, pooled3, padded, strided, keptUse, dilated), List.of(),
                OptimizerOptions.only("fusion"), Map.of(), 0); // the same kernels' sums and maxima: bit for bit
        Graph o = opt.graph();
        assertEquals(3, count(o, "MaxPool2D"), o.toString());
        assertEquals(6, count(o, "FusedConv2D"), o.toString());
        assertEquals(2, opt.output(out(pooled)).node().attrs().getInt("maxPool"));
        assertEquals(2, opt.output(out(dilated)).node().attrs().getInt("maxPool"));
        assertEquals(3, opt.output(out(pooled3)).node().attrs().getInt("maxPool"));
        assertEquals(Shape.of(-1, 4, 4, 40), opt.output(out(pooled)).spec().shape());
    }

    // ---------------------------------------------------------------- all together

    @Test
    void allPassesTogetherOnAnMlpKeepResultsAndRoundTripThroughAFile() throws Exception {
        Graph g = new Graph();
        Tensor loss, probs;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 8));
            Tensor labels = g.placeholder("labels", DType.FLOAT32, Shape.of(-1, 4));
            Tensor w1 = Ops.mul(g.constant("w1", randomTensor(DType.FLOAT32, 8, 16)), 0.5f);
            Tensor b1 = Ops.add(g.constant("b1", randomTensor(DType.FLOAT32, 16)), 0f);
            Tensor w2 = g.constant("w2", randomTensor(DType.FLOAT32, 16, 4));
            Tensor h = Ops.relu(Ops.add(Ops.matmul(x, w1), b1));
            Tensor h2 = Ops.relu(Ops.add(Ops.matmul(x, w1), b1));  // duplicate layer
            Tensor logits = Ops.matmul(Ops.mul(Ops.add(h, h2), 0.5f), w2);
            probs = Ops.identity(Ops.softmax(logits));
            loss = Ops.mean(Ops.softmaxCrossEntropyWithLogits(logits, labels));
            Ops.exp(Ops.sum(x));                                    // dead
        }
        Optimized opt = assertSameResults(g, outs(loss, probs), List.of(), OptimizerOptions.DEFAULT, Map.of(), 1e-5);
        Graph o = opt.graph();
        assertTrue(o.size() < g.size(), o.toString());
        assertEquals(2, count(o, "MatMul"), "the duplicate first layer is merged: " + o);
        assertEquals(0, count(o, "Exp"));
        // relu(x w1 + b1) and (h + h) * 0.5 become fused ops; w1 * 0.5 is folded.
        assertEquals(2, count(o, "FusedElementwise"), o.toString());
        assertEquals(0, count(o, "Mul"), o.toString());
        // The optimized graph (with its fused op) is an ordinary graph: it round-trips through a file.
        Graph back = GraphIO.fromBytes(GraphIO.toBytes(o));
        assertEquals(o.toString(), back.toString());
    }

    @Test
    void noPassesMeansTheSameGraphAndBadArgumentsFail() {
        Graph g = new Graph();
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            y = Ops.neg(g.placeholder("x", DType.FLOAT32, Shape.of(2)));
        }
        Optimized opt = GraphOptimizer.optimize(g, outs(y), List.of(), OptimizerOptions.NONE);
        assertSame(g, opt.graph());
        assertEquals(out(y), opt.output(out(y)));
        Optimized copy = GraphOptimizer.optimize(g, outs(y), List.of(), OptimizerOptions.only("deadNodeRemoval"));
        assertNotSame(g, copy.graph());
        Graph other = new Graph();
        other.constant("c", 1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphOptimizer.optimize(g,
                List.of(other.outputOf(other.tensor("c"))), List.of(), OptimizerOptions.DEFAULT));
        assertTrue(e.getMessage().contains("kept output c:0 is not in this graph"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptimizerOptions.only("inlining"));
    }
}
