package org.nabla.runtime.optimize;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nabla.DType;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.FusedOps;

/**
 * Fuses {@code Conv2DBackpropFilter(input, filter, dy)} with the {@code (dy, dBias) = MaxPoolBiasReluGrad(grad,
 * argmax, pooled, like)} that made its gradient into one {@code FusedPoolReluFilterGrad}, so dY (as large as the
 * layer's activation) is made image by image in cache and never stored. It applies when the filter gradient is dY's
 * only reader (a first layer, whose input needs no gradient), float32 NHWC, the pooling gradient not pinned,
 * neither node anyone's control input or with control inputs (a kept dFilter maps to the fused node's), both on one
 * device, and the convolution's input and filter are in the graph before the pooling gradient (the fused node takes
 * its place). Runs after {@link PoolReluGradFusion}.
 */
final class PoolReluFilterGradFusion implements Pass {
    /** -Dnabla.fuse.poolReluFilterGrad=false leaves them apart (comparisons). */
    static final boolean ENABLED = !"false".equals(System.getProperty("nabla.fuse.poolReluFilterGrad"));

    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        List<Node> nodes = graph.nodes();
        Uses uses = Uses.of(nodes);
        Map<Node, Node> filterGradOf = new HashMap<>(); // MaxPoolBiasReluGrad -> its only reader
        for (Node n : nodes) {
            Node m = poolGradOf(n, pinned, uses);
            if (m != null) filterGradOf.put(m, n);
        }
        Map<Node, Node> fusedOf = new HashMap<>(); // Conv2DBackpropFilter -> the fused node
        GraphRewriter rw = new GraphRewriter(graph);
        for (Node n : nodes) {
            Node f = filterGradOf.get(n);
            if (f != null && rw.isMapped(f.inputs().get(0)) && rw.isMapped(f.inputs().get(1))) {
                List<Output> in = List.of(rw.map(f.inputs().get(0)), rw.map(f.inputs().get(1)),
                        rw.map(n.inputs().get(0)), rw.map(n.inputs().get(1)), rw.map(n.inputs().get(2)));
                Node fused = rw.add(FusedOps.FUSED_POOL_RELU_FILTER_GRAD, f.attrs(), in, List.of(),
                        f.name() + "_pool", f.device());
                rw.replace(n, List.of(new Output(fused, 2), new Output(fused, 1)));
                fusedOf.put(f, fused);
            } else if (fusedOf.containsKey(n)) {
                rw.replace(n, List.of(new Output(fusedOf.get(n), 0)));
            } else {
                rw.copy(n);
            }
        }
        return rw.finish();
    }

    /** The MaxPoolBiasReluGrad whose dY only {@code n} (a Conv2DBackpropFilter) reads, or null. */
    private static Node poolGradOf(Node n, Set<Node> pinned, Uses uses) {
        if (!n.op().name().equals("Conv2DBackpropFilter") || n.inputs().size() != 3 || uses.controlUsed().contains(n) || !n.controlInputs().isEmpty()
                || !"NHWC".equals(n.attrs().get("dataFormat")) || n.outputSpec(0).dtype() != DType.FLOAT32
                || n.inputs().get(0).spec().dtype() != DType.FLOAT32) {
            return null;
        }
        Output dy = n.inputs().get(2);
        Node m = dy.node();
        if (!m.op().name().equals("MaxPoolBiasReluGrad") || dy.index() != 0 || pinned.contains(m)
                || uses.controlUsed().contains(m) || !m.controlInputs().isEmpty()
                || uses.outputs().getOrDefault(dy, 0) != 1 || m.outputSpec(0).dtype() != DType.FLOAT32
                || !Objects.equals(m.device(), n.device())) {
            return null;
        }
        return m;
    }
}
