package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * The optimizer steps of ONNX's ai.onnx.preview.training domain (Adagrad, Adam, Momentum), and ai.onnx.ml's
 * Binarizer: elementwise formulas written with Nabla ops, as ONNX's operator documentation gives them. Each optimizer
 * takes the learning rate R and the update count T, then n tensors to optimize followed by their gradients and
 * state tensors, and gives the updated tensors followed by the updated states.
 */
final class TrainingRules {
    private static final String DOMAIN = "ai.onnx.preview.training:";

    private TrainingRules() {}

    static void register(OnnxOperators r) {
        r.rule(DOMAIN + "Adagrad", TrainingRules::adagrad);
        r.rule(DOMAIN + "Adam", TrainingRules::adam);
        r.rule(DOMAIN + "Momentum", TrainingRules::momentum);
        r.one("ai.onnx.ml:Binarizer", n -> {
            Tensor x = n.required(0);
            return Ops.cast(Ops.greater(x, n.attrFloat("threshold", 0)), x.dtype());
        });
    }

    /** How many tensors an optimizer node updates: its inputs after R and T come in {@code groups} lists of n. */
    private static int count(OnnxNode n, int groups) {
        int rest = n.inputCount() - 2;
        if (rest <= 0 || rest % groups != 0) {
            throw n.error("takes R, T and " + groups + " lists of equal length, got " + n.inputCount() + " inputs");
        }
        return rest / groups;
    }

    /** G + norm_coefficient * X: the gradient with L2 regularization. */
    private static Tensor regularized(OnnxNode n, Tensor x, Tensor g) {
        return Ops.add(g, Ops.mul(x, n.attrFloat("norm_coefficient", 0)));
    }

    /** r = R / (1 + T decay); H' = H + G^2; X' = X - r G / (sqrt(H') + epsilon). */
    private static List<Tensor> adagrad(OnnxNode n) {
        int k = count(n, 3);
        List<Tensor> xs = new ArrayList<>(), hs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Tensor x = n.required(2 + i), g = regularized(n, x, n.required(2 + k + i)), h = n.required(2 + 2 * k + i);
            Tensor t = Ops.cast(n.required(1), x.dtype());
            Tensor rate = Ops.div(Ops.cast(n.required(0), x.dtype()),
                    Ops.add(Ops.mul(t, n.attrFloat("decay_factor", 0)), 1.0));
            Tensor h2 = Ops.add(h, Ops.mul(g, g));
            Tensor step = Ops.div(Ops.mul(rate, g), Ops.add(Ops.sqrt(h2), n.attrFloat("epsilon", 0)));
            xs.add(Ops.sub(x, step));
            hs.add(h2);
        }
        xs.addAll(hs);
        return xs;
    }

    /**
     * V' = alpha V + (1 - alpha) G; H' = beta H + (1 - beta) G^2; the rate corrected for the bias of both moments when
     * T is positive (R sqrt(1 - beta^T) / (1 - alpha^T)); X' = (X - rate V' / (sqrt(H') + epsilon)) (1 - post).
     */
    private static List<Tensor> adam(OnnxNode n) {
        int k = count(n, 4);
        double alpha = n.attrFloat("alpha", 0.9), beta = n.attrFloat("beta", 0.999);
        List<Tensor> xs = new ArrayList<>(), vs = new ArrayList<>(), hs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Tensor x = n.required(2 + i), g = regularized(n, x, n.required(2 + k + i));
            Tensor v = n.required(2 + 2 * k + i), h = n.required(2 + 3 * k + i);
            Tensor v2 = Ops.add(Ops.mul(v, alpha), Ops.mul(g, 1 - alpha));
            Tensor h2 = Ops.add(Ops.mul(h, beta), Ops.mul(Ops.mul(g, g), 1 - beta));
            Tensor r = Ops.cast(n.required(0), x.dtype()), t = Ops.cast(n.required(1), x.dtype());
            Tensor corrected = Ops.div(Ops.mul(r, Ops.sqrt(Ops.sub(1.0, Ops.pow(Ops.cast(Tensors.scalar(beta), x.dtype()), t)))),
                    Ops.sub(1.0, Ops.pow(Ops.cast(Tensors.scalar(alpha), x.dtype()), t)));
            Tensor rate = Ops.where(Ops.greater(n.required(1), 0L), corrected, r);
            Tensor moved = Ops.sub(x, Ops.div(Ops.mul(rate, v2), Ops.add(Ops.sqrt(h2), n.attrFloat("epsilon", 0))));
            xs.add(Ops.mul(moved, 1 - n.attrFloat("norm_coefficient_post", 0)));
            vs.add(v2);
            hs.add(h2);
        }
        xs.addAll(vs);
        xs.addAll(hs);
        return xs;
    }

    /**
     * V' = alpha V + beta' G, with beta' = beta once T is positive and 1 on the first step; X' = X - R V' (standard)
     * or X - R (G + alpha V') (nesterov).
     */
    private static List<Tensor> momentum(OnnxNode n) {
        int k = count(n, 3);
        double alpha = n.attrFloat("alpha", 0), beta = n.attrFloat("beta", 0);
        String mode = n.attrString("mode", "standard");
        if (!mode.equals("standard") && !mode.equals("nesterov")) throw n.error("unknown mode '" + mode + "'");
        List<Tensor> xs = new ArrayList<>(), vs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Tensor x = n.required(2 + i), g = regularized(n, x, n.required(2 + k + i)), v = n.required(2 + 2 * k + i);
            Tensor betaNow = Ops.where(Ops.greater(n.required(1), 0L), Ops.cast(Tensors.scalar(beta), x.dtype()),
                    Ops.cast(Tensors.scalar(1.0), x.dtype()));
            Tensor v2 = Ops.add(Ops.mul(v, alpha), Ops.mul(g, betaNow));
            Tensor r = Ops.cast(n.required(0), x.dtype());
            Tensor direction = mode.equals("standard") ? v2 : Ops.add(g, Ops.mul(v2, alpha));
            xs.add(Ops.sub(x, Ops.mul(r, direction)));
            vs.add(v2);
        }
        xs.addAll(vs);
        return xs;
    }
}
