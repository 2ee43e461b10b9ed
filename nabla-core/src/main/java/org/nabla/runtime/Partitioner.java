package org.nabla.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Tensors;
import org.nabla.device.Device;
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
        Map<Device, Graph> graphs = new LinkedHashMap<>();
        for (Device d : devices) graphs.put(d, new Graph());
        Map<Node, Node> copies = new HashMap<>();
        Map<String, Output> recvs = new HashMap<>();
        Map<String, Node> controlRecvs = new HashMap<>();
        for (Node node : graph.nodes()) {
            Device dst = placement.get(node);
            Graph pg = graphs.get(dst);
            List<Output> inputs = new ArrayList<>();
            for (Output o : node.inputs()) {
                Device src = placement.get(o.node());
                Output local = new Output(copies.get(o.node()), o.index());
                inputs.add(src == dst ? local : recvs.computeIfAbsent(o + "->" + dst.name(),
                        k -> transfer(local, graphs.get(src), src, pg, dst, o.toString())));
            }
            List<Node> control = new ArrayList<>();
            for (Node c : node.controlInputs()) {
                Device src = placement.get(c);
                Node local = copies.get(c);
                control.add(src == dst ? local : controlRecvs.computeIfAbsent(c.name() + "->" + dst.name(), k -> {
                    Graph sg = graphs.get(src);
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
        List<Partition> parts = new ArrayList<>();
        for (Map.Entry<Device, Graph> e : graphs.entrySet()) {
            if (e.getValue().size() > 0) parts.add(new Partition(e.getKey(), e.getValue()));
        }
        return new Result(parts, copies);
    }

    /** Adds a Send of {@code value} to the source partition and returns the output of the matching Recv. */
    private static Output transfer(Output value, Graph sg, Device src, Graph dg, Device dst, String tensorName) {
        Attrs attrs = Attrs.of("tensorName", tensorName, "sendDevice", src.name(), "recvDevice", dst.name());
        String base = value.node().name() + "/_" + value.index() + "_to_" + dst.type() + "_" + dst.index();
        try (Graph.ControlScope s = sg.device(src.name())) {
            sg.addNode(TransferOps.SEND, attrs, List.of(value), List.of(), base + "_send");
        }
        try (Graph.ControlScope s = dg.device(dst.name())) {
            return new Output(dg.addNode(TransferOps.RECV, attrs.with("dtype", value.spec().dtype())
                    .with("shape", value.spec().shape()), List.of(), List.of(), base + "_recv"), 0);
        }
    }
}
