package org.nabla.onnx;

import static org.nabla.onnx.OnnxGraphWriter.attr;
import static org.nabla.onnx.OnnxGraphWriter.in;

import java.util.List;
import org.nabla.DType;
import org.nabla.graph.Node;
import org.nabla.onnx.proto.AttributeProto;

/**
 * Export rules for reductions. In opset 17 ReduceSum takes its axes as an input and the other reductions as an
 * attribute; Nabla's empty axes list (every axis) is ONNX's missing axes.
 */
final class ReductionExports {
    private ReductionExports() {}

    static void register(ExportOperators r) {
        r.rule("Sum", (n, w) -> {
            int[] axes = n.attrs().getInts("axes");
            List<String> inputs = axes.length == 0 ? in(w.input(n, 0)) : in(w.input(n, 0), w.int64s(n, "axes", axes));
            w.result(n, "ReduceSum", inputs, keepDims(n));
        });
        attributeAxes(r, "Mean", "ReduceMean");
        attributeAxes(r, "Max", "ReduceMax");
        attributeAxes(r, "Min", "ReduceMin");
        attributeAxes(r, "Prod", "ReduceProd");
        attributeAxes(r, "LogSumExp", "ReduceLogSumExp");
        // ONNX has no boolean reductions: count the true (Any) or false (All) elements, which is exact for empty axes
        r.rule("Any", (n, w) -> w.result(n, "Greater", in(count(n, w, w.input(n, 0)), w.scalar(n, "zero", DType.INT64,
                0))));
        r.rule("All", (n, w) -> w.result(n, "Equal", in(count(n, w, w.temp(n, "Not", in(w.input(n, 0)))),
                w.scalar(n, "zero", DType.INT64, 0))));
        r.rule("ArgMax", (n, w) -> argReduction(n, w, "ArgMax"));
        r.rule("ArgMin", (n, w) -> argReduction(n, w, "ArgMin"));
        r.rule("Cumsum", (n, w) -> w.result(n, "CumSum", in(w.input(n, 0), w.scalar(n, "axis", DType.INT64,
                n.attrs().getInt("axis"))), attr("exclusive", n.attrs().getBool("exclusive") ? 1 : 0),
                attr("reverse", n.attrs().getBool("reverse") ? 1 : 0)));
    }

    private static void attributeAxes(ExportOperators r, String op, String onnxOp) {
        r.rule(op, (n, w) -> {
            int[] axes = n.attrs().getInts("axes");
            if (axes.length == 0) w.result(n, onnxOp, in(w.input(n, 0)), keepDims(n));
            else w.result(n, onnxOp, in(w.input(n, 0)), attr("axes", axes), keepDims(n));
        });
    }

    private static AttributeProto keepDims(Node n) { return attr("keepdims", n.attrs().getBool("keepDims") ? 1 : 0); }

    /** The number of true elements of bool {@code x} over the node's axes, as int64. */
    private static String count(Node n, OnnxGraphWriter w, String x) {
        String ints = w.temp(n, "Cast", in(x), attr("to", OnnxTypes.toOnnx(DType.INT64)));
        int[] axes = n.attrs().getInts("axes");
        List<String> inputs = axes.length == 0 ? in(ints) : in(ints, w.int64s(n, "axes", axes));
        return w.temp(n, "ReduceSum", inputs, keepDims(n));
    }

    /** ONNX's ArgMax/ArgMin return int64 and take the first index of ties, as Nabla's do. */
    private static void argReduction(Node n, OnnxGraphWriter w, String onnxOp) {
        AttributeProto[] attrs = {attr("axis", n.attrs().getInt("axis")), attr("keepdims", 0)};
        if (n.attrs().getDType("outputType") == DType.INT64) {
            w.result(n, onnxOp, in(w.input(n, 0)), attrs);
        } else {
            w.result(n, "Cast", in(w.temp(n, onnxOp, in(w.input(n, 0)), attrs)),
                    attr("to", OnnxTypes.toOnnx(DType.INT32)));
        }
    }
}
