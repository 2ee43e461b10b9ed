package org.nabla.onnx;

import static org.nabla.onnx.ExportOperators.inputs;
import static org.nabla.onnx.ExportOperators.rule;
import static org.nabla.onnx.ExportOperators.same;
import static org.nabla.onnx.OnnxGraphWriter.attr;
import static org.nabla.onnx.OnnxGraphWriter.in;

import org.nabla.DType;
import org.nabla.graph.Node;

/** Export rules for elementwise math and logic, casts and matrix products. */
final class MathExports {
    private MathExports() {}

    static void register() {
        // binary arithmetic: ONNX broadcasts like NumPy, as Nabla does
        same("Add", "Add");
        same("Sub", "Sub");
        same("Mul", "Mul");
        same("Div", "Div");
        same("Pow", "Pow");
        same("Maximum", "Max");
        same("Minimum", "Min");
        rule("FloorDiv", (n, w) -> {
            requireFloat(n);
            w.result(n, "Floor", in(w.temp(n, "Div", inputs(n, w))));
        });
        // floor modulo (the result takes the divisor's sign): ONNX's integer Mod with fmod=0; for floats ONNX only
        // has C's fmod, so x - floor(x / y) * y
        rule("Mod", (n, w) -> {
            String x = w.input(n, 0), y = w.input(n, 1);
            if (!n.outputSpec(0).dtype().isFloating()) {
                w.result(n, "Mod", in(x, y), attr("fmod", 0));
            } else {
                String q = w.temp(n, "Floor", in(w.temp(n, "Div", in(x, y))));
                w.result(n, "Sub", in(x, w.temp(n, "Mul", in(q, y))));
            }
        });
        // unary
        same("Neg", "Neg");
        same("Abs", "Abs");
        same("Sign", "Sign");
        same("Exp", "Exp");
        same("Log", "Log");
        same("Sqrt", "Sqrt");
        same("Reciprocal", "Reciprocal");
        same("Sin", "Sin");
        same("Cos", "Cos");
        same("Tanh", "Tanh");
        same("Erf", "Erf");
        same("Floor", "Floor");
        same("Ceil", "Ceil");
        same("Round", "Round"); // both round half to even
        rule("Square", (n, w) -> w.result(n, "Mul", in(w.input(n, 0), w.input(n, 0))));
        rule("Rsqrt", (n, w) -> w.result(n, "Reciprocal", in(w.temp(n, "Sqrt", in(w.input(n, 0))))));
        // Nabla's Clip broadcasts min and max; ONNX's Clip takes scalars, so use Max then Min
        rule("Clip", (n, w) -> w.result(n, "Min", in(w.temp(n, "Max", in(w.input(n, 0), w.input(n, 1))),
                w.input(n, 2))));
        // comparisons and logic
        same("Equal", "Equal");
        same("Greater", "Greater");
        same("GreaterEqual", "GreaterOrEqual");
        same("Less", "Less");
        same("LessEqual", "LessOrEqual");
        rule("NotEqual", (n, w) -> w.result(n, "Not", in(w.temp(n, "Equal", inputs(n, w)))));
        same("LogicalAnd", "And");
        same("LogicalOr", "Or");
        same("LogicalXor", "Xor");
        same("LogicalNot", "Not");
        same("Select", "Where");
        same("IsNan", "IsNaN");
        rule("IsFinite", (n, w) -> {
            String x = w.input(n, 0);
            w.result(n, "Not", in(w.temp(n, "Or", in(w.temp(n, "IsNaN", in(x)), w.temp(n, "IsInf", in(x))))));
        });
        rule("Cast", (n, w) -> w.result(n, "Cast", in(w.input(n, 0)),
                attr("to", OnnxTypes.toOnnx(n.attrs().getDType("dtype")))));
        same("Identity", "Identity");
        same("StopGradient", "Identity");
        rule("MatMul", MathExports::matmul);
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
