package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss composed from Nabla ops: the input is (N, C) or
 * (N, C, d1...), the target (N) or (N, d1...) class indices; optional per-class weights; targets equal to
 * ignore_index contribute nothing; reduction none, sum, or mean (divided by the summed weights of counted targets).
 */
final class LossRules {
    private LossRules() {}

    static void register(OnnxOperators r) {
        r.rule("NegativeLogLikelihoodLoss", n -> List.of(nll(n, n.required(0))));
        r.rule("SoftmaxCrossEntropyLoss", n -> {
            Tensor logProb = Ops.logSoftmax(n.required(0), 1);
            List<Tensor> out = new ArrayList<>(List.of(nll(n, logProb)));
            if (n.outputCount() > 1) out.add(logProb);
            return out;
        });
    }

    private static Tensor nll(OnnxNode n, Tensor logProb) {
        Tensor target = Ops.cast(n.required(1), DType.INT64);
        Tensor weight = n.in(2);
        String reduction = n.attrString("reduction", "mean");
        int classes = logProb.shape().dim(1);
        if (classes < 0) throw n.unsupported("the class dimension of the input is unknown when importing");
        // One-hot over the class axis: a target outside [0, C) (such as ignore_index) selects nothing.
        Tensor mask = Ops.oneHot(target, classes, 1, 0, 1, logProb.dtype());
        Tensor picked = Ops.sum(Ops.mul(logProb, mask), false, 1);
        Tensor w = weight == null ? Ops.onesLike(picked)
                : Ops.sum(Ops.mul(mask, perClass(weight, logProb)), false, 1);
        if (n.hasAttr("ignore_index")) {
            Tensor keep = Ops.notEqual(target, n.attrInt("ignore_index", 0));
            w = Ops.where(keep, w, Ops.zerosLike(w));
        }
        Tensor loss = Ops.neg(Ops.mul(picked, w));
        return switch (reduction) {
            case "none" -> loss;
            case "sum" -> Ops.sum(loss, allAxes(loss));
            case "mean" -> Ops.div(Ops.sum(loss, allAxes(loss)), Ops.sum(w, allAxes(w)));
            default -> throw n.error("reduction '" + reduction + "' is not none, sum or mean");
        };
    }

    /** The class weights (C) shaped to broadcast over (N, C, d1...). */
    private static Tensor perClass(Tensor weight, Tensor like) {
        int[] shape = new int[like.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[1] = -1;
        return Ops.reshape(weight, shape);
    }

    private static int[] allAxes(Tensor t) {
        int[] a = new int[t.rank()];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }
}
