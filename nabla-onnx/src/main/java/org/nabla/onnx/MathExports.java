package org.nabla.onnx;

import static org.nabla.onnx.ExportOperators.inputs;
import static org.nabla.onnx.OnnxGraphWriter.attr;
import static org.nabla.onnx.OnnxGraphWriter.in;

import org.nabla.DType;
import org.nabla.graph.Node;

/** Export rules for elementwise math and logic, casts and matrix products. */
final class MathExports {
    private MathExports() {}

    static void register(ExportOperators r) {
        // binary arithmetic: ONNX broadcasts like NumPy, as Nabla does
        r.same("Add", "Add");
        r.same("Sub", "Sub");
        r.same("Mul", "Mul");
        r.same("Div", "Div");
        r.same("Pow", "Pow");
        r.same("Maximum", "Max");
        r.same("Minimum", "Min");
        r.rule("FloorDiv", (n, w) -> {
            requireFloat(n);
            w.result(n, "Floor", in(w.temp(n, "Div", inputs(n, w))));
        });
        // floor modulo (the result takes the divisor's sign): ONNX's integer Mod with fmod=0; for floats ONNX only
        // has C's fmod, so x - floor(x / y) * y
        r.rule("Mod", (n, w) -> {
            String x = w.input(n, 0), y = w.input(n, 1);
            if (!n.outputSpec(0).dtype().isFloating()) {
                w.result(n, "Mod", in(x, y), attr("fmod", 0));
            } else {
                String q = w.temp(n, "Floor", in(w.temp(n, "Div", in(x, y))));
                w.result(n, "Sub", in(x, w.temp(n, "Mul", in(q, y))));
            }
        });
        // unary
        r.same("Neg", "Neg");
        r.same("Abs", "Abs");
        r.same("Sign", "Sign");
        r.same("Exp", "Exp");
        r.same("Log", "Log");
        r.same("Sqrt", "Sqrt");
        r.same("Reciprocal", "Reciprocal");
        r.same("Sin", "Sin");
        r.same("Cos", "Cos");
        r.same("Tanh", "Tanh");
        r.same("Erf", "Erf");
        r.same("Floor", "Floor");
        r.same("Ceil", "Ceil");
        r.same("Round", "Round"); // both round half to even
        r.rule("Square", (n, w) -> w.result(n, "Mul", in(w.input(n, 0), w.input(n, 0))));
        r.rule("Rsqrt", (n, w) -> w.result(n, "Reciprocal", in(w.temp(n, "Sqrt", in(w.input(n, 0))))));
        // Nabla's Clip broadcasts min and max; ONNX's Clip takes scalars, so use Max then Min
        r.rule("Clip", (n, w) -> w.result(n, "Min", in(w.temp(n, "Max", in(w.input(n, 0), w.input(n, 1))),
                w.input(n, 2))));
        // comparisons and logic
        r.same("Equal", "Equal");
        r.same("Greater", "Greater");
        r.same("GreaterEqual", "GreaterOrEqual");
        r.same("Less", "Less");
        r.same("LessEqual", "LessOrEqual");
        r.rule("NotEqual", (n, w) -> w.result(n, "Not", in(w.temp(n, "Equal", inputs(n, w)))));
        r.same("LogicalAnd", "And");
        r.same("LogicalOr", "Or");
        r.same("LogicalXor", "Xor");
        r.same("LogicalNot", "Not");
        r.same("Select", "Where");
        r.same("IsNan", "IsNaN");
        r.rule("IsFinite", (n, w) -> {
            String x = w.input(n, 0);
            w.result(n, "Not", in(w.temp(n, "Or", in(w.temp(n, "IsNaN", in(x)), w.temp(n, "IsInf", in(x))))));
        });
        r.rule("Cast", (n, w) -> w.result(n, "Cast", in(w.input(n, 0)),
                attr("to", OnnxTypes.toOnnx(n.attrs().getDType("dtype")))));
        r.same("Identity", "Identity");
        r.same("StopGradient", "Identity");
        r.rule("MatMul", MathExports::matmul);
    }

    /**
     * MatMul with transpose flags: a plain MatMul, Gemm for rank-2 floats (which has the flags), else a Transpose of
     * the last two axes before MatMul.
     */
    private static void matmul(Node n, OnnxGraphWriter w) {
        boolean ta = n.attrs().getBool("transposeA"), tb = n.attrs().getBool("transposeB");
        String a = w.input(n, 0), b = w.input(n, 1);
        int ra = n.inputs().get(0).spec().shape().rank(), rb = n.inputs().get(1).spec().shape().rank();
        if (!ta && !tb) {
            w.result(n, "MatMul", in(a, b));
        } else if (ra == 2 && rb == 2 && n.outputSpec(0).dtype().isFloating()) {
            w.result(n, "Gemm", in(a, b), attr("transA", ta ? 1 : 0), attr("transB", tb ? 1 : 0));
        } else {
            if (ta) a = w.temp(n, "Transpose", in(a), attr("perm", lastTwoSwapped(ra)));
            if (tb) b = w.temp(n, "Transpose", in(b), attr("perm", lastTwoSwapped(rb)));
            w.result(n, "MatMul", in(a, b));
        }
    }

    static int[] lastTwoSwapped(int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) p[i] = i;
        p[rank - 2] = rank - 1;
        p[rank - 1] = rank - 2;
        return p;
    }

    private static void requireFloat(Node n) {
        DType d = n.outputSpec(0).dtype();
        if (!d.isFloating()) {
            throw new UnsupportedOnnxException("ONNX export: node '" + n.name() + "' (" + n.op().name() + ") on " + d
                    + " has no ONNX equivalent (only float dtypes export)");
        }
    }
}
