package org.nabla.ops;

import org.nabla.DType;
import org.nabla.Shape;

/**
 * Fused scaled dot-product attention (PyTorch's {@code scaled_dot_product_attention}, ONNX's {@code Attention} core):
 * {@code softmax(scale * q k^T, masked) v} for q [B, H, Tq, D], k [B, H, Tk, D], v [B, H, Tk, Dv], computed one block
 * of query rows at a time so the score block never leaves the cache. Masking: an optional bool {@code mask}
 * broadcastable to [B, H, Tq, Tk] (true: may attend) and the {@code causal} attribute (key j is hidden from query i
 * when {@code j > i}); a masked score is replaced by {@code -0.7 * max} of the dtype before the softmax, as Keras'
 * attention does, so a query that may attend to nothing averages all values evenly. {@code scale} 0 means
 * {@code 1 / sqrt(D)}. The second output is each row's log-sum-exp of its (scaled, masked) scores [B, H, Tq]: the
 * backward op rebuilds the probabilities from it instead of keeping the [Tq, Tk] matrix.
 */
public final class AttentionOps {
    private AttentionOps() {}

    /** The fused attention: outputs the result [B, H, Tq, Dv] and each query row's log-sum-exp [B, H, Tq]. */
    public static final OpDef SCALED_DOT_PRODUCT_ATTENTION = OpDef.builder("ScaledDotProductAttention")
            .inputs("query", "key", "value").variadicInput("mask", 0)
            .attr("scale", AttrType.FLOAT, 0.0)
            .attr("causal", AttrType.BOOL, false)
            .shape((in, a) -> {
                Shapes s = Shapes.check("ScaledDotProductAttention", in, 3);
                return new TensorSpec[] {new TensorSpec(s.dtype, Shape.of(s.b, s.h, s.tq, s.dv)),
                        new TensorSpec(s.dtype, Shape.of(s.b, s.h, s.tq))};
            })
            .summary("softmax(scale * query key^T, masked) value, one query block at a time; outputs the result "
                    + "[B, H, Tq, Dv] and each row's log-sum-exp [B, H, Tq]").build();

    /**
     * The gradient of ScaledDotProductAttention: inputs query, key, value, the forward's log-sum-exp, the gradients
     * of its two outputs, then the mask if the forward had one; outputs the gradients of query, key and value. It
     * recomputes the probabilities block by block. Not differentiable again (second-order attention is not needed by
     * any layer; compose the unfused ops for it).
     */
    public static final OpDef SCALED_DOT_PRODUCT_ATTENTION_GRAD = OpDef.builder("ScaledDotProductAttentionGrad")
            .inputs("query", "key", "value", "logSumExp", "grad", "gradLogSumExp").variadicInput("mask", 0)
            .attr("scale", AttrType.FLOAT, 0.0)
            .attr("causal", AttrType.BOOL, false)
            .shape((in, a) -> {
                String op = "ScaledDotProductAttentionGrad";
                TensorSpec[] forward = in.length == 7 ? new TensorSpec[] {in[0], in[1], in[2], in[6]}
                        : new TensorSpec[] {in[0], in[1], in[2]};
                Shapes s = Shapes.check(op, forward, 3);
                requireShape(op, "logSumExp", in[3], s.dtype, Shape.of(s.b, s.h, s.tq));
                requireShape(op, "grad", in[4], s.dtype, Shape.of(s.b, s.h, s.tq, s.dv));
                requireShape(op, "gradLogSumExp", in[5], s.dtype, Shape.of(s.b, s.h, s.tq));
                return new TensorSpec[] {in[0], in[1], in[2]};
            })
            .notDifferentiable().internal()
            .summary("the gradients of ScaledDotProductAttention's query, key and value, recomputing the "
                    + "probabilities from the log-sum-exp").build();

    private static void requireShape(String op, String name, TensorSpec t, DType dtype, Shape want) {
        if (t.dtype() != dtype || !t.shape().isCompatibleWith(want)) {
            throw new OpException(op, "'" + name + "' must be " + dtype.name().toLowerCase() + want + ", got " + t);
        }
    }

    /** The checked dimensions of query [B, H, Tq, D], key [B, H, Tk, D], value [B, H, Tk, Dv] and the mask. */
    private record Shapes(DType dtype, int b, int h, int tq, int tk, int d, int dv) {
        static Shapes check(String op, TensorSpec[] in, int data) {
            if (in.length > data + 1) {
                throw new OpException(op, "takes query, key, value and at most one mask, got " + in.length + " inputs");
            }
            Infer.requireDType(op, "query", in[0], DType.FLOAT32, DType.FLOAT64);
            for (int i = 0; i < 3; i++) {
                Infer.requireRank(op, new String[] {"query", "key", "value"}[i], in[i], 4);
                Infer.sameDType(op, in[0], in[i]);
            }
            Shape q = in[0].shape(), k = in[1].shape(), v = in[2].shape();
            int b = join(op, "batch", q.dim(0), k.dim(0), v.dim(0));
            int h = join(op, "heads", q.dim(1), k.dim(1), v.dim(1));
            int tk = join(op, "key length", k.dim(2), v.dim(2), Shape.UNKNOWN);
            int d = join(op, "query/key depth", q.dim(3), k.dim(3), Shape.UNKNOWN);
            if (in.length == data + 1) {
                TensorSpec m = in[data];
                if (m.dtype() != DType.BOOL || m.shape().rank() > 4) {
                    throw new OpException(op, "the mask must be bool (true: may attend) of rank at most 4, got " + m);
                }
                int[] full = {b, h, q.dim(2), tk};
                int shift = 4 - m.shape().rank();
                for (int i = 0; i < m.shape().rank(); i++) {
                    int md = m.shape().dim(i), want = full[i + shift];
                    if (md != 1 && md != Shape.UNKNOWN && want != Shape.UNKNOWN && md != want) {
                        throw new OpException(op, "mask " + m.shape() + " does not broadcast to [batch, heads, "
                                + "query length, key length] " + Shape.of(full));
                    }
                }
            }
            return new Shapes(in[0].dtype(), b, h, q.dim(2), tk, d, v.dim(3));
        }

        /** The common value of known dims (UNKNOWN when none is known); a mismatch names the axis. */
        private static int join(String op, String what, int... dims) {
            int known = Shape.UNKNOWN;
            for (int d : dims) {
                if (d == Shape.UNKNOWN) continue;
                if (known != Shape.UNKNOWN && d != known) {
                    throw new OpException(op, "query, key and value disagree on the " + what + ": " + known + " vs "
                            + d + " (query [B, H, Tq, D], key [B, H, Tk, D], value [B, H, Tk, Dv])");
                }
                known = d;
            }
            return known;
        }
    }
}
