package org.nabla.autograph;

import org.nabla.Ops;
import org.nabla.Tensor;

/** Methods of a class other than the converted one, with tensor conditions: converted when converted code calls them. */
class UserSteps {
    private final double rate;

    UserSteps(double rate) { this.rate = rate; }

    /** Halves x while its largest entry exceeds 1. */
    static Tensor halveUntilSmall(Tensor x) {
        while (Ops.max(Ops.abs(x), 0).greater(1.0).booleanValue()) x = x.mul(0.5);
        return x;
    }

    /** An instance method reading private state: decays x while its sum is positive, at most 3 times in Java terms. */
    Tensor decay(Tensor x) {
        Tensor y = x;
        if (Ops.sum(y).greater(0.0).booleanValue()) y = y.mul(rate);
        else y = y.neg();
        return y;
    }

    /** A subclass whose override runs as written (the converted call checks the receiver's class). */
    static final class Doubling extends UserSteps {
        Doubling() { super(0); }

        @Override
        Tensor decay(Tensor x) { return x.mul(2.0); }
    }

    /** A class opted out as a whole: its tensor if stays Java, so tracing a caller through it fails. */
    @DoNotConvert
    static final class OptedOut {
        private OptedOut() {}

        static Tensor sign(Tensor x) {
            if (Ops.sum(x).greater(0.0).booleanValue()) return x;
            return x.neg();
        }
    }
}
