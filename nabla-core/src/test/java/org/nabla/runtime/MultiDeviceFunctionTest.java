package org.nabla.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.ResourceManager;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.autodiff.Gradients;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.kernels.Rendezvous;

/**
 * Control flow whose branches and loop bodies place nodes on another device than the Cond/While node: the function
 * is split per device (a multi-device function) and every call runs its parts with Send/Recv between them, keyed per
 * call. Values are checked against plain Java and against the same graph on one device.
 */
class MultiDeviceFunctionTest {
    private static final double[][] W = {{0.5, -1}, {0.25, 2}};
    private static final double[][] X = {{1, 0.5}, {-0.25, 2}};
    private static final int ITERATIONS = 3;

    /**
     * The loop h = tanh(h @ w) + h, three times, with tanh(h @ w) on {@code bodyDevice} and the sum on CPU:0 (null: no
     * device requests).
     */
    private record Loop(Graph g, Tensor x, Tensor h, Node loop) {
        static Loop build(String bodyDevice) {
            Graph g = new Graph();
            try (ExecutionContext.Scope s = g.asDefault()) {
                Tensor x = g.placeholder("x", DType.FLOAT64, Shape.of(2, 2));
                Tensor w = g.constant("w", W);
                Tensor[] out = Ops.whileLoop(v -> v[0].less(ITERATIONS), v -> {
                    Tensor t;
                    try (Graph.ControlScope d = bodyDevice == null ? null : Ops.device(bodyDevice)) {
                        t = Ops.tanh(Ops.matmul(v[1], w));
                    }
                    // the sum back on CPU:0, so each call crosses both ways
                    try (Graph.ControlScope d = bodyDevice == null ? null : Ops.device("/device:CPU:0")) {
                        return new Tensor[] {v[0].add(1), t.add(v[1])};
                    }
                }, new Tensor[] {Tensors.scalar(0), x});
                return new Loop(g, x, out[1], ((Output) out[1].symbol()).node());
            }
        }
    }

    private static double[][] matmul(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int k = 0; k < b.length; k++) c[i][j] += a[i][k] * b[k][j];
            }
        }
        return c;
    }

    /** The loop in plain Java. */
    private static double[] expectedLoop() { return javaLoop(X); }

    private static double[] javaLoop(double[][] x) {
        double[][] h = x;
        for (int it = 0; it < ITERATIONS; it++) {
            double[][] t = matmul(h, W);
            double[][] next = new double[2][2];
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) next[i][j] = Math.tanh(t[i][j]) + h[i][j];
            h = next;
        }
        return new double[] {h[0][0], h[0][1], h[1][0], h[1][1]};
    }

    private static SessionOptions twoCpus() { return SessionOptions.defaults().cpuDevices(2); }

    @Test
    void whileBodyOnAnotherDeviceEqualsJavaAndOneDevice() {
        Loop split = Loop.build("/device:CPU:1");
        Loop single = Loop.build(null);
        double[] want = expectedLoop();
        for (ExecutionMode mode : ExecutionMode.values()) {
            try (Session s = new Session(split.g(), twoCpus().mode(mode))) {
                double[] got = s.run(List.of(split.h()), Map.of(split.x(), X)).get(0).toDoubleArray();
                assertArrayEquals(want, got, 1e-12, mode.toString());
                // the body was instantiated as a function of two device parts
                FuncGraph body = (FuncGraph) split.loop().attrs().get("body");
                MultiDeviceFunction f = s.functions().instance(body, s.devices().get(0));
                assertEquals(2, f.localPartitions(), mode.toString());
                assertEquals(0, f.remoteParts());
            }
        }
        try (Session s = new Session(single.g())) {
            assertArrayEquals(want, s.run(List.of(single.h()), Map.of(single.x(), X)).get(0).toDoubleArray(), 0);
        }
    }

    @Test
    void aBodyDeviceTheSessionLacksFailsNamingTheFunction() {
        Loop split = Loop.build("/device:CPU:1");
        try (Session s = new Session(split.g())) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> s.run(List.of(split.h()), Map.of(split.x(), X)));
            assertTrue(e.getMessage().contains("function while_body") && e.getMessage().contains("/device:CPU:1"),
                    e.getMessage());
        }
    }

    @Test
    void condBranchesOnDifferentDevices() {
        Graph g = new Graph();
        Tensor p;
        Tensor x;
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            p = g.placeholder("p", DType.BOOL, Shape.SCALAR);
            x = g.placeholder("x", DType.FLOAT64, Shape.of(2, 2));
            Tensor w = g.constant("w", W);
            try (Graph.ControlScope d = g.device("/device:CPU:0")) {
                y = Ops.cond(p, () -> {
                    try (Graph.ControlScope d1 = Ops.device("/device:CPU:1")) {
                        return Ops.matmul(x, w);
                    }
                }, () -> x.mul(2.0));
            }
        }
        double[][] xw = matmul(X, W);
        try (Session s = new Session(g, twoCpus())) {
            assertArrayEquals(new double[] {xw[0][0], xw[0][1], xw[1][0], xw[1][1]},
                    s.run(List.of(y), Map.of(p, true, x, X)).get(0).toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {2, 1, -0.5, 4},
                    s.run(List.of(y), Map.of(p, false, x, X)).get(0).toDoubleArray(), 0);
        }
    }

    @Test
    void nestedLoopsWithTheInnerBodyOnAnotherDevice() {
        // outer: 2 times { inner: 2 times { h = h @ w (CPU:1) }; h = h + 1 (CPU:0) }
        Graph g = new Graph();
        Tensor x;
        Tensor h;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT64, Shape.of(2, 2));
            Tensor w = g.constant("w", W);
            h = Ops.whileLoop(o -> o[0].less(2), o -> {
                Tensor inner = Ops.whileLoop(i -> i[0].less(2), i -> {
                    try (Graph.ControlScope d = Ops.device("/device:CPU:1")) {
                        return new Tensor[] {i[0].add(1), Ops.matmul(i[1], w)};
                    }
                }, new Tensor[] {Tensors.scalar(0), o[1]})[1];
                return new Tensor[] {o[0].add(1), inner.add(1.0)};
            }, new Tensor[] {Tensors.scalar(0), x})[1];
        }
        double[][] want = X;
        for (int o = 0; o < 2; o++) {
            want = matmul(matmul(want, W), W);
            for (double[] row : want) for (int j = 0; j < row.length; j++) row[j] += 1;
        }
        try (Session s = new Session(g, twoCpus())) {
            assertArrayEquals(new double[] {want[0][0], want[0][1], want[1][0], want[1][1]},
                    s.run(List.of(h), Map.of(x, X)).get(0).toDoubleArray(), 1e-12);
        }
    }

    @Test
    void gradientThroughAMultiDeviceLoopEqualsOneDevice() {
        List<double[]> grads = new ArrayList<>();
        for (String device : new String[] {"/device:CPU:1", null}) {
            Loop l = Loop.build(device);
            Tensor dx;
            try (ExecutionContext.Scope s = l.g().asDefault()) {
                dx = Gradients.gradients(List.of(Ops.sum(l.h())), List.of(l.x())).get(0);
            }
            try (Session s = new Session(l.g(), twoCpus())) {
                grads.add(s.run(List.of(dx), Map.of(l.x(), X)).get(0).toDoubleArray());
            }
        }
        assertArrayEquals(grads.get(1), grads.get(0), 1e-12);
        // and against central differences of the Java loop's sum, element by element
        double eps = 1e-6;
        for (int k = 0; k < 4; k++) {
            double[][] plus = {X[0].clone(), X[1].clone()};
            double[][] minus = {X[0].clone(), X[1].clone()};
            plus[k / 2][k % 2] += eps;
            minus[k / 2][k % 2] -= eps;
            double numeric = (java.util.Arrays.stream(javaLoop(plus)).sum()
                    - java.util.Arrays.stream(javaLoop(minus)).sum()) / (2 * eps);
            assertEquals(numeric, grads.get(0)[k], 1e-6, "d sum / d x[" + k + "]");
        }
    }

    @Test
    void aFailureInTheOtherDevicesPartFailsTheRunNamingTheDevice() {
        Graph g = new Graph();
        Tensor i;
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            i = g.placeholder("i", DType.INT32, Shape.SCALAR);
            Tensor w = g.constant("w", W);
            y = Ops.whileLoop(v -> v[0].less(2), v -> {
                try (Graph.ControlScope d = Ops.device("/device:CPU:1")) {
                    return new Tensor[] {v[0].add(1), Ops.gather(w, i)};
                }
            }, new Tensor[] {Tensors.scalar(0), Ops.constant(new double[] {0, 0})})[1];
        }
        try (Session s = new Session(g, twoCpus())) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> s.run(List.of(y), Map.of(i, 7)));
            assertTrue(e.getMessage().contains("device:CPU:1"), e.getMessage());
            // the session stays usable
            assertArrayEquals(new double[] {0.25, 2}, s.run(List.of(y), Map.of(i, 1)).get(0).toDoubleArray(), 0);
        }
    }

    @Test
    void everyCallHasItsOwnFrameAndTheIterationInItsKeys() {
        Loop l = Loop.build("/device:CPU:1");
        Session s = new Session(l.g(), twoCpus());
        Plan plan = Plan.prepare(l.g(), List.of((Output) l.x().symbol()), List.of((Output) l.h().symbol()),
                List.of(), s.devices(), twoCpus());
        List<String> keys = java.util.Collections.synchronizedList(new ArrayList<>());
        LocalRendezvous local = new LocalRendezvous();
        Rendezvous recording = new Rendezvous() {
            @Override public void send(String key, Tensor value) {
                keys.add(key);
                local.send(key, value);
            }

            @Override public CompletableFuture<Tensor> recv(String key) { return local.recv(key); }

            @Override public void abort(Throwable cause) { local.abort(cause); }
        };
        FunctionRuntime functions = new FunctionRuntime(s.devices(), RemoteTasks.NONE, null);
        Tensor h = plan.run(7, new Tensor[] {plan.checkFeed(0, X)}, new ResourceManager(), recording,
                ExecutionMode.SERIAL, functions).get(0);
        assertArrayEquals(expectedLoop(), h.toDoubleArray(), 1e-12);
        Pattern frame = Pattern.compile(";([0-9a-f]+):(\\d+)$");
        Set<String> frames = new HashSet<>();
        Set<String> iterations = new HashSet<>();
        for (String k : keys) {
            Matcher m = frame.matcher(k);
            assertTrue(m.find(), k);
            frames.add(m.group(1));
            iterations.add(m.group(2));
        }
        // each iteration's body call sends to CPU:1 and back, in a frame of its own
        assertEquals(ITERATIONS, frames.size(), keys.toString());
        assertEquals(Set.of("0", "1", "2"), iterations);
        assertEquals(2 * ITERATIONS, keys.size(), keys.toString());
        assertTrue(local.keys().isEmpty(), "slots left: " + local.keys());
        s.close();
    }

    @Test
    void framesReplaceTheKeysFrameAndRejectBadFrames() {
        LocalRendezvous base = new LocalRendezvous();
        Rendezvous view = Rendezvous.inFrame(Rendezvous.inFrame(base, "ab:1"), "cd:2");
        view.send("a;b;t:0;0:0", Tensors.scalar(1f));
        assertEquals(Set.of("a;b;t:0;cd:2"), base.keys());
        assertEquals(1f, base.recv("a;b;t:0;cd:2").join().floatValue());
        assertTrue(base.keys().isEmpty());
        for (String bad : new String[] {"", "x", ":1", "a:", "a:1:2", "a;b:1"}) {
            assertThrows(IllegalArgumentException.class, () -> Rendezvous.inFrame(base, bad), bad);
        }
    }
}
