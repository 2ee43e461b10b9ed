package org.nabla.onnx;

import static org.nabla.onnx.OnnxGraphWriter.attr;
import static org.nabla.onnx.OnnxGraphWriter.in;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.Node;

/**
 * The export rule of the fused {@code ScaledDotProductAttention} op, written as the computation it fuses (opset 17
 * has no attention operator): {@code MatMul(q, k^T) * scale}, hidden scores replaced by {@code -0.7 * max} of the
 * dtype as the kernel does (a query that may see nothing averages all values, Keras' convention), {@code Softmax} on
 * the last axis, {@code MatMul} with v; the second output, each row's log-sum-exp, is {@code ReduceLogSumExp} of
 * the same scores. A causal mask is a lower-triangular constant, so it needs known query and key lengths.
 */
final class AttentionExports {
    private AttentionExports() {}

    static void register(ExportOperators r) { r.rule("ScaledDotProductAttention", AttentionExports::attention); }

    private static void attention(Node n, OnnxGraphWriter w) {
        Shape q = n.inputs().get(0).spec().shape(), k = n.inputs().get(1).spec().shape();
        DType dtype = n.outputSpec(0).dtype();
        double scale = n.attrs().getDouble("scale");
        if (scale == 0) {
            if (q.dim(3) == Shape.UNKNOWN) {
                throw new OnnxException("ONNX export: node '" + n.name() + "' (ScaledDotProductAttention) needs a "
                        + "known query depth for its default scale, got query " + q);
            }
            scale = 1 / Math.sqrt(q.dim(3));
        }
        String keysT = w.temp(n, "Transpose", in(w.input(n, 1)), attr("perm", 0, 1, 3, 2));
        String scores = w.temp(n, "Mul", in(w.temp(n, "MatMul", in(w.input(n, 0), keysT)),
                w.scalar(n, "scale", dtype, scale)));
        String visible = n.inputs().size() > 3 ? w.input(n, 3) : null;
        if (n.attrs().getBool("causal")) {
            int tq = q.dim(2), tk = k.dim(2);
            if (tq == Shape.UNKNOWN || tk == Shape.UNKNOWN) {
                throw new OnnxException("ONNX export: node '" + n.name() + "' (ScaledDotProductAttention) is causal "
                        + "and needs known query and key lengths, got query " + q + " and key " + k);
            }
            byte[] lower = new byte[tq * tk];
            for (int i = 0; i < tq; i++) for (int j = 0; j <= i && j < tk; j++) lower[i * tk + j] = 1;
            String causal = w.initializer(Tensor.wrap(DType.BOOL, Shape.of(tq, tk), lower), n.name() + "/causal");
            visible = visible == null ? causal : w.temp(n, "And", in(visible, causal));
        }
        if (visible != null) {
            double hidden = -0.7 * (dtype == DType.FLOAT64 ? Double.MAX_VALUE : Float.MAX_VALUE);
            scores = w.temp(n, "Where", in(visible, scores, w.scalar(n, "hidden", dtype, hidden)));
        }
        String probabilities = w.temp(n, "Softmax", in(scores), attr("axis", -1L));
        w.result(n, 0, "MatMul", in(probabilities, w.input(n, 2)));
        w.result(n, 1, "ReduceLogSumExp", in(scores), attr("axes", new int[] {-1}), attr("keepdims", 0L));
    }
}
