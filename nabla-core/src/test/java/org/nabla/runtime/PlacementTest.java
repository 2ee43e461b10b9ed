package org.nabla.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.device.CpuDevice;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.kernels.Rendezvous;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphOps;
import org.nabla.ops.TransferOps;
import org.nabla.runtime.optimize.OptimizerOptions;

class PlacementTest {
    private static final String CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0";
    private static final String CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1";

    /**
     * Ping-pong between devices: x (CPU:0) -> h = tanh(x @ w) on CPU:1 -> c = h + x on CPU:0 -> d = sum(c * c) on
     * CPU:1 (legacy name), with a variable update on CPU:0 ordered by a control edge from a CPU:1 node.
     */
    private static final class Model {
        final Graph g = new Graph();
        final Tensor x;
        final Tensor h;
        final Tensor c;
        final Tensor d;
        final Tensor e;
        final Tensor counter;
        final Node init;

        Model(boolean scopes) {
            Variable v = Variables.create(g, "v", 0f);
            try (ExecutionContext.Scope s = g.asDefault()) {
                x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 4));
                Tensor w = g.constant("w", new float[][] {{1, 0, 0, 1}, {0, 1, 0, 1}, {0, 0, 1, 1}, {1, 1, 1, 1}});
                try (Graph.ControlScope d1 = scope(scopes, "/device:CPU:1")) {
                    h = Ops.tanh(Ops.matmul(x, w));
                }
                try (Graph.ControlScope d0 = scope(scopes, "/device:CPU:0")) {
                    c = Ops.add(h, x);
                }
                try (Graph.ControlScope d1 = scope(scopes, "/cpu:1")) {
                    d = Ops.sum(Ops.mul(c, c));
                }
                e = Ops.exp(Ops.neg(d)); // no scope: colocated with its input, on CPU:1
                try (Graph.ControlScope d0 = scope(scopes, "/device:CPU:0");
                     Graph.ControlScope after = g.withControlDependencies(List.of(d))) {
                    counter = v.assignAdd(1f);
                }
            }
            init = Variables.globalVariablesInitializer(g);
        }

        private Graph.ControlScope scope(boolean on, String device) { return on ? g.device(device) : () -> {}; }
    }

    private static final float[][] X = {{1, 2, 3, 4}, {-1, 0.5f, 0, 2}};

    @Test
    void twoCpuDevicesGiveTheSingleDeviceResults() {
        Model plain = new Model(false);
        List<Tensor> expect;
        try (Session s = new Session(plain.g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE))) {
            s.runner().addTarget(plain.init).run();
            expect = s.runner().feed(plain.x, X).fetch(plain.h).fetch(plain.c).fetch(plain.d).fetch(plain.e)
                    .fetch(plain.counter).run();
        }
        assertEquals(1f, expect.get(4).floatValue());
        Model split = new Model(true);
        for (ExecutionMode mode : ExecutionMode.values()) {
            try (Session s = new Session(split.g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE).cpuDevices(2).mode(mode))) {
                s.runner().addTarget(split.init).run();
                for (int run = 1; run <= 3; run++) {
                    List<Tensor> got = s.runner().feed(split.x, X).fetch(split.h).fetch(split.c).fetch(split.d)
                            .fetch(split.e).fetch(split.counter).run();
                    // equal up to the last bit that tanh/exp may change once JIT-compiled (see ExecutorTest)
                    for (int i = 0; i < 4; i++) {
                        assertArrayEquals(expect.get(i).toFloatArray(), got.get(i).toFloatArray(),
                                1e-6f * Math.abs(expect.get(i).toFloatArray()[0]) + 1e-7f, mode + " " + i);
                    }
                    assertEquals(run, got.get(4).floatValue(), mode.toString());
                }
            }
        }
    }

    @Test
    void thePartitionGraphsHoldSendRecvPairsAndFullDeviceNames() {
        Model m = new Model(true);
        try (Session s = new Session(m.g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE).cpuDevices(2))) {
            s.runner().addTarget(m.init).run();
            RunMetadata md = s.runner().feed(m.x, X).fetch(m.e).fetch(m.counter).runAndFetchMetadata().metadata();
            List<Graph> parts = md.partitionGraphs();
            assertEquals(2, parts.size());
            for (int p = 0; p < 2; p++) {
                String dev = p == 0 ? CPU0 : CPU1;
                for (Node n : parts.get(p).nodes()) assertEquals(dev, n.device(), n.name());
            }
            Graph p0 = parts.get(0);
            Graph p1 = parts.get(1);
            assertTrue(p1.hasNode("MatMul") && p1.hasNode("Tanh") && p1.hasNode("Sum") && p1.hasNode("Exp"));
            assertTrue(p0.hasNode("x") && p0.hasNode("Add") && p0.hasNode("AssignAddVariable"));
            // every Send has exactly one Recv with the same key on the other device
            Set<String> sends = new HashSet<>();
            Set<String> recvs = new HashSet<>();
            for (Graph g : parts) {
                for (Node n : g.nodes()) {
                    if (n.op() == TransferOps.SEND) {
                        assertTrue(sends.add(Rendezvous.key(n.attrs())));
                        assertEquals(n.device(), n.attrs().getString("sendDevice"));
                    }
                    if (n.op() == TransferOps.RECV) {
                        assertTrue(recvs.add(Rendezvous.key(n.attrs())));
                        assertEquals(n.device(), n.attrs().getString("recvDevice"));
                    }
                }
            }
            assertEquals(sends, recvs);
            // x and w cross to CPU:1 for MatMul, h and c cross back and forth, and the control edge d -> counter
            // crosses as a dummy scalar
            assertEquals(Set.of(
                    CPU0 + ";" + CPU1 + ";x:0;0:0",
                    CPU0 + ";" + CPU1 + ";w:0;0:0",
                    CPU1 + ";" + CPU0 + ";Tanh:0;0:0",
                    CPU0 + ";" + CPU1 + ";Add:0;0:0",
                    CPU1 + ";" + CPU0 + ";Sum^;0:0"), sends);
            Set<String> ranOn1 = md.nodeStats().stream().filter(st -> st.device().equals(CPU1))
                    .map(RunMetadata.NodeStats::node).collect(Collectors.toSet());
            assertTrue(ranOn1.containsAll(Set.of("MatMul", "Tanh", "Mul", "Sum", "Exp", "Neg")), ranOn1.toString());
        }
    }

    @Test
    void aDeviceTheSessionLacksFailsNamingTheNode() {
        Model m = new Model(true);
        try (Session s = new Session(m.g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.runner().feed(m.x, X).fetch(m.h).run());
            assertEquals("node 'MatMul' (MatMul) is placed on '/device:CPU:1' but this session has no such device; "
                    + "devices: [" + CPU0 + "]", e.getMessage());
        }
        Graph g = new Graph();
        Tensor y;
        Tensor z;
        try (ExecutionContext.Scope sc = g.asDefault()) {
            try (Graph.ControlScope d = g.device("/device:GPU:0")) {
                y = g.constant("y", 1f);
            }
            // nested scopes merge, TensorFlow style; a bad name fails when the scope opens
            try (Graph.ControlScope job = g.device("/job:localhost/task:0");
                 Graph.ControlScope d = g.device("/cpu:1")) {
                z = g.constant("z", 1f);
            }
            assertTrue(assertThrows(IllegalArgumentException.class, () -> g.device("/dev:CPU:0")).getMessage()
                    .startsWith("cannot parse device name '/dev:CPU:0': unknown part 'dev:CPU:0'"));
        }
        assertEquals("/job:localhost/task:0/device:CPU:1", g.outputOf(z).node().device());
        try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE).cpuDevices(2))) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> s.run(y)).getMessage()
                    .startsWith("node 'y' (Const) is placed on '/device:GPU:0' but this session has no such device"));
            assertEquals(1f, s.run(z).floatValue());
        }
    }

    @Test
    void aRecvWaitingForItsSendBlocksNoThread() {
        // many cross-device edges with a one-thread pool: a blocking Recv would deadlock here
        Graph g = new Graph();
        Tensor out;
        try (ExecutionContext.Scope sc = g.asDefault()) {
            Tensor a = g.constant("a", Tensors.of(new float[] {1, 2, 3}));
            for (int i = 0; i < 20; i++) {
                try (Graph.ControlScope d = g.device("/device:CPU:" + (i % 2))) {
                    a = Ops.add(Ops.mul(a, 0.5f), 1f);
                }
            }
            out = a;
        }
        float[] expect = {1, 2, 3};
        for (int i = 0; i < 20; i++) for (int k = 0; k < 3; k++) expect[k] = expect[k] * 0.5f + 1f;
        for (ExecutionMode mode : ExecutionMode.values()) {
            try (Session s = new Session(g, SessionOptions.defaults().optimizerOptions(OptimizerOptions.NONE).cpuDevices(2).mode(mode).interOpThreads(1))) {
                assertArrayEquals(expect, s.run(out).toFloatArray(), mode.toString());
            }
        }
    }

    @Test
    void rendezvousKeysAndAbort() {
        LocalRendezvous r = new LocalRendezvous();
        String key = Rendezvous.key(CPU0, CPU1, "a:0", "0:0");
        assertEquals(CPU0 + ";" + CPU1 + ";a:0;0:0", key);
        var pending = r.recv(key);
        r.send(key, Tensors.scalar(3f));
        assertEquals(3f, pending.join().floatValue());
        assertTrue(r.keys().isEmpty(), "a received slot is dropped");
        r.send(key + "b", Tensors.scalar(4f));
        assertThrows(IllegalStateException.class, () -> r.send(key + "b", Tensors.scalar(4f)));
        var never = r.recv("other");
        r.abort(new IllegalStateException("run failed"));
        assertTrue(never.isCompletedExceptionally());
        assertTrue(r.recv("later").isCompletedExceptionally());
        assertEquals(CpuDevice.of(1).name(), CPU1);
        assertEquals(GraphOps.NO_OP.name(), "NoOp");
        assertEquals(Attrs.EMPTY.size(), 0);
    }
}
