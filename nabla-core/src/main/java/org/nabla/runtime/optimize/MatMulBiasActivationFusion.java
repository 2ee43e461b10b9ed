package org.nabla.runtime.optimize;

import java.util.List;
import java.util.Objects;
import org.nabla.DType;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.FusedOps;

/**
 * Fuses a 2-D float32 MatMul with the bias and ReLU that follow it (a dense layer) into one {@code FusedMatMul}
 * (the patterns and conditions of {@link BiasActivationFusion}). MatMul's gradients read its inputs, not its output,
 * and BiasRelu's reads the activation, which the fused node still produces, so training graphs fuse too.
 */
final class MatMulBiasActivationFusion extends BiasActivationFusion {
    MatMulBiasActivationFusion() { super("MatMul"); }

    @Override
    boolean biasAddFits(Node biasAdd) { return true; }

    /** A MatMul of two float32 matrices whose bias is a float32 vector, on the root's device. */
    @Override
    boolean fusible(Node mm, Node root, Output bias) {
        for (int i = 0; i < 2; i++) {
            var spec = mm.inputs().get(i).spec();
            if (spec.dtype() != DType.FLOAT32 || spec.shape().rank() != 2) return false;
        }
        return mm.outputSpec(0).dtype() == DType.FLOAT32 && root.outputSpec(0).dtype() == DType.FLOAT32
                && bias.spec().dtype() == DType.FLOAT32 && bias.spec().shape().rank() == 1
                && Objects.equals(mm.device(), root.device());
    }

    @Override
    void rebuild(GraphRewriter rw, Node root, Node mm, Output bias, boolean relu) {
        List<Output> in = List.of(rw.map(mm.inputs().get(0)), rw.map(mm.inputs().get(1)), rw.map(bias));
        Attrs attrs = Attrs.of("transposeA", mm.attrs().getBool("transposeA"), "transposeB",
                mm.attrs().getBool("transposeB"), "activation", relu ? "RELU" : "NONE");
        rw.rebuild(root, FusedOps.FUSED_MAT_MUL, attrs, in);
    }
}
