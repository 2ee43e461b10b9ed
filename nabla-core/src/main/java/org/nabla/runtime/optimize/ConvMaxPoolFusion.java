package org.nabla.runtime.optimize;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.FusedOps;

/**
 * Fuses a FusedConv2D (made by {@link ConvBiasActivationFusion}) with the MaxPool2D that follows it, p x p windows
 * at stride p, VALID, NHWC: the pool is rebuilt (keeping its name) as a FusedConv2D with {@code maxPool} p, so the
 * convolution's output is never stored. The convolution's output must be used only by the pool, not pinned and no
 * node's control input, on the pool's device. In a training graph the gradients read that output, so only inference
 * graphs fuse.
 */
final class ConvMaxPoolFusion implements Pass {
    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        Uses counted = Uses.of(graph.nodes());
        Map<Node, Node> convOfPool = new HashMap<>();
        for (Node n : graph.nodes()) {
            Node conv = fusibleConv(n, pinned, counted);
            if (conv != null) convOfPool.put(n, conv);
        }
        GraphRewriter rw = new GraphRewriter(graph);
        Set<Node> absorbed = new HashSet<>(convOfPool.values());
        for (Node n : graph.nodes()) {
            Node conv = convOfPool.get(n);
            if (conv != null) {
                List<Output> in = conv.inputs().stream().map(rw::map).toList();
                rw.rebuild(n, FusedOps.FUSED_CONV2D, conv.attrs().with("maxPool", n.attrs().getInts("ksize")[0]), in);
            } else if (!absorbed.contains(n)) {
                rw.copy(n);
            }
        }
        return rw.finish();
    }

    /** Whether a pool's windows tile its NHWC input: p x p (p at least 2) at stride p, VALID. */
    static boolean tilingWindows(Attrs pool) {
        int[] k = pool.getInts("ksize"), s = pool.getInts("strides");
        return "NHWC".equals(pool.get("dataFormat")) && "VALID".equals(pool.get("padding")) && k.length == 2
                && k[0] == k[1] && k[0] >= 2 && Arrays.equals(k, s);
    }

    /** The FusedConv2D that {@code pool} can absorb, or null. */
    private static Node fusibleConv(Node pool, Set<Node> pinned, Uses uses) {
        if (!pool.op().name().equals("MaxPool2D") || pool.inputs().isEmpty() || !tilingWindows(pool.attrs())) {
            return null;
        }
        Output in = pool.inputs().get(0);
        Node conv = in.node();
        if (!conv.op().name().equals("FusedConv2D") || conv.attrs().getInt("maxPool") != 1 || pinned.contains(conv)
                || uses.controlUsed().contains(conv) || uses.outputs().getOrDefault(in, 0) != 1
                || !conv.controlInputs().isEmpty() || !Objects.equals(conv.device(), pool.device())) {
            return null;
        }
        return conv;
    }
}
