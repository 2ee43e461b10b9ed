package org.nabla.onnx;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Reductions (axes from an attribute in older opsets, from an input in newer ones), arg-max/min, cumulative sums. */
final class ReductionRules {
    private ReductionRules() {}

    @FunctionalInterface
    private interface Reduce {
        Tensor apply(Tensor x, boolean keepDims, int[] axes);
    }

    static void register(OnnxOperators r) {
        reduction(r, "ReduceSum", Ops::sum, 13);
        reduction(r, "ReduceMean", Ops::mean, 18);
        // Nabla follows TensorFlow: max/min take numbers; on booleans they are any/all.
        reduction(r, "ReduceMax", (x, k, a) -> x.dtype() == DType.BOOL ? Ops.any(x, k, a) : Ops.max(x, k, a), 18);
        reduction(r, "ReduceMin", (x, k, a) -> x.dtype() == DType.BOOL ? Ops.all(x, k, a) : Ops.min(x, k, a), 18);
        reduction(r, "ReduceProd", Ops::prod, 18);
        reduction(r, "ReduceLogSumExp", Ops::logSumExp, 18);
        reduction(r, "ReduceL1", (x, k, a) -> Ops.sum(Ops.abs(x), k, a), 18);
        reduction(r, "ReduceL2", (x, k, a) -> Ops.sqrt(Ops.sum(Ops.square(x), k, a)), 18);
        reduction(r, "ReduceSumSquare", (x, k, a) -> Ops.sum(Ops.square(x), k, a), 18);
        reduction(r, "ReduceLogSum", (x, k, a) -> Ops.log(Ops.sum(x, k, a)), 18);
        r.one("ArgMax", n -> arg(n, true));
        r.one("ArgMin", n -> arg(n, false));
        r.one("CumSum", n -> Ops.cumsum(n.required(0), (int) n.constant(1).longValue(), n.attrInt("exclusive", 0) == 1,
                n.attrInt("reverse", 0) == 1));
    }

    /** An ONNX reduction: keepdims defaults to 1; no axes means all, or nothing with noop_with_empty_axes. */
    private static void reduction(OnnxOperators r, String name, Reduce f, int axesInputSince) {
        r.one(name, n -> {
            Tensor x = n.required(0);
            boolean keep = n.attrInt("keepdims", 1) == 1;
            int[] axes = n.opset() >= axesInputSince
                    ? (n.in(1) == null ? new int[0] : n.constant(1).toIntArray())
                    : n.attrInts("axes", new int[0]);
            if (axes.length == 0 && n.attrInt("noop_with_empty_axes", 0) == 1) return Ops.identity(x);
            if (axes.length == 0) {
                axes = new int[x.rank()];
                for (int i = 0; i < axes.length; i++) axes[i] = i;
            }
            return f.apply(x, keep, axes);
        });
    }

    private static Tensor arg(OnnxNode n, boolean max) {
        Tensor x = n.required(0);
        int axis = (int) n.attrInt("axis", 0);
        if (axis < 0) axis += x.rank();
        boolean last = n.attrInt("select_last_index", 0) == 1;
        if (last) x = ArrayRules.reverse(x, axis); // the first hit in reverse order is the last one
        Tensor r = max ? Ops.argmax(x, axis) : Ops.argmin(x, axis);
        if (last) {
            int dim = x.shape().dim(axis);
            if (dim < 0) throw n.unsupported("select_last_index on an axis of unknown size");
            r = Ops.sub(Tensors.scalar((long) dim - 1), r);
        }
        if (n.attrInt("keepdims", 1) == 1) r = Ops.expandDims(r, axis);
        return r;
    }
}
