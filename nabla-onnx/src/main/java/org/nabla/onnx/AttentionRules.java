package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * ONNX's Attention (opset 23): scaled dot-product attention over heads: one ScaledDotProductAttention op when the
 * node needs nothing beyond it (see {@code fusable}), otherwise built from Nabla ops. Masks, causal and
 * sliding-window limits become one additive bias (0 where a key may be attended, -inf where not); a query row that
 * may attend no key gives zeros (ONNX's rule), never NaN. Grouped-query attention repeats each key/value head for its
 * group of query heads; past keys and values are concatenated in front of the new ones (present_key, present_value).
 */
final class AttentionRules {
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    private AttentionRules() {}

    static void register(OnnxOperators r) {
        r.rule("Attention", AttentionRules::attention);
        r.one("RotaryEmbedding", AttentionRules::rotaryEmbedding);
    }

    /**
     * RotaryEmbedding (opset 23): rotates pairs of each head's first rotary_embedding_dim features by the angles
     * whose cosines and sines the caches hold (looked up by position_ids when given). Pairs are the two halves of
     * the rotated part, or neighbours when interleaved.
     */
    private static Tensor rotaryEmbedding(OnnxNode n) {
        Tensor x = n.required(0), cos = n.required(1), sin = n.required(2), positions = n.in(3);
        boolean fourD = x.rank() == 4;
        int b = NnRules.knownDim(n, x, 0);
        int s = NnRules.knownDim(n, x, fourD ? 2 : 1);
        if (fourD) {
            x = Ops.transpose(x, 0, 2, 1, 3);
        } else {
            int heads = (int) n.attrInt("num_heads", 0);
            int hidden = NnRules.knownDim(n, x, 2);
            if (heads <= 0 || hidden % heads != 0) throw n.error("3-D input needs num_heads dividing " + hidden);
            x = Ops.reshape(x, b, s, heads, hidden / heads);
        }
        int h = NnRules.knownDim(n, x, 2), d = NnRules.knownDim(n, x, 3);
        int rot = (int) n.attrInt("rotary_embedding_dim", 0);
        if (rot == 0) rot = d;
        if (positions != null) {
            cos = Ops.gather(cos, positions, 0);
            sin = Ops.gather(sin, positions, 0);
        }
        cos = Ops.expandDims(cos, 2);
        sin = Ops.expandDims(sin, 2);
        Tensor rotate = Ops.slice(x, new int[4], new int[] {-1, -1, -1, rot});
        boolean interleaved = n.attrInt("interleaved", 0) == 1;
        Tensor x1, x2;
        if (interleaved) {
            Tensor[] pairs = Ops.split(Ops.reshape(rotate, b, s, h, rot / 2, 2), 2, 4);
            x1 = Ops.squeeze(pairs[0], 4);
            x2 = Ops.squeeze(pairs[1], 4);
        } else {
            Tensor[] halves = Ops.split(rotate, 2, 3);
            x1 = halves[0];
            x2 = halves[1];
        }
        Tensor real = Ops.sub(Ops.mul(cos, x1), Ops.mul(sin, x2));
        Tensor imag = Ops.add(Ops.mul(sin, x1), Ops.mul(cos, x2));
        Tensor rotated = interleaved ? Ops.reshape(Ops.stack(4, real, imag), b, s, h, rot)
                : Ops.concat(3, real, imag);
        Tensor y = rot == d ? rotated
                : Ops.concat(3, rotated, Ops.slice(x, new int[] {0, 0, 0, rot}, new int[] {-1, -1, -1, -1}));
        return fourD ? Ops.transpose(y, 0, 2, 1, 3) : Ops.reshape(y, b, s, h * d);
    }

    private static List<Tensor> attention(OnnxNode n) {
        Tensor q = n.required(0), k = n.required(1), v = n.required(2);
        Tensor mask = n.in(3), pastKey = n.in(4), pastValue = n.in(5), nonPad = n.in(6);
        if ((pastKey == null) != (pastValue == null)) throw n.error("past_key and past_value go together");
        if (nonPad != null && pastKey != null) throw n.error("nonpad_kv_seqlen cannot be combined with a past cache");
        boolean threeD = q.rank() == 3;
        if (threeD) {
            if (!n.hasAttr("q_num_heads") || !n.hasAttr("kv_num_heads")) {
                throw n.error("3-D inputs need the attributes q_num_heads and kv_num_heads");
            }
            q = heads(n, q, (int) n.attrInt("q_num_heads", 0));
            k = heads(n, k, (int) n.attrInt("kv_num_heads", 0));
            v = heads(n, v, (int) n.attrInt("kv_num_heads", 0));
        } else if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4) {
            throw n.error("Q, K and V must be all 3-D or all 4-D, got " + q.shape() + ", " + k.shape() + ", "
                    + v.shape());
        }
        DType dtype = q.dtype();
        double scale = n.hasAttr("scale") ? n.attrFloat("scale", 1) : 1 / Math.sqrt(NnRules.knownDim(n, q, 3));
        // ONNX scales Q and K each by sqrt(scale), in the input's precision.
        double sqrtScale = dtype == DType.FLOAT32 ? (float) Math.sqrt(scale) : Math.sqrt(scale);

        Tensor presentKey = pastKey == null ? k : Ops.concat(2, pastKey, k);
        Tensor presentValue = pastValue == null ? v : Ops.concat(2, pastValue, v);
        int qLen = NnRules.knownDim(n, q, 2), kvLen = NnRules.knownDim(n, presentKey, 2);
        Tensor offset = pastKey != null ? Tensors.scalar((long) NnRules.knownDim(n, pastKey, 2))
                : nonPad != null ? Ops.reshape(Ops.sub(Ops.cast(nonPad, DType.INT64), (long) qLen), -1, 1, 1, 1)
                : Tensors.scalar(0L);
        Tensor bias = bias(n, mask, dtype, qLen, kvLen, offset);
        if (nonPad != null) {
            Tensor keep = Ops.less(Ops.range(0, kvLen, 1, DType.INT64),
                    Ops.reshape(Ops.cast(nonPad, DType.INT64), -1, 1, 1, 1));
            bias = Ops.add(bias, Ops.where(keep, zero(dtype), negInf(dtype)));
        }

        int qHeads = NnRules.knownDim(n, q, 1), kvHeads = NnRules.knownDim(n, presentKey, 1);
        Tensor keys = presentKey, values = presentValue;
        if (qHeads != kvHeads && qHeads % kvHeads == 0 && kvHeads == NnRules.knownDim(n, presentValue, 1)) {
            keys = repeatHeads(n, keys, qHeads / kvHeads);
            values = repeatHeads(n, values, qHeads / kvHeads);
        }
        if (fusable(n, dtype, mask, nonPad, pastKey)) {
            Tensor y = Ops.scaledDotProductAttention(q, keys, values, null, scale, n.attrInt("is_causal", 0) == 1);
            if (threeD) y = Ops.reshape(Ops.transpose(y, 0, 2, 1, 3), NnRules.knownDim(n, y, 0), qLen, -1);
            return new ArrayList<>(List.of(y, presentKey, presentValue));
        }
        Tensor qk = Ops.matmul(Ops.mul(q, sqrtScale), Ops.mul(keys, sqrtScale), false, true);
        double softcap = n.attrFloat("softcap", 0);
        if (softcap > 0) qk = Ops.mul(Ops.tanh(Ops.div(qk, softcap)), softcap);
        Tensor withBias = Ops.add(qk, bias);
        long mode = n.attrInt("qk_matmul_output_mode", 0);
        Tensor qkOut = mode == 2 ? withBias : qk;
        if (n.hasAttr("softmax_precision")) {
            withBias = Ops.cast(withBias, OnnxTypes.toDType((int) n.attrInt("softmax_precision", 1),
                    n.where() + " 'softmax_precision'"));
        }
        Tensor probs = Ops.cast(safeSoftmax(withBias), dtype);
        // A row whose bias is all -inf attends nothing: zeros, decided on the bias (the logits may hold NaN).
        Tensor rowMasked = Ops.equal(Ops.max(bias, true, -1), NEG_INF);
        probs = Ops.where(rowMasked, Ops.zerosLike(probs), probs);
        if (mode == 3) qkOut = probs;
        Tensor y = Ops.matmul(probs, values);
        if (threeD) {
            y = Ops.transpose(y, 0, 2, 1, 3);
            y = Ops.reshape(y, NnRules.knownDim(n, y, 0), qLen, -1);
        }
        List<Tensor> out = new ArrayList<>(List.of(y, presentKey, presentValue, Ops.cast(qkOut, dtype)));
        return out;
    }

    /**
     * Whether the fused ScaledDotProductAttention op computes this node: float32/float64, no mask, padding, window,
     * softcap or softmax precision, causal only without a past cache (the op's causal limit is {@code j <= i}), and
     * the scores output not wanted. No row is then fully masked, so ONNX's zeros rule never applies.
     */
    private static boolean fusable(OnnxNode n, DType dtype, Tensor mask, Tensor nonPad, Tensor pastKey) {
        return (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) && mask == null && nonPad == null
                && (pastKey == null || n.attrInt("is_causal", 0) == 0) && n.attrFloat("softcap", 0) == 0
                && n.attrInt("left_window_size", -1) < 0 && n.attrInt("right_window_size", -1) < 0
                && !n.hasAttr("softmax_precision") && n.outputCount() <= 3;
    }

    /** (batch, sequence, heads * size) to (batch, heads, sequence, size). */
    private static Tensor heads(OnnxNode n, Tensor x, int heads) {
        int hidden = NnRules.knownDim(n, x, 2);
        if (heads <= 0 || hidden % heads != 0) throw n.error("hidden size " + hidden + " of " + x.shape()
                + " does not split into " + heads + " heads");
        Tensor split = Ops.reshape(x, NnRules.knownDim(n, x, 0), NnRules.knownDim(n, x, 1), heads, hidden / heads);
        return Ops.transpose(split, 0, 2, 1, 3);
    }

    /** Each head repeated {@code reps} times in place: h0 h0 h1 h1 ... */
    private static Tensor repeatHeads(OnnxNode n, Tensor x, int reps) {
        int b = NnRules.knownDim(n, x, 0), h = NnRules.knownDim(n, x, 1);
        int s = NnRules.knownDim(n, x, 2), d = NnRules.knownDim(n, x, 3);
        Tensor wide = Ops.broadcastTo(Ops.reshape(x, b, h, 1, s, d), b, h, reps, s, d);
        return Ops.reshape(wide, b, h * reps, s, d);
    }

    /**
     * The additive bias from the mask (bool: true attends; float: added as it is; padded with "not attended" to the
     * keys' length), the causal limit (query i attends key j when {@code j <= i + offset}) and the sliding window.
     */
    private static Tensor bias(OnnxNode n, Tensor mask, DType dtype, int qLen, int kvLen, Tensor offset) {
        Tensor bias = Ops.zeros(dtype, qLen, kvLen);
        if (mask != null) {
            int width = NnRules.knownDim(n, mask, mask.rank() - 1);
            if (width < kvLen) {
                int[][] pads = new int[mask.rank()][2];
                pads[mask.rank() - 1][1] = kvLen - width;
                mask = Ops.pad(mask, pads, "CONSTANT", mask.dtype() == DType.BOOL ? 0 : NEG_INF);
            }
            if (mask.dtype() == DType.BOOL) mask = Ops.where(mask, zero(dtype), negInf(dtype));
            bias = Ops.add(bias, mask);
        }
        Tensor i = Ops.reshape(Ops.range(0, qLen, 1, DType.INT64), qLen, 1);
        Tensor j = Ops.reshape(Ops.range(0, kvLen, 1, DType.INT64), 1, kvLen);
        Tensor diff = Ops.sub(Ops.add(i, offset), j); // how far key j lies behind query i
        if (n.attrInt("is_causal", 0) == 1) {
            bias = Ops.add(bias, Ops.where(Ops.greaterEqual(diff, 0L), zero(dtype), negInf(dtype)));
        }
        long left = n.attrInt("left_window_size", -1), right = n.attrInt("right_window_size", -1);
        if (left >= 0) bias = Ops.add(bias, Ops.where(Ops.lessEqual(diff, left), zero(dtype), negInf(dtype)));
        if (right >= 0) {
            bias = Ops.add(bias, Ops.where(Ops.lessEqual(Ops.neg(diff), right), zero(dtype), negInf(dtype)));
        }
        return bias;
    }

    /** Softmax over the last axis where a row of only -inf gives zeros instead of NaN. */
    private static Tensor safeSoftmax(Tensor x) {
        Tensor max = Ops.max(x, true, -1);
        Tensor safeMax = Ops.where(Ops.equal(max, NEG_INF), Ops.zerosLike(max), max);
        Tensor e = Ops.exp(Ops.sub(x, safeMax));
        Tensor s = Ops.sum(e, true, -1);
        return Ops.div(e, Ops.where(Ops.equal(s, 0.0), Ops.onesLike(s), s));
    }

    private static Tensor zero(DType dtype) { return Ops.cast(Tensors.scalar(0.0), dtype); }

    private static Tensor negInf(DType dtype) { return Ops.cast(Tensors.scalar(NEG_INF), dtype); }
}
