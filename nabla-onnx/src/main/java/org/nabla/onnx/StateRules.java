package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.Conv2dOptions;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * Operators that carry a state from one call to the next, as decoders of state-space and linear-attention models
 * do: CausalConvWithState (a depthwise causal 1-D convolution whose left context is the past state) and
 * LinearAttention (a recurrent key-value state, optionally gated and delta-corrected), unrolled over the sequence,
 * whose length must be known at import.
 */
final class StateRules {
    private StateRules() {}

    static void register(OnnxOperators r) {
        r.rule("CausalConvWithState", StateRules::causalConv);
        r.rule("LinearAttention", StateRules::linearAttention);
    }

    private static List<Tensor> causalConv(OnnxNode n) {
        Tensor x = n.required(0), w = n.required(1), bias = n.in(2), past = n.in(3);
        if (x.rank() != 3 || w.rank() != 3) throw n.error("input (B, C, L) and weight (C, 1, k) expected, got "
                + x.shape() + " and " + w.shape());
        int b = NnRules.knownDim(n, x, 0), c = NnRules.knownDim(n, x, 1), k = NnRules.knownDim(n, w, 2);
        Tensor padded = k == 1 ? x : Ops.concat(2, past != null ? past : Ops.zeros(x.dtype(), b, c, k - 1), x);
        Tensor filter = Ops.transpose(Ops.expandDims(w, 2), 2, 3, 1, 0); // (C, 1, 1, k) -> HWIO (1, k, 1, C)
        Conv2dOptions o = Conv2dOptions.defaults().groups(c).dataFormat("NCHW").padding("VALID");
        Tensor y = Ops.squeeze(Ops.conv2d(Ops.expandDims(padded, 2), filter, o), 2);
        if (bias != null) y = Ops.add(y, Ops.reshape(bias, -1, 1));
        String activation = n.attrString("activation", "none");
        y = switch (activation) {
            case "none" -> y;
            case "silu", "swish" -> Ops.mul(y, Ops.sigmoid(y));
            default -> throw n.error("activation '" + activation + "' (none, silu or swish)");
        };
        int total = NnRules.knownDim(n, padded, 2);
        Tensor present = Ops.slice(padded, new int[] {0, 0, total - (k - 1)}, new int[] {-1, -1, k - 1});
        return List.of(y, present);
    }

    private static List<Tensor> linearAttention(OnnxNode n) {
        Tensor q = n.required(0), key = n.required(1), v = n.required(2);
        Tensor past = n.in(3), decay = n.in(4), beta = n.in(5);
        // 16-bit inputs: the whole recurrence in float32, each output rounded once, as one ONNX kernel computes it
        org.nabla.DType io = q.dtype(), pastType = past == null ? null : past.dtype();
        if (io.isHalfPrecision()) {
            q = float32(q);
            key = float32(key);
            v = float32(v);
            past = float32(past);
            decay = float32(decay);
            beta = float32(beta);
        }
        String rule = n.attrString("update_rule", "gated_delta");
        boolean gating = rule.equals("gated") || rule.equals("gated_delta");
        boolean delta = rule.equals("delta") || rule.equals("gated_delta");
        if (!gating && !delta && !rule.equals("linear")) throw n.error("update_rule '" + rule + "'");
        if (gating != (decay != null)) throw n.error("update_rule '" + rule + (gating ? "' needs" : "' forbids")
                + " the decay input");
        if (delta != (beta != null)) throw n.error("update_rule '" + rule + (delta ? "' needs" : "' forbids")
                + " the beta input");
        int qHeads = (int) n.attrInt("q_num_heads", 0), kvHeads = (int) n.attrInt("kv_num_heads", 0);
        if (qHeads <= 0 || kvHeads <= 0 || qHeads % kvHeads != 0) {
            throw n.error("q_num_heads " + qHeads + " must be a positive multiple of kv_num_heads " + kvHeads);
        }
        int b = NnRules.knownDim(n, q, 0), t = NnRules.knownDim(n, q, 1);
        int dk = NnRules.knownDim(n, q, 2) / qHeads, dv = NnRules.knownDim(n, v, 2) / kvHeads;
        Tensor q4 = heads(q, b, t, qHeads), k4 = heads(key, b, t, kvHeads), v4 = heads(v, b, t, kvHeads);
        Tensor decay4 = null, beta4 = null;
        if (decay != null) {
            int last = NnRules.knownDim(n, decay, 2);
            decay4 = last == kvHeads ? Ops.transpose(Ops.reshape(decay, b, t, kvHeads, 1), 0, 2, 1, 3)
                    : heads(decay, b, t, kvHeads);
        }
        if (beta != null) {
            int last = NnRules.knownDim(n, beta, 2);
            beta4 = Ops.transpose(Ops.reshape(beta, b, t, last, 1), 0, 2, 1, 3);
        }
        double scale = n.attrFloat("scale", 0);
        if (scale == 0) scale = 1 / Math.sqrt(dk);
        Tensor state = past != null ? Ops.cast(past, q.dtype()) : Ops.zeros(q.dtype(), b, kvHeads, dk, dv);
        int group = qHeads / kvHeads;
        List<Tensor> outs = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            Tensor at = Tensors.scalar((long) i);
            Tensor qt = Ops.gather(q4, at, 2), kt = Ops.gather(k4, at, 2), vt = Ops.gather(v4, at, 2);
            if (gating) state = Ops.mul(state, Ops.expandDims(Ops.exp(Ops.gather(decay4, at, 2)), -1));
            if (delta) {
                Tensor retrieved = Ops.squeeze(Ops.matmul(Ops.expandDims(kt, 2), state), 2);
                vt = Ops.mul(Ops.gather(beta4, at, 2), Ops.sub(vt, retrieved));
            }
            state = Ops.add(state, Ops.mul(Ops.expandDims(kt, -1), Ops.expandDims(vt, 2)));
            Tensor read = group == 1 ? state : Ops.reshape(Ops.broadcastTo(Ops.reshape(state, b, kvHeads, 1, dk, dv),
                    b, kvHeads, group, dk, dv), b, qHeads, dk, dv);
            outs.add(Ops.mul(Ops.squeeze(Ops.matmul(Ops.expandDims(qt, 2), read), 2), scale));
        }
        Tensor y = Ops.reshape(Ops.transpose(Ops.stack(outs, 2), 0, 2, 1, 3), b, t, qHeads * dv);
        if (io.isHalfPrecision()) y = Ops.cast(y, io);
        return List.of(y, Ops.cast(state, pastType != null ? pastType : io));
    }

    private static Tensor float32(Tensor x) {
        return x == null || !x.dtype().isHalfPrecision() ? x : Ops.cast(x, org.nabla.DType.FLOAT32);
    }

    /** (B, T, H * D) to (B, H, T, D). */
    private static Tensor heads(Tensor x, int b, int t, int h) {
        return Ops.transpose(Ops.reshape(x, b, t, h, -1), 0, 2, 1, 3);
    }
}
