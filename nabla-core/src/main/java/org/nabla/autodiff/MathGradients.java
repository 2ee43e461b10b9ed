package org.nabla.autodiff;

import static org.nabla.autodiff.GradSupport.conj;
import static org.nabla.autodiff.GradSupport.floatOnly;
import static org.nabla.autodiff.GradSupport.scalar;
import static org.nabla.autodiff.GradSupport.unbroadcast;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpCall;
import org.nabla.ops.OpDef;

/**
 * Gradients of {@link org.nabla.ops.MathOps}. Binary ops reduce each operand's gradient to its own (runtime) shape,
 * undoing broadcasting. Rules use the forward output where that is cheaper (exp, tanh, sqrt...).
 */
public final class MathGradients {
    private MathGradients() {}

    /** Registers these gradients. */
    public static void register(GradientRegistry gradients) {
        gradients.register(MathOps.ADD, (c, g) -> binary(c, g[0], g[0]));
        gradients.register(MathOps.SUB, (c, g) -> binary(c, g[0], Ops.neg(g[0])));
        // conj(...) is the identity for real dtypes: see GradSupport.conj for the complex convention
        gradients.register(MathOps.MUL, (c, g) -> binary(c, Ops.mul(g[0], conj(c.input(1))),
                Ops.mul(g[0], conj(c.input(0)))));
        gradients.register(MathOps.DIV, (c, g) -> binary(c, Ops.div(g[0], conj(c.input(1))),
                Ops.neg(Ops.div(Ops.mul(g[0], conj(c.input(0))), conj(Ops.square(c.input(1)))))));
        gradients.register(MathOps.MOD, (c, g) -> binary(c, g[0],
                Ops.neg(Ops.mul(g[0], Ops.floorDiv(c.input(0), c.input(1))))));
        gradients.register(MathOps.POW, (c, g) -> {
            Tensor x = c.input(0), y = c.input(1), z = c.output(0);
            Tensor dx = Ops.mul(g[0], Ops.mul(y, Ops.pow(x, Ops.sub(y, scalar(1, y)))));
            Tensor positive = Ops.greater(x, scalar(0, x));
            Tensor safeLog = Ops.where(positive, Ops.log(Ops.where(positive, x, Ops.onesLike(x))), Ops.zerosLike(x));
            return binary(c, dx, Ops.mul(g[0], Ops.mul(z, safeLog)));
        });
        gradients.register(MathOps.MAXIMUM, (c, g) -> select(c, g[0], Ops.greaterEqual(c.input(0), c.input(1))));
        gradients.register(MathOps.MINIMUM, (c, g) -> select(c, g[0], Ops.lessEqual(c.input(0), c.input(1))));

        unary(gradients, MathOps.NEG, (c, g) -> Ops.neg(g));
        unary(gradients, MathOps.ABS, (c, g) -> Ops.mul(g, Ops.sign(c.input(0))));
        unary(gradients, MathOps.SQUARE, (c, g) -> Ops.mul(g, Ops.mul(scalar(2, g), conj(c.input(0)))));
        unary(gradients, MathOps.EXP, (c, g) -> Ops.mul(g, conj(c.output(0))));
        unary(gradients, MathOps.LOG, (c, g) -> Ops.div(g, conj(c.input(0))));
        unary(gradients, MathOps.LOG1P, (c, g) -> Ops.div(g, Ops.add(scalar(1, g), c.input(0))));
        unary(gradients, MathOps.SQRT, (c, g) -> Ops.div(g, Ops.mul(scalar(2, g), conj(c.output(0)))));
        unary(gradients, MathOps.RSQRT, (c, g) -> Ops.mul(Ops.mul(g, scalar(-0.5, g)),
                Ops.div(c.output(0), c.input(0))));
        unary(gradients, MathOps.RECIPROCAL, (c, g) -> Ops.neg(Ops.mul(g, Ops.square(c.output(0)))));
        unary(gradients, MathOps.SIN, (c, g) -> Ops.mul(g, Ops.cos(c.input(0))));
        unary(gradients, MathOps.COS, (c, g) -> Ops.neg(Ops.mul(g, Ops.sin(c.input(0)))));
        unary(gradients, MathOps.TANH, (c, g) -> Ops.mul(g, Ops.sub(scalar(1, g), Ops.square(c.output(0)))));
        unary(gradients, MathOps.ATAN, (c, g) -> Ops.div(g, Ops.add(scalar(1, g), Ops.square(c.input(0)))));
        unary(gradients, MathOps.ASIN, (c, g) -> Ops.mul(g, Ops.rsqrt(Ops.sub(scalar(1, g),
                Ops.square(c.input(0))))));
        unary(gradients, MathOps.ACOS, (c, g) -> Ops.neg(Ops.mul(g, Ops.rsqrt(Ops.sub(scalar(1, g),
                Ops.square(c.input(0)))))));
        unary(gradients, MathOps.ERF, (c, g) -> Ops.mul(Ops.mul(g, scalar(2 / Math.sqrt(Math.PI), g)),
                Ops.exp(Ops.neg(Ops.square(c.input(0))))));

        gradients.register(MathOps.CLIP, (c, g) -> {
            Tensor x = c.input(0), lo = c.input(1), hi = c.input(2), zeros = Ops.zerosLike(g[0]);
            Tensor below = Ops.less(x, lo), above = Ops.greater(x, hi);
            Tensor inside = Ops.logicalNot(Ops.logicalOr(below, above));
            return new Tensor[] {floatOnly(x, Ops.where(inside, g[0], zeros)),
                    floatOnly(lo, unbroadcast(Ops.where(below, g[0], zeros), lo)),
                    floatOnly(hi, unbroadcast(Ops.where(above, g[0], zeros), hi))};
        });
        gradients.register(MathOps.SELECT, (c, g) -> {
            Tensor zeros = Ops.zerosLike(g[0]);
            return new Tensor[] {null,
                    floatOnly(c.input(1), unbroadcast(Ops.where(c.input(0), g[0], zeros), c.input(1))),
                    floatOnly(c.input(2), unbroadcast(Ops.where(c.input(0), zeros, g[0]), c.input(2)))};
        });
        gradients.register(MathOps.CAST, (c, g) -> {
            DType from = c.input(0).dtype();
            // real <-> complex too (tf.cast's gradient): the real part going back, imaginary 0 coming in
            boolean floats = GradSupport.isFloat(c.input(0)) && GradSupport.isFloat(c.output(0));
            return new Tensor[] {floats ? Ops.cast(g[0], from) : null};
        });
    }

    private interface UnaryRule {
        Tensor apply(OpCall call, Tensor grad);
    }

    private static void unary(GradientRegistry gradients, OpDef op, UnaryRule rule) {
        gradients.register(op, (c, g) -> new Tensor[] {floatOnly(c.input(0), rule.apply(c, g[0]))});
    }

    private static Tensor[] binary(OpCall c, Tensor dx, Tensor dy) {
        return new Tensor[] {floatOnly(c.input(0), unbroadcast(dx, c.input(0))),
                floatOnly(c.input(1), unbroadcast(dy, c.input(1)))};
    }

    /** Maximum/Minimum: the gradient goes to x where {@code toX} holds, else to y. */
    private static Tensor[] select(OpCall c, Tensor g, Tensor toX) {
        Tensor zeros = Ops.zerosLike(g);
        return binary(c, Ops.where(toX, g, zeros), Ops.where(toX, zeros, g));
    }
}
