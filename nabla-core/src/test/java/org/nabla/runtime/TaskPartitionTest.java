package org.nabla.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.ResourceManager;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.device.Device;
import org.nabla.device.DeviceSpec;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.TransferOps;

/**
 * The seams the distributed runtime stands on, exercised in one process: CPU devices named for a task of a cluster,
 * placement whose defaults come from the first device's task, the master's split by task, and a worker-style
 * {@link Plan} per task run with an outside step id and rendezvous, compared with a plain session.
 */
class TaskPartitionTest {
    private static final CpuDevice W0 = CpuDevice.forTask("worker", 0, 0);
    private static final CpuDevice W0_1 = CpuDevice.forTask("worker", 0, 1);
    private static final CpuDevice W1 = CpuDevice.forTask("worker", 1, 0);

    @Test
    void cpuDevicesCarryTheirTaskName() {
        assertEquals("/job:worker/replica:0/task:1/device:CPU:0", W1.name());
        assertSame(W1, CpuDevice.forTask("worker", 1, 0));
        assertSame(CpuDevice.INSTANCE, CpuDevice.forTask("localhost", 0, 0));
        assertSame(CpuDevice.of(3), CpuDevice.forTask("localhost", 0, 3));
        assertEquals(new DeviceSpec("worker", 0, 1, "CPU", 0), DeviceSpec.of(W1));
        assertEquals("/job:worker/replica:0/task:1", DeviceSpec.of(W1).addressSpace().toString());
        assertTrue(W1.sharesHostMemory());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpuDevice.forTask("my job", 0, 0));
        assertEquals("bad job name 'my job' (letters, digits, '_', '.', '-')", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuDevice.forTask("worker", -1, 0));
    }

    /** x (fed) on task 0; h = tanh(x @ w) on task 1; c = h + x on task 0's CPU:1; d = sum(c * c) on task 1. */
    private record Model(Graph g, Tensor x, Tensor c, Tensor d) {}

    private static Model model(String t0, String t0cpu1, String t1) {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x;
            try (Graph.ControlScope d = g.device(t0)) {
                x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 2));
            }
            Tensor h;
            try (Graph.ControlScope d = g.device(t1)) {
                h = Ops.tanh(Ops.matmul(x, g.constant("w", new float[][] {{1, 2}, {3, -4}})));
            }
            Tensor c;
            try (Graph.ControlScope d = g.device(t0cpu1)) {
                c = Ops.add(h, x);
            }
            Tensor out;
            try (Graph.ControlScope d = g.device(t1)) {
                out = Ops.sum(Ops.mul(c, c));
            }
            return new Model(g, x, c, out);
        }
    }

    @Test
    void placementDefaultsToTheFirstDevicesTask() {
        Model m = model("", "/device:CPU:1", "/job:worker/task:1");
        Map<Node, Device> placement = Placer.place(m.g(), List.of(W0, W0_1, W1));
        Node x = ((Output) m.x().symbol()).node();
        assertSame(W0, placement.get(x), "no request: the first device");
        assertSame(W0_1, placement.get(((Output) m.c().symbol()).node()), "/device:CPU:1 completed with task 0");
        assertSame(W1, placement.get(((Output) m.d().symbol()).node()));
    }

    @Test
    void partitionByTaskKeepsEdgesInsideATaskAndPairsThoseBetweenTasks() {
        Model m = model("/job:worker/task:0", "/job:worker/task:0/device:CPU:1", "/job:worker/task:1");
        List<Device> devices = List.of(W0, W0_1, W1);
        Partitioner.TaskResult parts = Partitioner.partitionByTask(m.g(), Placer.place(m.g(), devices), devices);
        assertEquals(2, parts.partitions().size());
        Graph t0 = parts.partitions().get(0).graph();
        Graph t1 = parts.partitions().get(1).graph();
        assertEquals("/job:worker/replica:0/task:0", parts.partitions().get(0).task().toString());
        assertEquals(new DeviceSpec("worker", 0, 1, null, -1), parts.taskOf(((Output) m.d().symbol()).node()));
        // task 0 holds both of its devices' nodes, with their full names, and no transfer between them
        assertTrue(t0.nodes().stream().anyMatch(n -> n.device().equals(W0_1.name())));
        assertTrue(t0.nodes().stream().anyMatch(n -> n.device().equals(W0.name())));
        // x goes to task 1 (one pair), h comes back to task 0's CPU:1, c goes to task 1
        List<String> sends0 = keys(t0, TransferOps.SEND);
        List<String> recvs1 = keys(t1, TransferOps.RECV);
        assertEquals(2, sends0.size());
        assertEquals(sends0.stream().sorted().toList(), recvs1.stream().sorted().toList());
        assertTrue(sends0.contains(W0_1.name() + ";" + W1.name()), sends0.toString());
        assertEquals(List.of(W1.name() + ";" + W0_1.name()), keys(t0, TransferOps.RECV));
        // a node name says which task a transfer goes to
        assertTrue(t1.nodes().stream().anyMatch(n -> n.name().contains("_to_worker_0_CPU_1")),
                t1.nodes().stream().map(Node::name).toList().toString());
    }

    private static List<String> keys(Graph g, org.nabla.ops.OpDef op) {
        List<String> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.op() == op) out.add(n.attrs().getString("sendDevice") + ";" + n.attrs().getString("recvDevice"));
        }
        return out;
    }

    @Test
    void eachTaskRunsItsPartitionAsAPlanAndTheyMeetInTheRendezvous() {
        Model m = model("/job:worker/task:0", "/job:worker/task:0/device:CPU:1", "/job:worker/task:1");
        float[][] xs = {{1, -2}, {0.5f, 3}};
        Tensor expected;
        Tensor expectedC;
        Model local = model("", "/device:CPU:1", "/device:CPU:2");
        try (Session s = new Session(local.g(), SessionOptions.defaults().cpuDevices(3))) {
            List<Tensor> r = s.run(List.of(local.d(), local.c()), Map.of(local.x(), xs));
            expected = r.get(0);
            expectedC = r.get(1);
        }

        // the master's part: prune, place on every task's devices, split by task
        List<Device> devices = List.of(W0, W0_1, W1);
        PrunedGraph p = PrunedGraph.of(m.g(), List.of((Output) m.x().symbol()),
                List.of((Output) m.d().symbol(), (Output) m.c().symbol()), List.of(), null);
        Partitioner.TaskResult parts = Partitioner.partitionByTask(p.graph(), Placer.place(p.graph(), devices),
                devices);
        Output x0 = parts.map(p.feeds().get(0));
        Output d1 = parts.map(p.fetches().get(0));
        Output c0 = parts.map(p.fetches().get(1));
        Graph g0 = parts.partitions().get(0).graph();
        Graph g1 = parts.partitions().get(1).graph();

        // each worker's part: a plan over its own devices, every node a target
        Plan plan0 = Plan.prepare(g0, List.of(x0), List.of(c0), g0.nodes(), List.of(W0, W0_1),
                SessionOptions.defaults());
        Plan plan1 = Plan.prepare(g1, List.of(), List.of(d1), g1.nodes(), List.of(W1), SessionOptions.defaults());
        assertEquals(2, plan0.partitionCount());
        LocalRendezvous slots = new LocalRendezvous();
        List<String> sent = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        org.nabla.kernels.Rendezvous shared = new org.nabla.kernels.Rendezvous() {
            @Override public void send(String key, Tensor value) {
                sent.add(key);
                slots.send(key, value);
            }

            @Override public CompletableFuture<Tensor> recv(String key) { return slots.recv(key); }

            @Override public void abort(Throwable cause) { slots.abort(cause); }
        };
        long stepId = 0x5eed_0001L;
        ResourceManager resources = new ResourceManager();
        CompletableFuture<List<Tensor>> task1 = CompletableFuture.supplyAsync(() -> plan1.run(stepId, new Tensor[0],
                resources, shared, ExecutionMode.PARALLEL));
        List<Tensor> out0 = plan0.run(stepId, new Tensor[] {plan0.checkFeed(0, xs)}, resources, shared,
                ExecutionMode.SERIAL);
        List<Tensor> out1 = task1.join();
        assertArrayEquals(expectedC.toFloatArray(), out0.get(0).toFloatArray());
        assertEquals(expected.floatValue(), out1.get(0).floatValue());
        assertTrue(!sent.isEmpty() && sent.stream().allMatch(k -> k.endsWith(";0:0")), sent.toString());
        assertTrue(slots.keys().isEmpty(), "received slots are dropped: " + slots.keys());
    }

    @Test
    void aVariableUpdatedOnAnotherCpuDeviceKeepsWorking() {
        // the variable's value starts on CPU:0 (made eagerly); CPU devices share the heap, so a composite kernel on
        // CPU:1 (AssignAddVariable calls Add) takes it as it is
        Graph g = new Graph();
        org.nabla.Variable v;
        Tensor inc;
        try (Graph.ControlScope d = g.device("/device:CPU:1")) {
            v = Variables.create(g, "v", 1f);
            inc = Variables.assignAdd(g, v, 2f);
        }
        try (Session s = new Session(g, SessionOptions.defaults().cpuDevices(2))) {
            s.runner().addTarget(Variables.globalVariablesInitializer(g)).run();
            assertEquals(3f, s.run(inc).floatValue());
            assertEquals(5f, s.run(inc).floatValue());
        }
    }
}
