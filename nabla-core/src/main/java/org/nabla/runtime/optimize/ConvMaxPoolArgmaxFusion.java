package org.nabla.runtime.optimize;

import java.util.HashMap;
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
 * The training twin of {@link ConvMaxPoolFusion}: a FusedConv2D followed by MaxPoolWithArgmax (p x p windows at
 * stride p, VALID, NHWC) becomes one {@code FusedConv2DMaxPoolArgmax}, so the activation (the largest tensor of a
 * cnn's step: 11 MB for the reference cnn's first layer) is neither written nor read back. It applies when every
 * other reader of the activation takes only its shape: the {@code like} input of {@code MaxPoolBiasReluGrad} (made
 * by {@link PoolReluGradFusion}, which runs first), which then reads the fused node's shape-only third output. The
 * convolution must not be pinned, nobody's control input, without control inputs, on the pool's device; the pool
 * must have no control inputs. MaxPoolWithArgmax is nabla-nn's op, matched by name.
 */
final class ConvMaxPoolArgmaxFusion implements Pass {
    /** -Dnabla.fuse.convPoolArgmax=false leaves training graphs' convolutions and pools apart (comparisons). */
    static final boolean ENABLED = !"false".equals(System.getProperty("nabla.fuse.convPoolArgmax"));

    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        List<Node> nodes = graph.nodes();
        Uses uses = Uses.of(nodes);
        Map<Output, Integer> shapeOnly = new HashMap<>(); // activation -> MaxPoolBiasReluGrad 'like' reads
        for (Node n : nodes) {
            if (n.op().name().equals("MaxPoolBiasReluGrad") && n.inputs().size() == 4) {
                shapeOnly.merge(n.inputs().get(3), 1, Integer::sum);
            }
        }
        Map<Node, Node> poolOfConv = new HashMap<>();
        for (Node n : nodes) {
            Node conv = fusibleConv(n, pinned, uses, shapeOnly);
            if (conv != null) poolOfConv.put(conv, n);
        }
        Map<Node, Node> fusedOfPool = new HashMap<>();
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : nodes) {
            Node pool = poolOfConv.get(n);
            if (pool != null) { // at the convolution: its inputs are mapped, the pool comes later
                Attrs attrs = n.attrs().with("maxPool", pool.attrs().getInts("ksize")[0]);
                Node fused = rw.add(FusedOps.FUSED_CONV2D_MAX_POOL_ARGMAX, attrs, rw.inputsOf(n), List.of(),
                        pool.name() + "_conv", pool.device());
                rw.replace(n, List.of(new Output(fused, 2)));
                fusedOfPool.put(pool, fused);
            } else if (fusedOfPool.containsKey(n)) {
                Node fused = fusedOfPool.get(n);
                rw.replace(n, List.of(new Output(fused, 0), new Output(fused, 1)));
            } else {
                rw.copy(n);
            }
        }
        return rw.finish();
    }

    /** The FusedConv2D that {@code pool} (a MaxPoolWithArgmax) can absorb, or null. */
    private static Node fusibleConv(Node pool, Set<Node> pinned, Uses uses, Map<Output, Integer> shapeOnly) {
        if (!pool.op().name().equals("MaxPoolWithArgmax") || pool.inputs().size() != 1 || pool.numOutputs() != 2
                || !pool.controlInputs().isEmpty() || !ConvMaxPoolFusion.tilingWindows(pool.attrs())) {
            return null;
        }
        Output in = pool.inputs().get(0);
        Node conv = in.node();
        int readers = uses.outputs().getOrDefault(in, 0);
        if (!conv.op().name().equals("FusedConv2D") || conv.attrs().getInt("maxPool") != 1 || pinned.contains(conv)
                || uses.controlUsed().contains(conv) || !conv.controlInputs().isEmpty()
                || readers != 1 + shapeOnly.getOrDefault(in, 0) || !Objects.equals(conv.device(), pool.device())) {
            return null;
        }
        return conv;
    }
}
