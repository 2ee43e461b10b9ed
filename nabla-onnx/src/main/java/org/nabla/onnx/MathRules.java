package org.nabla.onnx;

import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Elementwise arithmetic, logic, activations and matrix products. */
final class MathRules {
    private MathRules() {}

    static void register(OnnxOperators r) {
        r.binary("Add", Ops::add);
        r.binary("Sub", Ops::sub);
        r.binary("Mul", Ops::mul);
        r.binary("Div", Ops::div);
        r.binary("Equal", Ops::equal);
        r.binary("Greater", Ops::greater);
        r.binary("GreaterOrEqual", Ops::greaterEqual);
        r.binary("Less", Ops::less);
        r.binary("LessOrEqual", Ops::lessEqual);
        r.binary("And", Ops::logicalAnd);
        r.binary("Or", Ops::logicalOr);
        r.binary("Xor", Ops::logicalXor);
        r.one("Mod", n -> {
            Tensor a = n.required(0), b = n.required(1);
            // fmod=1 keeps the dividend's sign (C fmod); fmod=0 the divisor's (Python %), which is Nabla's mod.
            if (n.attrInt("fmod", 0) == 0) return Ops.mod(a, b);
            return Ops.sub(a, Ops.mul(Ops.cast(Ops.cast(Ops.div(a, b), DType.INT64), a.dtype()), b));
        });
        // ONNX lets the exponent have another numeric type than the base; the result has the base's type.
        r.one("Pow", n -> Ops.pow(n.required(0), Ops.cast(n.required(1), n.required(0).dtype())));
        r.one("Max", n -> n.presentInputs().stream().reduce(Ops::maximum).orElseThrow());
        r.one("Min", n -> n.presentInputs().stream().reduce(Ops::minimum).orElseThrow());
        r.one("Sum", n -> n.presentInputs().stream().reduce(Ops::add).orElseThrow());
        r.one("Mean", n -> Ops.div(n.presentInputs().stream().reduce(Ops::add).orElseThrow(),
                n.presentInputs().size()));
        r.unary("Abs", Ops::abs);
        r.unary("Neg", Ops::neg);
        r.unary("Exp", Ops::exp);
        r.unary("Log", Ops::log);
        r.unary("Sqrt", Ops::sqrt);
        r.unary("Sin", Ops::sin);
        r.unary("Cos", Ops::cos);
        r.unary("Tan", x -> Ops.div(Ops.sin(x), Ops.cos(x)));
        r.unary("Tanh", Ops::tanh);
        r.unary("Atan", Ops::atan);
        r.unary("Asin", Ops::asin);
        r.unary("Acos", Ops::acos);
        r.binary("BitwiseAnd", Ops::bitwiseAnd);
        r.binary("BitwiseOr", Ops::bitwiseOr);
        r.binary("BitwiseXor", Ops::bitwiseXor);
        r.unary("BitwiseNot", Ops::invert);
        r.one("BitCast", n -> Ops.bitcast(n.required(0), OnnxTypes.toDType((int) n.attrInt("to", 0), n.where() + " 'to'")));
        r.one("BitShift", n -> {
            Tensor x = n.required(0), y = n.required(1);
            return switch (n.attrString("direction", "")) {
                case "LEFT" -> Ops.leftShift(x, y);
                case "RIGHT" -> Ops.rightShift(x, y);
                default -> throw n.error("direction must be LEFT or RIGHT, got '" + n.attrString("direction", "")
                        + "'");
            };
        });
        r.unary("Erf", Ops::erf);
        r.unary("Ceil", Ops::ceil);
        r.unary("Floor", Ops::floor);
        r.unary("Round", Ops::round);
        r.unary("Sign", Ops::sign);
        r.unary("Reciprocal", Ops::reciprocal);
        r.unary("Not", Ops::logicalNot);
        r.unary("IsNaN", Ops::isNan);
        r.unary("Relu", Ops::relu);
        r.unary("Sigmoid", Ops::sigmoid);
        r.unary("Softplus", Ops::softplus);
        r.unary("Softsign", x -> Ops.div(x, Ops.add(Ops.abs(x), 1)));
        r.unary("Mish", x -> Ops.mul(x, Ops.tanh(Ops.softplus(x))));
        r.unary("Sinh", x -> Ops.mul(Ops.sub(Ops.exp(x), Ops.exp(Ops.neg(x))), 0.5));
        r.unary("Cosh", x -> Ops.mul(Ops.add(Ops.exp(x), Ops.exp(Ops.neg(x))), 0.5));
        // asinh is odd: computing it on |x| avoids the cancellation of x + sqrt(x^2 + 1) for large negative x.
        r.unary("Asinh", x -> {
            Tensor a = Ops.abs(x);
            return Ops.mul(Ops.sign(x), Ops.log(Ops.add(a, Ops.sqrt(Ops.add(Ops.square(a), 1)))));
        });
        r.unary("Acosh", x -> Ops.log(Ops.add(x, Ops.sqrt(Ops.sub(Ops.square(x), 1)))));
        r.unary("Atanh", x -> Ops.mul(Ops.sub(Ops.log1p(x), Ops.log1p(Ops.neg(x))), 0.5));
        r.one("Shrink", MathRules::shrink);
        r.one("Swish", n -> swish(n.required(0), n.attrFloat("alpha", 1.0)));
        r.one("SwiGLU", n -> {
            Tensor a = n.required(0), b = n.required(1);
            if (!a.shape().equals(b.shape())) throw n.error("A " + a.shape() + " and B " + b.shape() + " differ");
            return Ops.mul(swish(a, n.attrFloat("alpha", 1.0)), b);
        });
        r.one("CumProd", MathRules::cumProd);
        r.one("IsInf", MathRules::isInf);
        r.one("LeakyRelu", n -> Ops.leakyRelu(n.required(0), n.attrFloat("alpha", 0.01)));
        r.one("Elu", n -> Ops.elu(n.required(0), n.attrFloat("alpha", 1.0)));
        r.one("Selu", MathRules::selu);
        r.one("Gelu", n -> Ops.gelu(n.required(0), n.attrString("approximate", "none").equals("tanh")));
        r.one("HardSigmoid", n -> OnnxOperators.inFloat32(n.required(0), x -> Ops.clip(Ops.add(Ops.mul(x,
                n.attrFloat("alpha", 0.2)), n.attrFloat("beta", 0.5)), 0, 1)));
        r.one("HardSwish", n -> OnnxOperators.inFloat32(n.required(0),
                x -> Ops.mul(x, Ops.clip(Ops.add(Ops.mul(x, 1.0 / 6), 0.5), 0, 1))));
        r.one("ThresholdedRelu", n -> {
            Tensor x = n.required(0);
            return Ops.where(Ops.greater(x, n.attrFloat("alpha", 1.0)), x, Ops.zerosLike(x));
        });
        r.one("Celu", n -> {
            double alpha = n.attrFloat("alpha", 1.0);
            return OnnxOperators.inFloat32(n.required(0), x -> Ops.add(Ops.maximum(x, 0),
                    Ops.minimum(Ops.mul(Ops.sub(Ops.exp(Ops.div(x, alpha)), 1), alpha), 0)));
        });
        r.one("PRelu", n -> {
            Tensor x = n.required(0);
            return Ops.where(Ops.less(x, 0), Ops.mul(x, n.required(1)), x);
        });
        r.one("Clip", MathRules::clip);
        r.one("Where", n -> Ops.where(n.required(0), n.required(1), n.required(2)));
        r.one("Cast", n -> cast(n, OnnxTypes.toDType((int) n.attrInt("to", 0), n.where() + " 'to'")));
        r.one("CastLike", n -> cast(n, n.required(1).dtype()));
        r.one("MatMul", MathRules::matmul);
        r.one("Gemm", n -> {
            Tensor y = Ops.matmul(n.required(0), n.required(1), n.attrInt("transA", 0) == 1,
                    n.attrInt("transB", 0) == 1);
            double alpha = n.attrFloat("alpha", 1.0), beta = n.attrFloat("beta", 1.0);
            if (alpha != 1.0) y = Ops.mul(y, alpha);
            if (n.in(2) == null) return y;
            return Ops.add(y, beta == 1.0 ? n.in(2) : Ops.mul(n.in(2), beta));
        });
        r.rule("Einsum", n -> List.of(Einsum.apply(n.attrString("equation", ""), n.presentInputs(), n)));
    }

    /** x * sigmoid(alpha * x). */
    private static Tensor swish(Tensor x, double alpha) {
        return Ops.mul(x, Ops.sigmoid(alpha == 1.0 ? x : Ops.mul(x, alpha)));
    }

    /**
     * Products along an axis, inclusive or exclusive, forward or reversed: log2(n) steps that each multiply by the
     * running products shifted by 1, 2, 4... places (ones shifted in), exact for integers, no logarithms.
     */
    private static Tensor cumProd(OnnxNode n) {
        Tensor x = n.required(0);
        int rank = x.rank();
        long a = n.constant(1).longValue();
        if (a < -rank || a >= rank) throw n.error("axis " + a + " is out of range for rank " + rank);
        int axis = (int) (a < 0 ? a + rank : a);
        int len = NnRules.knownDim(n, x, axis);
        boolean reverse = n.attrInt("reverse", 0) == 1, exclusive = n.attrInt("exclusive", 0) == 1;
        Tensor flip = Ops.range(len - 1, -1, -1, DType.INT64);
        Tensor y = reverse ? Ops.gather(x, flip, axis) : x;
        if (exclusive) y = shiftInOnes(y, axis, 1, len);
        for (int shift = 1; shift < len; shift *= 2) y = Ops.mul(y, shiftInOnes(y, axis, shift, len));
        return reverse ? Ops.gather(y, flip, axis) : y;
    }

    /** {@code y} moved {@code shift} places along the axis, ones shifted in at the front. */
    private static Tensor shiftInOnes(Tensor y, int axis, int shift, int len) {
        int rank = y.rank();
        int[] begin = new int[rank], size = new int[rank];
        java.util.Arrays.fill(size, -1);
        size[axis] = Math.max(0, len - shift);
        int[][] pads = new int[rank][2];
        pads[axis][0] = Math.min(shift, len);
        return Ops.pad(Ops.slice(y, begin, size), pads, "CONSTANT", 1);
    }

    private static Tensor selu(OnnxNode n) {
        Tensor x = n.required(0);
        if (!n.hasAttr("alpha") && !n.hasAttr("gamma")) return Ops.selu(x);
        double alpha = n.attrFloat("alpha", 1.67326319217681884765625);
        double gamma = n.attrFloat("gamma", 1.05070102214813232421875);
        return Ops.mul(Ops.where(Ops.greater(x, 0), x, Ops.mul(Ops.sub(Ops.exp(x), 1), alpha)), gamma);
    }

    /** Shrink: x - bias above lambd, x + bias below -lambd, 0 between. */
    private static Tensor shrink(OnnxNode n) {
        Tensor x = n.required(0);
        double lambd = n.attrFloat("lambd", 0.5), bias = n.attrFloat("bias", 0);
        Tensor lo = Ops.cast(Tensors.scalar(-lambd), x.dtype()), hi = Ops.cast(Tensors.scalar(lambd), x.dtype());
        Tensor b = Ops.cast(Tensors.scalar(bias), x.dtype());
        return Ops.where(Ops.less(x, lo), Ops.add(x, b), Ops.where(Ops.greater(x, hi), Ops.sub(x, b),
                Ops.zerosLike(x)));
    }

    private static Tensor isInf(OnnxNode n) {
        Tensor x = n.required(0);
        Tensor inf = Ops.logicalAnd(Ops.logicalNot(Ops.isFinite(x)), Ops.logicalNot(Ops.isNan(x)));
        boolean pos = n.attrInt("detect_positive", 1) == 1, neg = n.attrInt("detect_negative", 1) == 1;
        if (pos && neg) return inf;
        if (pos) return Ops.logicalAnd(inf, Ops.greater(x, 0));
        if (neg) return Ops.logicalAnd(inf, Ops.less(x, 0));
        return Ops.logicalAnd(inf, Ops.logicalNot(inf));
    }

    /** Clip: bounds as inputs since opset 11 (either may be omitted), as attributes before. */
    private static Tensor clip(OnnxNode n) {
        Tensor x = n.required(0);
        Tensor lo, hi;
        if (n.opset() < 11) {
            lo = n.hasAttr("min") ? Ops.cast(org.nabla.Tensors.scalar(n.attrFloat("min", 0)), x.dtype()) : null;
            hi = n.hasAttr("max") ? Ops.cast(org.nabla.Tensors.scalar(n.attrFloat("max", 0)), x.dtype()) : null;
        } else {
            lo = n.in(1);
            hi = n.in(2);
        }
        if (lo != null && hi != null) return Ops.minimum(Ops.maximum(x, lo), hi);
        if (lo != null) return Ops.maximum(x, lo);
        if (hi != null) return Ops.minimum(x, hi);
        return Ops.identity(x);
    }

    /** MatMul with NumPy's rules for 1-D operands (a vector is promoted to a matrix, then the axis dropped). */
    private static Tensor matmul(OnnxNode n) { return matmul(n.required(0), n.required(1)); }

    /**
     * Cast and CastLike. To a float8, ONNX saturates by default ({@code saturate} 1): values beyond the largest finite
     * one, infinities included, become it; Nabla's cast does not saturate (it overflows to infinity or NaN, ONNX's
     * {@code saturate} 0), so the input is clipped first, which keeps NaN.
     */
    private static Tensor cast(OnnxNode n, DType to) {
        Tensor x = n.required(0);
        if (to.isLowPrecisionFloat() && x.dtype().isFloating() && n.attrInt("saturate", 1) == 1) {
            double max = to.maxFinite();
            x = Ops.clip(x, -max, max);
        }
        return StringRules.cast(x, to);
    }

    static Tensor matmul(Tensor a, Tensor b) {
        boolean va = a.rank() == 1, vb = b.rank() == 1;
        if (va) a = Ops.expandDims(a, 0);
        if (vb) b = Ops.expandDims(b, 1);
        Tensor y = Ops.matmul(a, b);
        if (va) y = Ops.squeeze(y, -2);
        if (vb) y = Ops.squeeze(y, -1);
        return y;
    }
}
