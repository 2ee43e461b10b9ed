package org.nabla.runtime.optimize;

import java.util.List;
import java.util.Objects;
import org.nabla.DType;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.FusedOps;

/**
 * Fuses a float32 NHWC Conv2D with the bias and ReLU that follow it into one {@code FusedConv2D} (the patterns and
 * conditions of {@link BiasActivationFusion}). Gradients are built before this runs; BiasRelu's gradient reads the
 * activation, which the fused node still produces.
 */
final class ConvBiasActivationFusion extends BiasActivationFusion {
    ConvBiasActivationFusion() { super("Conv2D"); }

    @Override
    boolean biasAddFits(Node biasAdd) { return nhwc(biasAdd); }

    /** A float32 NHWC Conv2D whose bias is a float32 vector, on the root's device. */
    @Override
    boolean fusible(Node conv, Node root, Output bias) {
        return nhwc(conv) && conv.outputSpec(0).dtype() == DType.FLOAT32
                && conv.inputs().get(0).spec().dtype() == DType.FLOAT32
                && bias.spec().dtype() == DType.FLOAT32 && bias.spec().shape().rank() == 1
                && root.outputSpec(0).dtype() == DType.FLOAT32
                && Objects.equals(conv.device(), root.device());
    }

    @Override
    void rebuild(GraphRewriter rw, Node root, Node conv, Output bias, boolean relu) {
        List<Output> in = List.of(rw.map(conv.inputs().get(0)), rw.map(conv.inputs().get(1)), rw.map(bias));
        rw.rebuild(root, FusedOps.FUSED_CONV2D, conv.attrs().with("activation", relu ? "RELU" : "NONE"), in);
    }

    private static boolean nhwc(Node n) { return "NHWC".equals(n.attrs().get("dataFormat")); }
}
