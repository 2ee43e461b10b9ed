package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.Conv2dOptions;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.autodiff.Gradients;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.runtime.SerialExecutor;
import org.nabla.runtime.optimize.GraphOptimizer;
import org.nabla.runtime.optimize.Optimized;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * MaxPoolBiasReluGrad against the two ops it replaces (ArgmaxScatter then BiasReluGrad), and the graph optimizer's
 * fusion that builds it from a ReLU layer's and a max pooling's gradients.
 */
class MaxPoolReluGradTest {
    /** {kh, kw, sh, sw, same}: disjoint windows, overlapping windows (one input element the max of several). */
    private static final int[][] CONFIGS = {{2, 2, 2, 2, 0}, {3, 3, 2, 2, 1}, {3, 3, 1, 1, 0}};

    @Test
    void matchesScatterThenBiasReluGrad() {
        for (int[] cfg : CONFIGS) {
            for (boolean f32 : new boolean[] {true, false}) {
                int[] k = {cfg[0], cfg[1]}, s = {cfg[2], cfg[3]};
                double[] v = Ref.random(9 * 7 * 8 * 5, cfg[0] + cfg[2], -1, 1);
                for (int i = 0; i < v.length; i += 7) v[i] = 0; // zeros: the mask is output > 0
                Tensor y = f32 ? Ref.f32(v, 9, 7, 8, 5) : Ref.f64(v, 9, 7, 8, 5);
                Tensor[] pool = PoolingOps.maxPoolWithArgmax(y, k, s, cfg[4] == 1 ? "SAME" : "VALID");
                double[] gv = Ref.random((int) pool[0].size(), 3, -1, 1);
                Tensor g = f32 ? Ref.f32(gv, pool[0].shape().dims()) : Ref.f64(gv, pool[0].shape().dims());
                Tensor scattered = Ops.run(PoolingOps.ARGMAX_SCATTER, Attrs.EMPTY, g, pool[1], y);
                Tensor[] expected = Ops.runMulti(TrainingOps.BIAS_RELU_GRAD, Attrs.EMPTY, scattered, y);
                Tensor[] fused = Ops.runMulti(PoolingOps.MAX_POOL_BIAS_RELU_GRAD, Attrs.EMPTY, g, pool[1], pool[0], y);
                assertEquals(expected[0].spec(), fused[0].spec());
                assertEquals(expected[1].spec(), fused[1].spec());
                Ref.assertClose(expected[0].toDoubleArray(), fused[0], 0); // the same additions in the same order
                Ref.assertClose(expected[1].toDoubleArray(), fused[1], f32 ? 1e-5 : 1e-12);
            }
        }
    }

    @Test
    void fusionReplacesTheScatterAndKeepsResults() {
        Graph graph = new Graph();
        Tensor x, b, w, dx, db;
        try (ExecutionContext.Scope scope = graph.asDefault()) {
            x = graph.placeholder("x", DType.FLOAT32, Shape.of(-1, 6, 6, 4));
            b = graph.placeholder("b", DType.FLOAT32, Shape.of(4));
            w = graph.placeholder("w", DType.FLOAT32, Shape.of(3, 3, 4));
            Tensor y = TrainingOps.biasRelu(x, b);
            Tensor pooled = PoolingOps.maxPoolWithArgmax(y, new int[] {2, 2}, new int[] {2, 2}, "VALID")[0];
            Tensor loss = Ops.sum(Ops.mul(pooled, w));
            List<Tensor> grads = Gradients.gradients(loss, x, b);
            dx = grads.get(0);
            db = grads.get(1);
        }
        Map<Output, Tensor> feeds = new HashMap<>();
        feeds.put(out(x), Ref.f32(Ref.random(2 * 6 * 6 * 4, 1, -1, 1), 2, 6, 6, 4));
        feeds.put(out(b), Ref.f32(Ref.random(4, 2, -0.3, 0.3), 4));
        feeds.put(out(w), Ref.f32(Ref.random(36, 3, -1, 1), 3, 3, 4));
        List<Output> fetches = List.of(out(dx), out(db));
        List<Output> keep = new ArrayList<>(fetches);
        keep.addAll(feeds.keySet());
        Optimized opt = GraphOptimizer.optimize(graph, keep, List.of(), OptimizerOptions.only("fusion"));
        assertEquals(1, count(opt.graph(), "MaxPoolBiasReluGrad"), opt.graph().toString());
        assertEquals(0, count(opt.graph(), "BiasReluGrad"), opt.graph().toString());
        assertEquals(0, count(opt.graph(), "ArgmaxScatter"), opt.graph().toString());
        List<Tensor> expected = SerialExecutor.run(graph, feeds, fetches, List.of());
        Map<Output, Tensor> newFeeds = new HashMap<>();
        feeds.forEach((o, t) -> newFeeds.put(opt.output(o), t));
        List<Tensor> actual = SerialExecutor.run(opt.graph(), newFeeds, fetches.stream().map(opt::output).toList(),
                List.of());
        Ref.assertClose(expected.get(0).toDoubleArray(), actual.get(0), 0);
        Ref.assertClose(expected.get(1).toDoubleArray(), actual.get(1), 1e-6);
    }

    /**
     * A training graph's conv + bias + ReLU + max pooling becomes one FusedConv2DMaxPoolArgmax (after the ReLU and
     * pooling gradients fuse): the activation is never stored, and every gradient is bit for bit the unfused graph's.
     * Odd sizes (a row and column in no window), one and several input channels, fewer and more than a vector of
     * output channels, strides 1 and 2, SAME and VALID.
     */
    @Test
    void convPoolArgmaxFusionKeepsGradients() {
        for (boolean inputGrad : new boolean[] {true, false}) convPoolFusions(inputGrad);
    }

    /**
     * Without the input's gradient (a first layer) the filter gradient also takes the pooling gradient in
     * (FusedPoolReluFilterGrad): dY is never stored, and dFilter and dBias equal the unfused graph's up to rounding
     * (the partial sums split by image instead of by pixel).
     */
    private static void convPoolFusions(boolean inputGrad) {
        int[][] cases = {{3, 28, 28, 1, 32, 1, 0}, {2, 9, 8, 3, 5, 1, 0}, {2, 11, 10, 4, 40, 2, 1},
            {4, 12, 11, 2, 32, 1, 1}};
        for (int[] c : cases) {
            int n = c[0], h = c[1], wd = c[2], ch = c[3], oc = c[4];
            Conv2dOptions o = Conv2dOptions.defaults().strides(c[5], c[5]).padding(c[6] == 1 ? "SAME" : "VALID");
            Graph graph = new Graph();
            Tensor x, f, b, w, dx, df, db;
            try (ExecutionContext.Scope scope = graph.asDefault()) {
                x = graph.placeholder("x", DType.FLOAT32, Shape.of(-1, h, wd, ch));
                f = graph.placeholder("f", DType.FLOAT32, Shape.of(3, 3, ch, oc));
                b = graph.placeholder("b", DType.FLOAT32, Shape.of(oc));
                Tensor y = TrainingOps.biasRelu(Ops.conv2d(x, f, o), b);
                Tensor pooled = PoolingOps.maxPoolWithArgmax(y, new int[] {2, 2}, new int[] {2, 2}, "VALID")[0];
                w = graph.placeholder("w", DType.FLOAT32, pooled.shape());
                Tensor loss = Ops.sum(Ops.mul(pooled, w));
                List<Tensor> grads = inputGrad ? Gradients.gradients(loss, x, f, b) : Gradients.gradients(loss, f, b);
                dx = inputGrad ? grads.get(0) : null;
                df = grads.get(inputGrad ? 1 : 0);
                // read through an Identity, as an optimizer reads it: a fetched (pinned) pooling gradient stays
                db = Ops.identity(grads.get(inputGrad ? 2 : 1));
            }
            Map<Output, Tensor> feeds = new HashMap<>();
            feeds.put(out(x), Ref.f32(Ref.random(n * h * wd * ch, 1, -1, 1), n, h, wd, ch));
            feeds.put(out(f), Ref.f32(Ref.random(9 * ch * oc, 2, -0.5, 0.5), 3, 3, ch, oc));
            feeds.put(out(b), Ref.f32(Ref.random(oc, 3, -0.3, 0.3), oc));
            int[] pooledDims = w.shape().dims().clone();
            pooledDims[0] = n;
            int pooledSize = 1;
            for (int d : pooledDims) pooledSize *= d;
            feeds.put(out(w), Ref.f32(Ref.random(pooledSize, 4, -1, 1), pooledDims));
            List<Output> fetches = inputGrad ? List.of(out(df), out(db), out(dx)) : List.of(out(df), out(db));
            List<Output> keep = new ArrayList<>(fetches);
            keep.addAll(feeds.keySet());
            Optimized opt = GraphOptimizer.optimize(graph, keep, List.of(), OptimizerOptions.only("fusion"));
            String where = java.util.Arrays.toString(c) + " input gradient " + inputGrad + "\n" + opt.graph();
            assertEquals(1, count(opt.graph(), "FusedConv2DMaxPoolArgmax"), where);
            // fused whatever OC is: where its fast path does not apply, the kernel runs the two ops' kernels
            assertEquals(inputGrad ? 0 : 1, count(opt.graph(), "FusedPoolReluFilterGrad"), where);
            assertEquals(inputGrad ? 1 : 0, count(opt.graph(), "Conv2DBackpropFilter"), where);
            assertEquals(0, count(opt.graph(), "MaxPoolWithArgmax"), where);
            assertEquals(0, count(opt.graph(), "FusedConv2D"), where);
            List<Tensor> expected = SerialExecutor.run(graph, feeds, fetches, List.of());
            Map<Output, Tensor> newFeeds = new HashMap<>();
            feeds.forEach((k, t) -> newFeeds.put(opt.output(k), t));
            List<Tensor> actual = SerialExecutor.run(opt.graph(), newFeeds, fetches.stream().map(opt::output).toList(),
                    List.of());
            for (int i = 0; i < fetches.size(); i++) {
                assertEquals(expected.get(i).spec(), actual.get(i).spec(), where);
                // MaxPoolBiasReluGrad's bias sum adds in another order than BiasReluGrad's: db to rounding only;
                // so does the fused filter gradient
                Ref.assertClose(expected.get(i).toDoubleArray(), actual.get(i), i == 1 || i == 0 && !inputGrad ? 1e-5 : 0);
            }
        }
    }

    private static Output out(Tensor t) { return (Output) t.symbol(); }

    private static long count(Graph g, String op) {
        return g.nodes().stream().filter(n -> n.op().name().equals(op)).count();
    }
}
