package org.nabla.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nabla.Tensors;
import org.nabla.device.Device;
import org.nabla.device.DeviceSpec;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphOps;
import org.nabla.ops.TransferOps;

/**
 * Splits a placed graph into one graph per device. Each data edge whose ends are on different devices becomes a
 * {@code Send} in the producer's partition and a {@code Recv} in the consumer's (one pair per tensor and receiving
 * device, however many consumers there); a control edge across devices sends a dummy scalar produced after the
 * source node, and the consumer waits on its Recv. Every copied node carries its full device name. The partitions'
 * executors then run independently, meeting only in the rendezvous: the hook where other processes plug in.
 */
public final class Partitioner {
    private Partitioner() {}

    /** One device's share of the graph. */
    public record Partition(Device device, Graph graph) {}

    /**
     * The partitions (in the order of {@code devices}, only devices that got nodes) and where each node of the input
     * graph went.
     */
    public record Result(List<Partition> partitions, Map<Node, Node> nodes) {
        /** The partition output standing for {@code o} of the input graph. */
        public Output map(Output o) { return new Output(nodes.get(o.node()), o.index()); }

        /** The index in {@link #partitions()} of the partition holding {@code o} of the input graph. */
        public int partitionOf(Node n) {
            Graph g = nodes.get(n).graph();
            for (int i = 0; i < partitions.size(); i++) if (partitions.get(i).graph() == g) return i;
            throw new IllegalStateException("node " + n.name() + " is in no partition");
        }
    }

    /** Partitions {@code graph} by {@code placement} (every node must be placed on one of {@code devices}). */
    public static Result partition(Graph graph, Map<Node, Device> placement, List<Device> devices) {
        Split<Device> split = split(graph, placement, devices, d -> d);
        List<Partition> parts = new ArrayList<>();
        for (Map.Entry<Device, Graph> e : split.graphs().entrySet()) {
            if (e.getValue().size() > 0) parts.add(new Partition(e.getKey(), e.getValue()));
        }
        return new Result(parts, split.copies());
    }

    /** One task's share of a graph: the nodes placed on its devices (each node keeps its full device name). */
    public record TaskPartition(DeviceSpec task, Graph graph) {}

    /** The task partitions (in the order of the devices' tasks) and where each node of the input graph went. */
    public record TaskResult(List<TaskPartition> partitions, Map<Node, Node> nodes) {
        /** The partition output standing for {@code o} of the input graph. */
        public Output map(Output o) { return new Output(nodes.get(o.node()), o.index()); }

        /** The task whose partition holds node {@code n} of the input graph. */
        public DeviceSpec taskOf(Node n) {
            Graph g = nodes.get(n).graph();
            for (TaskPartition p : partitions) if (p.graph() == g) return p.task();
            throw new IllegalStateException("node " + n.name() + " is in no partition");
        }
    }

    /**
     * The first level of the distributed runtime's two-level partitioning (TensorFlow's master splits by task, each
     * worker then by device): one graph per task (job, replica, task) of {@code devices}, in their order, only tasks
     * that got nodes. Edges between devices of one task stay plain edges (the worker partitions them with
     * {@link #partition}); edges between tasks become Send/Recv pairs whose attributes name the real devices at both
     * ends, so both levels build the same rendezvous keys.
     */
    public static TaskResult partitionByTask(Graph graph, Map<Node, Device> placement, List<Device> devices) {
        Split<DeviceSpec> split = split(graph, placement, devices, d -> DeviceSpec.of(d).addressSpace());
        List<TaskPartition> parts = new ArrayList<>();
        for (Map.Entry<DeviceSpec, Graph> e : split.graphs().entrySet()) {
            if (e.getValue().size() > 0) parts.add(new TaskPartition(e.getKey(), e.getValue()));
        }
        return new TaskResult(parts, split.copies());
    }

    private record Split<U>(Map<U, Graph> graphs, Map<Node, Node> copies) {}

    /**
     * Copies each node into the graph of its device's unit ({@code unitOf}: the device itself, or its task); an edge
     * between two units becomes a Send/Recv pair between the two devices.
     */
    private static <U> Split<U> split(Graph graph, Map<Node, Device> placement, List<Device> devices,
                                      Function<Device, U> unitOf) {
        Map<U, Graph> graphs = new LinkedHashMap<>();
        for (Device d : devices) graphs.computeIfAbsent(unitOf.apply(d), u -> new Graph());
        Map<Node, Node> copies = new HashMap<>();
        Map<String, Output> recvs = new HashMap<>();
        Map<String, Node> controlRecvs = new HashMap<>();
        for (Node node : graph.nodes()) {
            Device dst = placement.get(node);
            U dstUnit = unitOf.apply(dst);
            Graph pg = graphs.get(dstUnit);
            List<Output> inputs = new ArrayList<>();
            for (Output o : node.inputs()) {
                Device src = placement.get(o.node());
                Output local = new Output(copies.get(o.node()), o.index());
                Graph sg = graphs.get(unitOf.apply(src));
                inputs.add(sg == pg ? local : recvs.computeIfAbsent(o + "->" + dst.name(),
                        k -> transfer(local, sg, src, pg, dst, o.toString())));
            }
            List<Node> control = new ArrayList<>();
            for (Node c : node.controlInputs()) {
                Device src = placement.get(c);
                Node local = copies.get(c);
                Graph sg = graphs.get(unitOf.apply(src));
                control.add(sg == pg ? local : controlRecvs.computeIfAbsent(c.name() + "->" + dst.name(), k -> {
                    Node dummy;
                    try (Graph.ControlScope s = sg.device(src.name())) {
                        dummy = sg.addNode(GraphOps.CONST, Attrs.of("value", Tensors.scalar(false)), List.of(),
                                List.of(local), c.name() + "/_control");
                    }
                    return transfer(new Output(dummy, 0), sg, src, pg, dst, c.name() + "^").node();
                }));
            }
            try (Graph.ControlScope s = pg.device(dst.name())) {
                copies.put(node, pg.addNode(node.op(), node.attrs(), inputs, control, node.name()));
            }
        }
        return new Split<>(graphs, copies);
    }

    /** Adds a Send of {@code value} to the source partition and returns the output of the matching Recv. */
    private static Output transfer(Output value, Graph sg, Device src, Graph dg, Device dst, String tensorName) {
        Attrs attrs = Attrs.of("tensorName", tensorName, "sendDevice", src.name(), "recvDevice", dst.name());
        DeviceSpec to = DeviceSpec.of(dst);
        String base = value.node().name() + "/_" + value.index() + "_to_" + (src.name().startsWith(to.addressSpace()
                + "/") ? "" : to.job() + "_" + to.task() + "_") + dst.type() + "_" + dst.index();
        try (Graph.ControlScope s = sg.device(src.name())) {
            sg.addNode(TransferOps.SEND, attrs, List.of(value), List.of(), base + "_send");
        }
        try (Graph.ControlScope s = dg.device(dst.name())) {
            return new Output(dg.addNode(TransferOps.RECV, attrs.with("dtype", value.spec().dtype())
                    .with("shape", value.spec().shape()), List.of(), List.of(), base + "_recv"), 0);
        }
    }
}
