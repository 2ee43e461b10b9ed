package org.nabla.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.ops.TransferOps;

/** Runs the examples of docs/session.md (keep the two in step). */
class SessionDocTest {
    @Test
    void buildAGraphRunItInASession() {
        Graph g = new Graph();
        Tensor x, y;
        try (var scope = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
            Tensor w = g.constant("w", new float[][] {{1}, {2}, {3}});
            y = Ops.relu(Ops.matmul(x, w));
        }
        assertEquals(Shape.of(-1, 1), y.shape());
        try (Session session = new Session(g)) {
            Tensor out = session.runner()
                    .feed(x, new float[][] {{1, 1, 1}, {-1, 0, 0}})
                    .fetch(y)
                    .run().get(0);
            assertArrayEquals(new float[] {6, 0}, out.toFloatArray());
            List<Tensor> same = session.run(List.of(y), Map.of(x, new float[][] {{0, 0, 1}}), List.of());
            assertArrayEquals(new float[] {3}, same.get(0).toFloatArray());
        }
    }

    @Test
    void theSeedsWorkedExample() {
        Graph g = new Graph();
        Tensor X, label, Y, L;
        try (var scope = g.asDefault()) {
            X = g.placeholder("X", DType.FLOAT32, Shape.of(-1, 2));
            label = g.placeholder("Label", DType.FLOAT32, Shape.of(-1, 1));
            Tensor W = g.constant("W", new float[][] {{1, 0}, {0, 1}});
            Tensor W1 = g.constant("W1", new float[][] {{2}, {-1}});
            Tensor X1 = Ops.matmul(X, W);
            Y = Ops.matmul(X1, W1);
            L = Ops.mean(Ops.square(Ops.sub(Y, label)));
        }
        try (Session s = new Session(g)) {
            float[][] xs = {{1, 2}, {3, 4}};
            Tensor y = s.run(List.of(Y), Map.of(X, xs)).get(0);
            Tensor loss = s.run(List.of(L), Map.of(X, xs, label, new float[][] {{0}, {0}})).get(0);
            assertArrayEquals(new float[] {0, 2}, y.toFloatArray());
            assertEquals(2f, loss.floatValue());
        }
    }

    @Test
    void variables() {
        Graph g = new Graph();
        Variable counter = Variables.create(g, "counter", 0f);
        Tensor read = Variables.read(g, counter);
        Tensor increment = Variables.assignAdd(g, counter, 1f);
        Node init = Variables.globalVariablesInitializer(g);
        try (Session s = new Session(g)) {
            s.runner().addTarget(init).run();
            for (int i = 0; i < 3; i++) s.run(increment);
            float now = s.run(read).floatValue();
            assertEquals(3f, now);
        }
    }

    @Test
    void aTrainingStep() {
        Graph g = new Graph();
        Variable w = Variables.create(g, "w", new float[][] {{1}, {-1}});
        Tensor X, y, step;
        try (var scope = g.asDefault()) {
            X = g.placeholder("X", DType.FLOAT32, Shape.of(-1, 2));
            y = g.placeholder("y", DType.FLOAT32, Shape.of(-1, 1));
            Tensor grad = Ops.matmul(Ops.transpose(X), Ops.sub(Ops.matmul(X, w.read()), y));
            step = w.assignSub(Ops.mul(grad, 0.1f));
        }
        Node init = Variables.globalVariablesInitializer(g);
        try (Session s = new Session(g)) {
            s.runner().addTarget(init).run();
            float[][] xs = {{1, 0}, {0, 1}, {1, 1}};
            float[][] ys = {{1}, {2}, {3}};
            for (int i = 0; i < 100; i++) s.runner().feed(X, xs).feed(y, ys).addTarget(step).run();
            Tensor learned = s.run(Variables.read(g, w));
            assertArrayEquals(new float[] {1, 2}, learned.toFloatArray(), 1e-3f);
        }
    }

    @Test
    void peakBytesOfALongChain() {
        Graph g = new Graph();
        Tensor x, y;
        try (var scope = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(100_000));
            y = x;
            for (int i = 0; i < 40; i++) y = Ops.add(Ops.mul(y, 0.5f), 1f);
        }
        // Optimization off: the executor's own buffer release is what this shows (fusion would merge the chain).
        try (Session s = new Session(g, SessionOptions.defaults().mode(ExecutionMode.SERIAL)
                .optimizerOptions(org.nabla.runtime.optimize.OptimizerOptions.NONE))) {
            Session.Result r = s.runWithMetadata(List.of(y), Map.of(x, new float[100_000]), List.of());
            long peak = r.metadata().peakBytes();
            RunMetadata.NodeStats add = r.metadata().stats("Add");
            assertTrue(peak < 1_000_000, "peak " + peak);
            assertEquals(400_000, add.outputBytes());
        }
    }

    @Test
    void devices() {
        Graph g = new Graph();
        Tensor x, out;
        try (var scope = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 2));
            Tensor h;
            try (var d = g.device("/device:CPU:1")) {
                h = Ops.tanh(Ops.matmul(x, g.constant("w", new float[][] {{1, 2}, {3, 4}})));
            }
            try (var d = g.device("/device:CPU:0")) {
                out = Ops.add(h, x);
            }
        }
        try (Session s = new Session(g, SessionOptions.defaults().cpuDevices(2))) {
            Session.Result r = s.runner().feed(x, new float[][] {{1, 0}}).fetch(out).runAndFetchMetadata();
            List<Graph> partitions = r.metadata().partitionGraphs();
            assertArrayEquals(new float[] {(float) Math.tanh(1) + 1, (float) Math.tanh(2)},
                    r.get(0).toFloatArray(), 1e-6f);
            assertEquals(2, partitions.size());
            assertTrue(partitions.get(0).nodes().stream().anyMatch(n -> n.op() == TransferOps.SEND));
            assertTrue(partitions.get(1).nodes().stream().anyMatch(n -> n.op() == TransferOps.RECV));
        }
    }
}
