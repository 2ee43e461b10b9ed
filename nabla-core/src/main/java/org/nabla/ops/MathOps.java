package org.nabla.ops;

import org.nabla.DType;
import org.nabla.Shape;

/**
 * Elementwise math and logic: arithmetic, unary functions, comparisons, logical ops, select, cast and clip.
 * Binary ops broadcast with NumPy's rules and require equal dtypes (no implicit promotion, as in TensorFlow).
 * Semantics that differ between dtypes (integer division, rounding, casts) are spelled out in docs/ops/math.md.
 */
public final class MathOps {
    private MathOps() {}

    // ---------------------------------------------------------------- binary arithmetic (numeric, same dtype)

    public static final OpDef ADD = arithmetic("Add").summary("x + y, elementwise with broadcasting").build();

    public static final OpDef SUB = arithmetic("Sub").summary("x - y, elementwise with broadcasting").build();

    public static final OpDef MUL = arithmetic("Mul").summary("x * y, elementwise with broadcasting").build();

    public static final OpDef DIV = arithmetic("Div")
            .summary("x / y; IEEE division for floats, C-style truncation toward zero for integers "
                    + "(integer division by zero is an error)").build();

    public static final OpDef FLOOR_DIV = arithmetic("FloorDiv").notDifferentiable()
            .summary("floor(x / y), rounding toward negative infinity for every dtype (Python's //)").build();

    public static final OpDef MOD = arithmetic("Mod")
            .summary("floor modulo x - floor(x / y) * y: the result takes the sign of y (Python's %)").build();

    public static final OpDef POW = arithmetic("Pow")
            .summary("x ** y; integer powers wrap on overflow and reject negative exponents").build();

    public static final OpDef MAXIMUM = arithmetic("Maximum").summary("max(x, y); NaN if either is NaN").build();

    public static final OpDef MINIMUM = arithmetic("Minimum").summary("min(x, y); NaN if either is NaN").build();

    // ---------------------------------------------------------------- unary

    public static final OpDef NEG = numericUnary("Neg").summary("-x (wraps for the most negative integer)").build();

    public static final OpDef ABS = numericUnary("Abs").summary("|x|").build();

    public static final OpDef SIGN = numericUnary("Sign").notDifferentiable()
            .summary("-1, 0 or 1 by the sign of x; NaN stays NaN and signed zeros are kept").build();

    public static final OpDef SQUARE = numericUnary("Square").summary("x * x").build();

    public static final OpDef EXP = floatOrComplexUnary("Exp").summary("e ** x").build();

    public static final OpDef LOG = floatOrComplexUnary("Log").summary("natural logarithm; -inf at 0, NaN below").build();

    public static final OpDef LOG1P = floatUnary("Log1p").summary("log(1 + x), accurate for small x").build();

    public static final OpDef SQRT = floatOrComplexUnary("Sqrt").summary("square root; NaN for negative x").build();

    public static final OpDef RSQRT = floatUnary("Rsqrt").summary("1 / sqrt(x)").build();

    public static final OpDef RECIPROCAL = floatUnary("Reciprocal").summary("1 / x").build();

    public static final OpDef SIN = floatUnary("Sin").summary("sine (radians)").build();

    public static final OpDef COS = floatUnary("Cos").summary("cosine (radians)").build();

    public static final OpDef TANH = floatUnary("Tanh").summary("hyperbolic tangent").build();

    public static final OpDef ERF = floatUnary("Erf").summary("the error function 2/sqrt(pi) * integral of "
            + "exp(-t*t) from 0 to x").build();

    public static final OpDef ATAN = floatUnary("Atan").summary("arctangent, in (-pi/2, pi/2)").build();

    public static final OpDef ASIN = floatUnary("Asin").summary("arcsine, in [-pi/2, pi/2]; NaN outside [-1, 1]")
            .build();

    public static final OpDef ACOS = floatUnary("Acos").summary("arccosine, in [0, pi]; NaN outside [-1, 1]").build();

    public static final OpDef FLOOR = floatUnary("Floor").notDifferentiable()
            .summary("largest integer value <= x").build();

    public static final OpDef CEIL = floatUnary("Ceil").notDifferentiable()
            .summary("smallest integer value >= x").build();

    public static final OpDef ROUND = floatUnary("Round").notDifferentiable()
            .summary("nearest integer value, ties to even (banker's rounding, like TensorFlow and NumPy)").build();

    // ---------------------------------------------------------------- clip

    public static final OpDef CLIP = OpDef.builder("Clip").inputs("x", "min", "max")
            .shape((in, a) -> clip(in))
            .summary("min(max(x, min), max) with min and max broadcast to x's shape (TensorFlow's clip_by_value)")
            .build();

    // ---------------------------------------------------------------- comparisons (output bool)

    public static final OpDef EQUAL = comparison("Equal", true).summary("x == y (NaN is unequal to everything)")
            .build();

    public static final OpDef NOT_EQUAL = comparison("NotEqual", true).summary("x != y").build();

    public static final OpDef GREATER = comparison("Greater", false).summary("x > y").build();

    public static final OpDef GREATER_EQUAL = comparison("GreaterEqual", false).summary("x >= y").build();

    public static final OpDef LESS = comparison("Less", false).summary("x < y").build();

    public static final OpDef LESS_EQUAL = comparison("LessEqual", false).summary("x <= y").build();

    // ---------------------------------------------------------------- logic (bool only)

    public static final OpDef LOGICAL_AND = logicalBinary("LogicalAnd").summary("x && y").build();

    public static final OpDef LOGICAL_OR = logicalBinary("LogicalOr").summary("x || y").build();

    public static final OpDef LOGICAL_XOR = logicalBinary("LogicalXor").summary("x != y for bools").build();

    public static final OpDef LOGICAL_NOT = OpDef.builder("LogicalNot").inputs("x").notDifferentiable()
            .shape((in, a) -> {
                Infer.requireDType("LogicalNot", "x", in[0], DType.BOOL);
                return Infer.one(DType.BOOL, in[0].shape());
            })
            .summary("!x").build();

    // ---------------------------------------------------------------- select, predicates, cast

    public static final OpDef SELECT = OpDef.builder("Select").inputs("condition", "x", "y")
            .kernelDTypeFromInput(1)
            .shape((in, a) -> select(in))
            .summary("condition ? x : y elementwise, all three broadcast together (TensorFlow's where_v2)").build();

    public static final OpDef IS_NAN = floatPredicate("IsNan").summary("x is NaN").build();

    public static final OpDef IS_FINITE = floatPredicate("IsFinite").summary("x is neither infinite nor NaN").build();

    public static final OpDef CAST = OpDef.builder("Cast").inputs("x").attr("dtype", AttrType.DTYPE)
            .shape((in, a) -> castShape(in[0], a.getDType("dtype")))
            .summary("converts to another dtype: float to integer truncates toward zero (NaN becomes 0, out of range "
                    + "saturates for int32/int64 and wraps for uint8), to bool is x != 0, bool reads as 0/1; "
                    + "differentiable only between float dtypes").build();

    public static final OpDef BITCAST = OpDef.builder("Bitcast").inputs("x").attr("dtype", AttrType.DTYPE)
            .notDifferentiable().shape((in, a) -> {
                DType to = a.getDType("dtype");
                if (to.byteSize() != in[0].dtype().byteSize()) {
                    throw new OpException("Bitcast", "reinterprets between dtypes of the same width; " + in[0]
                            + " has " + in[0].dtype().byteSize() + "-byte elements, " + to + " " + to.byteSize());
                }
                return Infer.one(to, in[0].shape());
            })
            .summary("the same bits read as another dtype of the same width (tf.bitcast)").build();

    // ---------------------------------------------------------------- bitwise (integers)

    public static final OpDef BITWISE_AND = bitwise("BitwiseAnd").summary("x & y, bit by bit").build();

    public static final OpDef BITWISE_OR = bitwise("BitwiseOr").summary("x | y, bit by bit").build();

    public static final OpDef BITWISE_XOR = bitwise("BitwiseXor").summary("x ^ y, bit by bit").build();

    public static final OpDef LEFT_SHIFT = bitwise("LeftShift")
            .summary("x << y; bits shifted past the dtype's width are lost").build();

    public static final OpDef RIGHT_SHIFT = bitwise("RightShift")
            .summary("x >> y: arithmetic for signed dtypes (the sign bit repeats), logical for unsigned").build();

    public static final OpDef INVERT = OpDef.builder("Invert").inputs("x").notDifferentiable()
            .summary("~x: every bit flipped (TensorFlow's bitwise.invert)").shape((in, a) -> {
                requireInteger("Invert", "x", in[0]);
                return Infer.one(in[0].dtype(), in[0].shape());
            }).build();

    // ---------------------------------------------------------------- shape rules

    private static OpDef.Builder bitwise(String name) {
        return OpDef.builder(name).inputs("x", "y").notDifferentiable().shape((in, a) -> {
            Infer.sameDType(name, in[0], in[1]);
            requireInteger(name, "x", in[0]);
            return Infer.one(in[0].dtype(), Infer.broadcast(name, in[0].shape(), in[1].shape()));
        });
    }

    private static void requireInteger(String op, String input, TensorSpec spec) {
        if (!spec.dtype().isInteger()) {
            throw new OpException(op, "input '" + input + "' must be an integer dtype, got " + spec);
        }
    }

    private static OpDef.Builder arithmetic(String name) {
        return OpDef.builder(name).inputs("x", "y").shape((in, a) -> {
            Infer.sameDType(name, in[0], in[1]);
            requireArithmetic(name, "x", in[0]);
            return Infer.one(in[0].dtype(), Infer.broadcast(name, in[0].shape(), in[1].shape()));
        });
    }

    private static OpDef.Builder numericUnary(String name) {
        return OpDef.builder(name).inputs("x").shape((in, a) -> {
            requireArithmetic(name, "x", in[0]);
            return Infer.one(in[0].dtype(), in[0].shape());
        });
    }

    private static OpDef.Builder floatUnary(String name) {
        return OpDef.builder(name).inputs("x").shape((in, a) -> {
            requireFloat(name, in[0]);
            return Infer.one(in[0].dtype(), in[0].shape());
        });
    }

    /** Float ops TensorFlow also has complex kernels for (exp, log, sqrt). */
    private static OpDef.Builder floatOrComplexUnary(String name) {
        return OpDef.builder(name).inputs("x").shape((in, a) -> {
            if (!in[0].dtype().isComplex()) requireFloat(name, in[0]);
            return Infer.one(in[0].dtype(), in[0].shape());
        });
    }

    private static OpDef.Builder floatPredicate(String name) {
        return OpDef.builder(name).inputs("x").notDifferentiable().shape((in, a) -> {
            requireFloat(name, in[0]);
            return Infer.one(DType.BOOL, in[0].shape());
        });
    }

    /** Equal/NotEqual accept every dtype including bool; the ordering comparisons need numbers. */
    private static OpDef.Builder comparison(String name, boolean acceptsBool) {
        return OpDef.builder(name).inputs("x", "y").notDifferentiable().shape((in, a) -> {
            Infer.sameDType(name, in[0], in[1]);
            if (!acceptsBool && in[0].dtype() == DType.STRING) {
                throw new OpException(name, "cannot order string inputs " + in[0] + " and " + in[1]
                        + "; strings compare with Equal/NotEqual only (as in TensorFlow)");
            }
            if (!acceptsBool && in[0].dtype().isComplex()) {
                throw new OpException(name, "complex numbers have no order: cannot compare " + in[0] + " and "
                        + in[1] + " (compare Ops.abs or Ops.real of them)");
            }
            if (!acceptsBool && in[0].dtype() == DType.BOOL) {
                throw new OpException(name, "cannot order bool inputs " + in[0] + " and " + in[1]
                        + "; compare numbers, or use Equal/NotEqual/LogicalXor for bools");
            }
            return Infer.one(DType.BOOL, Infer.broadcast(name, in[0].shape(), in[1].shape()));
        });
    }

    private static OpDef.Builder logicalBinary(String name) {
        return OpDef.builder(name).inputs("x", "y").notDifferentiable().shape((in, a) -> {
            Infer.requireDType(name, "x", in[0], DType.BOOL);
            Infer.requireDType(name, "y", in[1], DType.BOOL);
            return Infer.one(DType.BOOL, Infer.broadcast(name, in[0].shape(), in[1].shape()));
        });
    }

    private static void requireArithmetic(String op, String input, TensorSpec spec) {
        if (!spec.dtype().isNumeric()) {
            throw new OpException(op, "input '" + input + "' must be numeric (float32, float64, int32, int64, uint8), "
                    + "got " + spec + "; cast bools to a number first");
        }
    }

    private static void requireFloat(String op, TensorSpec spec) {
        if (!spec.dtype().isFloating()) {
            throw new OpException(op, "input 'x' must be float16, bfloat16, float32 or float64, got " + spec
                    + (spec.dtype().isInteger() ? "; cast integers to a float dtype first" : ""));
        }
    }

    private static TensorSpec[] clip(TensorSpec[] in) {
        Infer.sameDType("Clip", in[0], in[1]);
        Infer.sameDType("Clip", in[0], in[2]);
        requireArithmetic("Clip", "x", in[0]);
        Shape x = in[0].shape();
        for (int i = 1; i <= 2; i++) {
            Shape b = Infer.broadcast("Clip", x, in[i].shape());
            if (!b.isCompatibleWith(x)) {
                throw new OpException("Clip", "'" + (i == 1 ? "min" : "max") + "' of shape " + in[i].shape()
                        + " must broadcast to the shape of x " + x + " without enlarging it");
            }
        }
        return Infer.one(in[0].dtype(), x);
    }

    /** TensorFlow's Cast never parses or formats: string to string only (Strings.toNumber / asString otherwise). */
    private static TensorSpec[] castShape(TensorSpec x, DType to) {
        if ((x.dtype() == DType.STRING) != (to == DType.STRING)) {
            throw new OpException("Cast", "cast " + x.dtype() + " to " + to + " is not supported: "
                    + (to == DType.STRING ? "format numbers with Strings.asString" : "parse strings with "
                    + "Strings.toNumber"));
        }
        return Infer.one(to, x.shape());
    }

    private static TensorSpec[] select(TensorSpec[] in) {
        Infer.requireDType("Select", "condition", in[0], DType.BOOL);
        DType d = Infer.sameDType("Select", in[1], in[2]);
        Shape s = Infer.broadcast("Select", Infer.broadcast("Select", in[0].shape(), in[1].shape()), in[2].shape());
        return Infer.one(d, s);
    }
}
