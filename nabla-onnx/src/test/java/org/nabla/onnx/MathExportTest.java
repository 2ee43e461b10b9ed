package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nabla.onnx.ExportCheck.bools;
import static org.nabla.onnx.ExportCheck.check;
import static org.nabla.onnx.ExportCheck.floats;
import static org.nabla.onnx.ExportCheck.ints;
import static org.nabla.onnx.ExportCheck.one;
import static org.nabla.onnx.ExportCheck.random;

import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.onnx.proto.ModelProto;

/** Elementwise math, logic, casts and matrix products exported and run in ONNX Runtime. */
class MathExportTest {
    private static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;

    @Test
    void binaryArithmeticBroadcasts() {
        Tensor x = random(1, 2, 3), y = random(DType.FLOAT32, 2, 0.5, 2, 3);
        List<BinaryOperator<Tensor>> ops = List.of(Ops::add, Ops::sub, Ops::mul, Ops::div, Ops::maximum,
                Ops::minimum, Ops::floorDiv);
        for (int i = 0; i < ops.size(); i++) {
            BinaryOperator<Tensor> op = ops.get(i);
            check("binary " + i, in -> one(op.apply(in[0], in[1])), x, y);
        }
        Tensor base = random(DType.FLOAT32, 3, 0.1, 3, 2, 3);
        check("pow", in -> one(Ops.pow(in[0], in[1])), base, y);
        check("float64 add", in -> one(Ops.mul(Ops.add(in[0], in[1]), in[1])), random(DType.FLOAT64, 4, -1, 1, 4),
                random(DType.FLOAT64, 5, -1, 1, 1));
    }

    @Test
    void integerArithmeticTruncatesLikeNabla() {
        Tensor a = ints(new int[] {6}, 7, -7, 7, -7, 0, 100), b = ints(new int[] {6}, 2, 2, -2, -2, 3, 7);
        check("int32", in -> new Tensor[] {Ops.add(in[0], in[1]), Ops.sub(in[0], in[1]), Ops.mul(in[0], in[1]),
                Ops.div(in[0], in[1]), Ops.maximum(in[0], in[1]), Ops.mod(in[0], in[1])}, a, b);
        check("float mod", in -> one(Ops.mod(in[0], in[1])), floats(new int[] {4}, 7.5f, -7.5f, 7.5f, -7.5f),
                floats(new int[] {4}, 2, 2, -2, -2));
        check("int64", in -> one(Ops.add(in[0], in[0])), a.cast(DType.INT64));
    }

    @Test
    void unaryFunctions() {
        Tensor x = random(6, 3, 4);
        Tensor positive = random(DType.FLOAT32, 7, 0.05, 4, 3, 4);
        List<UnaryOperator<Tensor>> anySign = List.of(Ops::neg, Ops::abs, Ops::sign, Ops::exp, Ops::sin, Ops::cos,
                Ops::tanh, Ops::erf, Ops::floor, Ops::ceil, Ops::square);
        for (int i = 0; i < anySign.size(); i++) {
            UnaryOperator<Tensor> op = anySign.get(i);
            check("unary " + i, in -> one(op.apply(in[0])), x);
        }
        List<UnaryOperator<Tensor>> positiveOnly = List.of(Ops::log, Ops::sqrt, Ops::rsqrt, Ops::reciprocal);
        for (int i = 0; i < positiveOnly.size(); i++) {
            UnaryOperator<Tensor> op = positiveOnly.get(i);
            check("positive unary " + i, in -> one(op.apply(in[0])), positive);
        }
        // ties round to even in both
        check("round", in -> one(Ops.round(in[0])), floats(new int[] {6}, 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f));
        check("float64 exp", in -> one(Ops.exp(in[0])), random(org.nabla.DType.FLOAT64, 8, -3, 3, 5));
        check("scalar", in -> one(Ops.tanh(in[0])), floats(new int[] {}, 0.3f));
    }

    @Test
    void clipBroadcastsItsBounds() {
        check("clip", in -> one(Ops.clip(in[0], in[1], in[2])), random(9, 2, 3), floats(new int[] {3}, -1, 0, -0.5f),
                floats(new int[] {}, 0.75f));
    }

    @Test
    void comparisonsLogicAndSelect() {
        Tensor x = floats(new int[] {5}, 1, 2, NAN, -1, 3), y = floats(new int[] {5}, 1, 3, NAN, -2, 3);
        check("comparisons", in -> new Tensor[] {Ops.equal(in[0], in[1]), Ops.notEqual(in[0], in[1]),
                Ops.greater(in[0], in[1]), Ops.greaterEqual(in[0], in[1]), Ops.less(in[0], in[1]),
                Ops.lessEqual(in[0], in[1])}, x, y);
        Tensor p = bools(new int[] {4}, true, true, false, false), q = bools(new int[] {4}, true, false, true, false);
        check("logic", in -> new Tensor[] {Ops.logicalAnd(in[0], in[1]), Ops.logicalOr(in[0], in[1]),
                Ops.logicalXor(in[0], in[1]), Ops.logicalNot(in[0])}, p, q);
        check("select", in -> one(Ops.where(in[0], in[1], in[2])), bools(new int[] {2, 1}, true, false),
                random(10, 2, 3), random(11, 3));
        check("predicates", in -> new Tensor[] {Ops.isNan(in[0]), Ops.isFinite(in[0])},
                floats(new int[] {4}, 1, NAN, INF, -INF));
    }

    @Test
    void casts() {
        Tensor x = floats(new int[] {5}, 1.7f, -1.7f, 0, 3, -0.2f);
        check("casts", in -> new Tensor[] {Ops.cast(in[0], DType.INT32), Ops.cast(in[0], DType.INT64),
                Ops.cast(in[0], DType.FLOAT64), Ops.cast(in[0], DType.BOOL),
                Ops.cast(Ops.cast(in[0], DType.INT32), DType.FLOAT32)}, x);
        check("identity", in -> new Tensor[] {Ops.identity(in[0]), Ops.stopGradient(in[0])}, x);
    }

    @Test
    void matmulWithEveryTransposeFlag() {
        Tensor a = random(12, 3, 4), at = random(13, 4, 3), b = random(14, 4, 5), bt = random(15, 5, 4);
        check("matmul", in -> one(Ops.matmul(in[0], in[1])), a, b);
        ModelProto m = check("matmul tA", in -> one(Ops.matmul(in[0], in[1], true, false)), at, b);
        assertEquals("Gemm", m.getGraph().getNode(0).getOpType());
        check("matmul tB", in -> one(Ops.matmul(in[0], in[1], false, true)), a, bt);
        check("matmul tA tB", in -> one(Ops.matmul(in[0], in[1], true, true)), at, bt);
        // batched: Transpose of the last two axes, then MatMul
        check("batched matmul", in -> one(Ops.matmul(in[0], in[1], true, true)), random(16, 2, 4, 3),
                random(17, 2, 5, 4));
        check("int matmul", in -> one(Ops.matmul(in[0], in[1])), ints(new int[] {2, 2}, 1, 2, 3, 4),
                ints(new int[] {2, 1}, 5, -6));
    }
}
