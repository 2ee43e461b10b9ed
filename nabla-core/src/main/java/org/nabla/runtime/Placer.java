package org.nabla.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nabla.device.Device;
import org.nabla.device.DeviceSpec;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.TensorSpec;
import org.nabla.ops.TransferOps;

/**
 * Assigns every node of a graph one of the session's devices. A node's requested device (from
 * {@link Graph#device(String)} scopes, possibly partial) is completed with the job, replica and task of the first
 * device (in a session the local host's, {@code /job:localhost/replica:0/task:0}; in a cluster the default task's)
 * and must match a device of the list; a node without a request goes where its first input went (keeping chains on
 * one device), or else on the default device (the first one). A request nothing matches, or a device type without a
 * kernel for the node, fails naming the node and listing the devices.
 */
public final class Placer {
    private Placer() {}

    /** The device of each node of {@code graph} (nodes in creation order, so inputs are placed first). */
    public static Map<Node, Device> place(Graph graph, List<Device> devices) {
        if (devices.isEmpty()) throw new IllegalArgumentException("placer: no devices");
        Map<Node, Device> placement = new HashMap<>();
        DeviceSpec defaults = DeviceSpec.of(devices.get(0)).addressSpace();
        for (Node node : graph.nodes()) {
            DeviceSpec requested;
            try {
                requested = DeviceSpec.parse(node.device());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("node '" + node.name() + "': " + e.getMessage(), e);
            }
            Device chosen = null;
            if (requested.type() == null && requested.index() < 0 && !node.inputs().isEmpty()) {
                Device d = placement.get(node.inputs().get(0).node());
                if (requested.matches(d)) chosen = d;
            }
            if (chosen == null) {
                DeviceSpec wanted = requested.withDefaults(defaults);
                for (Device d : devices) {
                    if (wanted.matches(d)) {
                        chosen = d;
                        break;
                    }
                }
                if (chosen == null) {
                    throw new IllegalArgumentException("node '" + node.name() + "' (" + node.op().name()
                            + ") is placed on '" + node.device() + "' but this session has no such device; devices: "
                            + devices.stream().map(Device::name).toList());
                }
            }
            if (node.op() != TransferOps.RECV && !hasKernel(node, chosen)) {
                throw new IllegalArgumentException("node '" + node.name() + "' (" + node.op().name() + ") cannot "
                        + "run on " + chosen.name() + ": no kernel for " + chosen.type() + "; registered: "
                        + KernelRegistry.global().describe(node.op()));
            }
            placement.put(node, chosen);
        }
        return placement;
    }

    private static boolean hasKernel(Node node, Device d) {
        TensorSpec[] in = node.inputs().stream().map(o -> o.spec()).toArray(TensorSpec[]::new);
        TensorSpec[] out = new TensorSpec[node.numOutputs()];
        for (int i = 0; i < out.length; i++) out[i] = node.outputSpec(i);
        return KernelRegistry.global().has(node.op(), d.type(), node.op().kernelDType(in, node.attrs(), out));
    }
}
