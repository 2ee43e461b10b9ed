package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * ONNX's RNN, GRU and LSTM, unrolled over the sequence (whose length must be known at import time) with Nabla's
 * matmul and elementwise ops. They are built here rather than from nabla-nn's fused LSTM/GRU cells because ONNX's
 * operators carry what those layers do not: per-direction activation functions with alpha/beta, clipping, peepholes,
 * GRU's linear_before_reset, both layouts and bidirectional runs; unrolled, each step is plain ops that the graph
 * optimizer and the gradients already handle. Gate order is ONNX's: GRU z r h, LSTM i o f c. {@code sequence_lens} may be a
 * run-time value: each step then keeps the states of examples past their length and writes zeros for them.
 */
final class Recurrent {
    private enum Kind { RNN, GRU, LSTM }

    private Recurrent() {}

    static void register(OnnxOperators r) {
        r.rule("RNN", n -> apply(n, Kind.RNN));
        r.rule("GRU", n -> apply(n, Kind.GRU));
        r.rule("LSTM", n -> apply(n, Kind.LSTM));
    }

    private static List<Tensor> apply(OnnxNode n, Kind kind) {
        int gates = switch (kind) { case RNN -> 1; case GRU -> 3; case LSTM -> 4; };
        int layout = (int) n.attrInt("layout", 0);
        Tensor x = n.required(0), w = n.required(1), rec = n.required(2);
        if (layout == 1) x = Ops.transpose(x, 1, 0, 2);
        int steps = NnRules.knownDim(n, x, 0), batch = NnRules.knownDim(n, x, 1);
        int hidden = NnRules.knownDim(n, rec, 2);
        if (n.hasAttr("hidden_size") && n.attrInt("hidden_size", 0) != hidden) {
            throw n.error("hidden_size " + n.attrInt("hidden_size", 0) + " but R has shape " + rec.shape());
        }
        String direction = n.attrString("direction", "forward");
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        if (!direction.equals("forward") && !direction.equals("reverse") && dirs == 1) {
            throw n.error("unknown direction '" + direction + "'");
        }
        // sequence_lens: example b runs its first lens[b] timesteps (from lens[b] - 1 down in reverse), its states
        // stay put after them and its outputs there are zero; lengths known to be full need no masking
        Tensor seqLens = n.known(4);
        boolean full = seqLens != null && java.util.Arrays.stream(seqLens.toLongArray()).allMatch(l -> l == steps);
        Tensor lens = n.in(4) == null || full ? null : Ops.expandDims(Ops.cast(n.in(4), DType.INT64), 1);
        if (kind == Kind.LSTM && n.attrInt("input_forget", 0) != 0) throw n.unsupported("input_forget 1");
        List<UnaryOperator<Tensor>> acts = activations(n, kind, dirs);
        int perDir = acts.size() / dirs;
        double clip = n.attrFloat("clip", 0);
        boolean linearBeforeReset = n.attrInt("linear_before_reset", 0) != 0;
        Tensor bias = n.in(3), h0 = n.in(5), c0 = kind == Kind.LSTM ? n.in(6) : null;
        Tensor peep = kind == Kind.LSTM ? n.in(7) : null;
        if (layout == 1) {
            if (h0 != null) h0 = Ops.transpose(h0, 1, 0, 2);
            if (c0 != null) c0 = Ops.transpose(c0, 1, 0, 2);
        }
        List<Tensor> ys = new ArrayList<>(), hs = new ArrayList<>(), cs = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            Tensor at = Tensors.scalar((long) d);
            Tensor wt = Ops.transpose(Ops.gather(w, at, 0), 1, 0); // (input, gates * hidden)
            Tensor rt = Ops.transpose(Ops.gather(rec, at, 0), 1, 0);
            Tensor wb = null, rb = null;
            if (bias != null) {
                Tensor[] b = Ops.split(Ops.gather(bias, at, 0), 2, 0);
                wb = b[0];
                rb = b[1];
            }
            Tensor h = h0 == null ? Ops.zeros(x.dtype(), batch, hidden) : Ops.gather(h0, at, 0);
            Tensor c = c0 == null ? Ops.zeros(x.dtype(), batch, hidden) : Ops.gather(c0, at, 0);
            Tensor[] p = peep == null ? null : Ops.split(Ops.gather(peep, at, 0), 3, 0);
            List<UnaryOperator<Tensor>> fn = acts.subList(d * perDir, (d + 1) * perDir);
            boolean reverse = direction.equals("reverse") || d == 1;
            Tensor[] outs = new Tensor[steps];
            for (int s = 0; s < steps; s++) {
                int t = reverse ? steps - 1 - s : s;
                Tensor hBefore = h, cBefore = c;
                Tensor xw = Ops.matmul(Ops.gather(x, Tensors.scalar((long) t), 0), wt);
                if (wb != null) xw = Ops.add(xw, wb);
                Tensor hr = Ops.matmul(h, rt);
                switch (kind) {
                    case RNN -> h = fn.get(0).apply(clip(Ops.add(xw, rb == null ? hr : Ops.add(hr, rb)), clip));
                    case GRU -> {
                        Tensor[] xg = Ops.split(xw, 3, 1);
                        Tensor[] rbg = rb == null ? null : Ops.split(rb, 3, 0);
                        Tensor[] rts = Ops.split(rt, 3, 1);
                        Tensor z = fn.get(0).apply(clip(Ops.add(xg[0], plus(Ops.matmul(h, rts[0]), rbg, 0)), clip));
                        Tensor r = fn.get(0).apply(clip(Ops.add(xg[1], plus(Ops.matmul(h, rts[1]), rbg, 1)), clip));
                        Tensor pre = linearBeforeReset
                                ? Ops.add(xg[2], Ops.mul(r, plus(Ops.matmul(h, rts[2]), rbg, 2)))
                                : Ops.add(xg[2], plus(Ops.matmul(Ops.mul(r, h), rts[2]), rbg, 2));
                        Tensor candidate = fn.get(1).apply(clip(pre, clip));
                        h = Ops.add(Ops.mul(Ops.sub(Ops.onesLike(z), z), candidate), Ops.mul(z, h));
                    }
                    case LSTM -> {
                        Tensor[] g = Ops.split(Ops.add(xw, rb == null ? hr : Ops.add(hr, rb)), 4, 1);
                        Tensor i = fn.get(0).apply(clip(p == null ? g[0] : Ops.add(g[0], Ops.mul(p[0], c)), clip));
                        Tensor f = fn.get(0).apply(clip(p == null ? g[2] : Ops.add(g[2], Ops.mul(p[2], c)), clip));
                        Tensor candidate = fn.get(1).apply(clip(g[3], clip));
                        c = Ops.add(Ops.mul(f, c), Ops.mul(i, candidate));
                        Tensor o = fn.get(0).apply(clip(p == null ? g[1] : Ops.add(g[1], Ops.mul(p[1], c)), clip));
                        h = Ops.mul(o, fn.get(2).apply(c));
                    }
                }
                if (lens != null) {
                    Tensor valid = Ops.less(Tensors.scalar((long) t), lens);   // [batch, 1]
                    h = Ops.where(valid, h, hBefore);
                    if (c != null) c = Ops.where(valid, c, cBefore);
                    outs[t] = Ops.where(valid, h, Ops.zerosLike(h));
                } else {
                    outs[t] = h;
                }
            }
            ys.add(Ops.stack(List.of(outs), 0)); // (steps, batch, hidden)
            hs.add(h);
            cs.add(c);
        }
        Tensor y = Ops.stack(ys, 1); // (steps, dirs, batch, hidden)
        Tensor yh = Ops.stack(hs, 0), yc = Ops.stack(cs, 0);
        if (layout == 1) {
            y = Ops.transpose(y, 2, 0, 1, 3);
            yh = Ops.transpose(yh, 1, 0, 2);
            yc = Ops.transpose(yc, 1, 0, 2);
        }
        return kind == Kind.LSTM ? List.of(y, yh, yc) : List.of(y, yh);
    }

    private static Tensor plus(Tensor a, Tensor[] biases, int k) { return biases == null ? a : Ops.add(a, biases[k]); }

    private static Tensor clip(Tensor x, double clip) { return clip > 0 ? Ops.clip(x, -clip, clip) : x; }

    /** The activation functions, per direction (f; f g for GRU; f g h for LSTM), with ONNX's defaults. */
    private static List<UnaryOperator<Tensor>> activations(OnnxNode n, Kind kind, int dirs) {
        List<String> defaults = switch (kind) {
            case RNN -> List.of("Tanh");
            case GRU -> List.of("Sigmoid", "Tanh");
            case LSTM -> List.of("Sigmoid", "Tanh", "Tanh");
        };
        List<String> names = n.attrStrings("activations", null);
        if (names == null) {
            names = new ArrayList<>();
            for (int d = 0; d < dirs; d++) names.addAll(defaults);
        }
        if (names.size() != defaults.size() * dirs) throw n.error("activations " + names + ": expected "
                + defaults.size() * dirs);
        float[] alpha = n.attrFloats("activation_alpha", new float[0]);
        float[] beta = n.attrFloats("activation_beta", new float[0]);
        List<UnaryOperator<Tensor>> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Double a = i < alpha.length ? (double) alpha[i] : null, b = i < beta.length ? (double) beta[i] : null;
            out.add(activation(n, names.get(i), a, b));
        }
        return out;
    }

    private static UnaryOperator<Tensor> activation(OnnxNode n, String name, Double alpha, Double beta) {
        double a = alpha == null ? Double.NaN : alpha, b = beta == null ? Double.NaN : beta;
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "tanh" -> Ops::tanh;
            case "sigmoid" -> Ops::sigmoid;
            case "relu" -> Ops::relu;
            case "softsign" -> x -> Ops.div(x, Ops.add(Ops.abs(x), 1));
            case "softplus" -> Ops::softplus;
            case "leakyrelu" -> x -> Ops.leakyRelu(x, alpha == null ? 0.01 : a);
            case "thresholdedrelu" -> x -> Ops.where(Ops.greater(x, alpha == null ? 1.0 : a), x, Ops.zerosLike(x));
            case "elu" -> x -> Ops.elu(x, alpha == null ? 1.0 : a);
            case "affine" -> x -> Ops.add(Ops.mul(x, alpha == null ? 1.0 : a), beta == null ? 0.0 : b);
            case "scaledtanh" -> x -> Ops.mul(Ops.tanh(Ops.mul(x, beta == null ? 1.0 : b)), alpha == null ? 1.0 : a);
            case "hardsigmoid" -> x -> Ops.clip(Ops.add(Ops.mul(x, alpha == null ? 0.2 : a), beta == null ? 0.5 : b),
                    0, 1);
            default -> throw n.unsupported("activation '" + name + "'");
        };
    }
}
