package org.nabla.kernels.cpu;

/** Scalar math that {@link Math} lacks: the error function and integer powers. */
public final class FloatMath {
    private FloatMath() {}

    // W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969), as in his
    // CALERF routine (netlib specfun): relative error below 1e-16 on each interval.
    private static final double[] A = {3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
        3.20937758913846947e03, 1.85777706184603153e-1};
    private static final double[] B = {2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
        2.84423683343917062e03};
    private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
        2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03,
        1.23033935479799725e03, 2.15311535474403846e-8};
    private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
        1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03,
        1.23033935480374942e03};
    private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
        1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2};
    private static final double[] Q = {2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
        6.05183413124413191e-2, 2.33520497626869185e-3};
    private static final double RSQRT_PI = 0.56418958354775628695;

    /** The error function, accurate to about 1 ulp in float64; erf(NaN) is NaN and erf(+-inf) is +-1. */
    public static double erf(double x) {
        double y = Math.abs(x);
        if (y <= 0.46875) {
            double ysq = y * y;
            double num = A[4] * ysq;
            double den = ysq;
            for (int i = 0; i < 3; i++) {
                num = (num + A[i]) * ysq;
                den = (den + B[i]) * ysq;
            }
            return x * (num + A[3]) / (den + B[3]);
        }
        if (y >= 6) return Math.copySign(1, x); // erfc(6) < 2.2e-17, below half an ulp of 1
        double erfcScaled; // erfc(y) * exp(y * y)
        if (y <= 4) {
            double num = C[8] * y;
            double den = y;
            for (int i = 0; i < 7; i++) {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            erfcScaled = (num + C[7]) / (den + D[7]);
        } else if (y == y) {
            double ysq = 1 / (y * y);
            double num = P[5] * ysq;
            double den = ysq;
            for (int i = 0; i < 4; i++) {
                num = (num + P[i]) * ysq;
                den = (den + Q[i]) * ysq;
            }
            erfcScaled = (RSQRT_PI - ysq * (num + P[4]) / (den + Q[4])) / y;
        } else {
            return x; // NaN
        }
        // exp(-y*y) in two factors so the rounding of y*y does not cost accuracy.
        double head = Math.floor(y * 16) / 16;
        double erfc = Math.exp(-head * head) * Math.exp(-(y - head) * (y + head)) * erfcScaled;
        double r = (0.5 - erfc) + 0.5;
        return x < 0 ? -r : r;
    }

    /** {@code base ** exponent} for {@code exponent >= 0}, wrapping on overflow like repeated multiplication. */
    public static long pow(long base, long exponent) {
        long result = 1;
        long b = base;
        for (long e = exponent; e > 0; e >>= 1) {
            if ((e & 1) != 0) result *= b;
            b *= b;
        }
        return result;
    }

    /** {@link #pow(long, long)} with the exponent's bits read as a uint64 (all 64 of them count). */
    public static long powUnsigned(long base, long exponent) {
        long result = 1;
        long b = base;
        for (long e = exponent; e != 0; e >>>= 1) {
            if ((e & 1) != 0) result *= b;
            b *= b;
        }
        return result;
    }

    /** The int version of {@link #pow(long, long)}. */
    public static int pow(int base, int exponent) {
        int result = 1;
        int b = base;
        for (int e = exponent; e > 0; e >>= 1) {
            if ((e & 1) != 0) result *= b;
            b *= b;
        }
        return result;
    }
}
