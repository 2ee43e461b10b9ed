package org.nabla.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 transcendental functions on {@link FloatVector}s built only from exactly defined vector arithmetic (add,
 * mul, fma, compare/blend, min/max, conversions, bit reinterpretation): unlike the JDK's
 * {@code VectorOperators.EXP/LOG/TANH/SIN...}, which the JIT swaps for a native vector math library once a loop is
 * compiled, these give bitwise the same result in the interpreter, C1 and C2, so deterministic graphs stay
 * reproducible from the first run on. Accuracy: within 2 ulp of the correctly rounded float result over the whole
 * float range (exp, log, log1p, tanh: Cody-Waite reduction and Cephes minimax polynomials in float32, under 1.5 ulp;
 * sigmoid under 2.5 ulp; sin, cos: float64 reduction by pi/2 and Taylor polynomials rounded once, below 2^20, and
 * StrictMath lane by lane above). The array forms process the last partial vector with a masked vector, so an
 * element's result never depends on where it falls in the array or on the array's length.
 */
public final class VectorMath {
    /**
     * The lanes' sum, added in lane order. {@code reduceLanes(ADD)} leaves the order open, and the interpreter and the
     * JIT-compiled code do use different orders, so results changed bitwise once a loop got compiled; this order is
     * fixed, which the executor's deterministic mode relies on.
     *
     * @param v the vector
     * @return lane 0 + lane 1 + ... in that order
     */
    public static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    // Every constant is a vector constant (a trusted static final field), and no helper method wraps a vector op:
    // C2 must inline the whole call chain of each function into the loop (MaxInlineLevel, FreqInlineSize), or its
    // vectors get boxed on the heap and the loop runs ten times slower.
    private static final FloatVector ZERO = FloatVector.zero(F);
    private static final FloatVector ONE = FloatVector.broadcast(F, 1f);
    private static final FloatVector TWO = FloatVector.broadcast(F, 2f);
    private static final FloatVector HALF_NEG = FloatVector.broadcast(F, -0.5f);
    private static final FloatVector INF = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
    private static final FloatVector NEG_INF = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    private static final FloatVector NAN = FloatVector.broadcast(F, Float.NaN);
    private static final FloatVector LOG2E = FloatVector.broadcast(F, 1.44269504088896341f);
    private static final FloatVector LN2_HI = FloatVector.broadcast(F, 0.693359375f);  // 8 bits: n * LN2_HI exact
    private static final FloatVector LN2_LO = FloatVector.broadcast(F, -2.12194440e-4f);
    private static final FloatVector NEG_LN2_HI = LN2_HI.neg();
    private static final FloatVector NEG_LN2_LO = LN2_LO.neg();
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, held in the low mantissa bits. */
    private static final FloatVector ROUND_MAGIC = FloatVector.broadcast(F, 12582912f);
    private static final IntVector ROUND_MAGIC_BITS = IntVector.broadcast(
            F.withLanes(int.class), Float.floatToRawIntBits(12582912f));
    private static final FloatVector EXP_HI = FloatVector.broadcast(F, 89f);   // exp(89) overflows float
    private static final FloatVector EXP_LO = FloatVector.broadcast(F, -104f); // exp(-104) rounds to +0
    private static final FloatVector SQRT_HALF = FloatVector.broadcast(F, 0.707106781186547524f);
    private static final FloatVector MIN_NORMAL = FloatVector.broadcast(F, Float.MIN_NORMAL);
    private static final FloatVector TWO_23 = FloatVector.broadcast(F, 8388608f);
    private static final FloatVector TANH_SMALL = FloatVector.broadcast(F, 0.625f);
    private static final IntVector I_127 = IntVector.broadcast(F.withLanes(int.class), 127);
    private static final IntVector I_126 = IntVector.broadcast(F.withLanes(int.class), 126);
    private static final IntVector I_23 = IntVector.broadcast(F.withLanes(int.class), 23);
    private static final IntVector I_ZERO = IntVector.zero(F.withLanes(int.class));
    private static final IntVector EXP_MASK = IntVector.broadcast(F.withLanes(int.class), 0xff);
    private static final IntVector MANT_MASK = IntVector.broadcast(F.withLanes(int.class), 0x007fffff);
    private static final IntVector HALF_BITS = IntVector.broadcast(F.withLanes(int.class), 0x3f000000);
    private static final IntVector SIGN_BIT = IntVector.broadcast(F.withLanes(int.class), 0x80000000);
    private static final FloatVector E0 = FloatVector.broadcast(F, 1.9875691500e-4f);
    private static final FloatVector E1 = FloatVector.broadcast(F, 1.3981999507e-3f);
    private static final FloatVector E2 = FloatVector.broadcast(F, 8.3334519073e-3f);
    private static final FloatVector E3 = FloatVector.broadcast(F, 4.1665795894e-2f);
    private static final FloatVector E4 = FloatVector.broadcast(F, 1.6666665459e-1f);
    private static final FloatVector E5 = FloatVector.broadcast(F, 5.0000001201e-1f);
    private static final FloatVector L0 = FloatVector.broadcast(F, 7.0376836292e-2f);
    private static final FloatVector L1 = FloatVector.broadcast(F, -1.1514610310e-1f);
    private static final FloatVector L2 = FloatVector.broadcast(F, 1.1676998740e-1f);
    private static final FloatVector L3 = FloatVector.broadcast(F, -1.2420140846e-1f);
    private static final FloatVector L4 = FloatVector.broadcast(F, 1.4249322787e-1f);
    private static final FloatVector L5 = FloatVector.broadcast(F, -1.6668057665e-1f);
    private static final FloatVector L6 = FloatVector.broadcast(F, 2.0000714765e-1f);
    private static final FloatVector L7 = FloatVector.broadcast(F, -2.4999993993e-1f);
    private static final FloatVector L8 = FloatVector.broadcast(F, 3.3333331174e-1f);
    private static final FloatVector T0 = FloatVector.broadcast(F, -5.70498872745e-3f);
    private static final FloatVector T1 = FloatVector.broadcast(F, 2.06390887954e-2f);
    private static final FloatVector T2 = FloatVector.broadcast(F, -5.37397155531e-2f);
    private static final FloatVector T3 = FloatVector.broadcast(F, 1.33314422036e-1f);
    private static final FloatVector T4 = FloatVector.broadcast(F, -3.33332819422e-1f);

    private VectorMath() {}

    /** e^x lanewise: +inf past about 88.72, +0 below about -103.97, NaN stays NaN. */
    public static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(EXP_LO).min(EXP_HI); // NaN propagates through min/max
        FloatVector t = c.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = t.sub(ROUND_MAGIC);                          // round(c * log2 e), ties to even
        IntVector ni = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        FloatVector r = n.fma(NEG_LN2_HI, c);                        // exact
        r = n.fma(NEG_LN2_LO, r);
        FloatVector p = r.fma(E0, E1).fma(r, E2).fma(r, E3).fma(r, E4).fma(r, E5);
        FloatVector y = p.fma(r.mul(r), r).add(ONE);
        // 2^n as two factors 2^(n>>1) * 2^(n - (n>>1)), each a normal float, so the result rounds once, also into
        // the subnormal range, and overflows to inf
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = n1.add(I_127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ni.sub(n1).add(I_127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    /** Natural logarithm lanewise: -inf at ±0, NaN below 0, +inf at +inf. */
    public static FloatVector log(FloatVector x) {
        // positive normal finite lanes only (the common case): no rescaling, no special values to patch
        VectorMask<Float> special = x.compare(VectorOperators.LT, MIN_NORMAL).or(x.compare(VectorOperators.GE, INF))
                .or(x.compare(VectorOperators.NE, x));
        if (!special.anyTrue()) return logNormal(x.reinterpretAsInts(), I_126);
        return logSpecial(x);
    }

    /** log of positive normal finite lanes with bits {@code bits}; {@code bias} 126 (+ 23 for rescaled subnormals). */
    private static FloatVector logNormal(IntVector bits, IntVector bias) {
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(EXP_MASK).sub(bias);
        FloatVector m = bits.and(MANT_MASK).or(HALF_BITS).reinterpretAsFloats(); // in [0.5, 1)
        VectorMask<Float> small = m.compare(VectorOperators.LT, SQRT_HALF);
        FloatVector fe = ((FloatVector) e.convert(VectorOperators.I2F, 0)).sub(ZERO.blend(ONE, small));
        // f = 2m - 1 where m < sqrt(1/2), else m - 1 (both exact): in [sqrt(1/2) - 1, sqrt(2) - 1)
        FloatVector f = m.add(ZERO.blend(m, small)).sub(ONE);
        return logPoly(f, fe);
    }

    /** log where some lane is subnormal, zero, negative, infinite or NaN: the same bits on the normal lanes. */
    private static FloatVector logSpecial(FloatVector x) {
        VectorMask<Float> sub = x.compare(VectorOperators.LT, MIN_NORMAL);
        IntVector bits = x.blend(x.mul(TWO_23), sub).reinterpretAsInts(); // subnormals * 2^23, exact
        FloatVector res = logNormal(bits, I_126.add(I_ZERO.blend(I_23, sub.cast(bits.species()))));
        res = res.blend(NEG_INF, x.compare(VectorOperators.EQ, ZERO));
        res = res.blend(INF, x.compare(VectorOperators.EQ, INF));
        return res.blend(NAN, x.compare(VectorOperators.LT, ZERO).or(x.compare(VectorOperators.NE, x)));
    }

    /** log(1 + f) + fe * ln 2 for f in [sqrt(1/2) - 1, sqrt(2) - 1) (Cephes logf). */
    private static FloatVector logPoly(FloatVector f, FloatVector fe) {
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(L0, L1).fma(f, L2).fma(f, L3).fma(f, L4).fma(f, L5).fma(f, L6).fma(f, L7).fma(f, L8);
        FloatVector y = fe.fma(LN2_LO, p.mul(f).mul(z));
        y = z.fma(HALF_NEG, y);
        return fe.fma(LN2_HI, f.add(y));
    }

    /** log(1 + x) lanewise, accurate near 0: -inf at -1, NaN below -1. */
    public static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(ONE);
        FloatVector lu = log(u);
        // u = 1 + x rounded: add back the rounding error, d log u ~ (x - (u - 1)) / u
        FloatVector res = lu.add(x.sub(u.sub(ONE)).div(u));
        VectorMask<Float> plain = u.compare(VectorOperators.LE, ZERO)
                .or(u.compare(VectorOperators.EQ, INF)).or(x.compare(VectorOperators.NE, x));
        res = res.blend(lu, plain);
        return res.blend(x, u.compare(VectorOperators.EQ, ONE)); // |x| < 2^-24: log1p(x) rounds to x (keeps -0)
    }

    /** Hyperbolic tangent lanewise: an odd polynomial below |x| = 0.625, 1 - 2/(e^2|x| + 1) above. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector e = exp(a.add(a));
        FloatVector big = ONE.sub(TWO.div(e.add(ONE)));
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(T0, T1).fma(z, T2).fma(z, T3).fma(z, T4);
        FloatVector small = p.mul(z).fma(x, x);
        // big with the sign of x
        FloatVector signedBig = big.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
        return signedBig.blend(small, a.compare(VectorOperators.LT, TANH_SMALL).or(x.compare(VectorOperators.NE, x)))
                .blend(x, x.compare(VectorOperators.EQ, ZERO)); // keeps -0
    }

    /** The logistic function 1 / (1 + e^-x) lanewise, computing only e^-|x| (never overflows). */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        // 1 / (1 + e) for x >= 0, e / (1 + e) for x < 0: one division, rounded once
        return ONE.blend(e, x.compare(VectorOperators.LT, ZERO)).div(e.add(ONE));
    }

    // ---- sin and cos: computed in float64 lanes (two halves of the float vector), rounded once to float

    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    private static final DoubleVector D_ONE = DoubleVector.broadcast(D, 1);
    private static final DoubleVector D_TWO_OVER_PI = DoubleVector.broadcast(D, 2 / Math.PI);
    private static final DoubleVector D_MAGIC = DoubleVector.broadcast(D, 0x1.8p52); // rounds to an integer
    private static final DoubleVector D_NEG_PIO2_1 = DoubleVector.broadcast(D, -Math.PI / 2);
    /** The rest of pi/2 beyond the double nearest to it. */
    private static final DoubleVector D_NEG_PIO2_2 = DoubleVector.broadcast(D, -6.123233995736766e-17);
    private static final DoubleVector S1 = DoubleVector.broadcast(D, -1.0 / 6);
    private static final DoubleVector S2 = DoubleVector.broadcast(D, 1.0 / 120);
    private static final DoubleVector S3 = DoubleVector.broadcast(D, -1.0 / 5040);
    private static final DoubleVector S4 = DoubleVector.broadcast(D, 1.0 / 362880);
    private static final DoubleVector S5 = DoubleVector.broadcast(D, -1.0 / 39916800);
    private static final DoubleVector S6 = DoubleVector.broadcast(D, 1.0 / 6227020800.0);
    private static final DoubleVector C1 = DoubleVector.broadcast(D, -1.0 / 2);
    private static final DoubleVector C2 = DoubleVector.broadcast(D, 1.0 / 24);
    private static final DoubleVector C3 = DoubleVector.broadcast(D, -1.0 / 720);
    private static final DoubleVector C4 = DoubleVector.broadcast(D, 1.0 / 40320);
    private static final DoubleVector C5 = DoubleVector.broadcast(D, -1.0 / 3628800);
    private static final DoubleVector C6 = DoubleVector.broadcast(D, 1.0 / 479001600);
    private static final DoubleVector C7 = DoubleVector.broadcast(D, -1.0 / 87178291200.0);
    private static final LongVector Q_SIN = LongVector.zero(D.withLanes(long.class));
    private static final LongVector Q_COS = LongVector.broadcast(D.withLanes(long.class), 1);
    private static final LongVector L_ONE = LongVector.broadcast(D.withLanes(long.class), 1);
    private static final LongVector L_TWO = LongVector.broadcast(D.withLanes(long.class), 2);
    private static final LongVector L_ZERO = LongVector.zero(D.withLanes(long.class));
    /** Beyond 2^20 the lanes fall back to StrictMath (pure Java fdlibm, so also the same bits in any JIT state). */
    private static final VectorSpecies<Float> FH = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2)); // as many float lanes as D has double lanes
    private static final FloatVector FH_ZERO = FloatVector.zero(FH);
    private static final FloatVector TRIG_BIG = FloatVector.broadcast(FH, 0x1p20f);

    /** sin(x) lanewise for x of species FH, correctly rounded but in rare cases (float64 reduction and polynomial). */
    private static FloatVector sinHalf(FloatVector x) {
        FloatVector res = (FloatVector) trigHalf((DoubleVector) x.convertShape(VectorOperators.F2D, D, 0), Q_SIN)
                .convertShape(VectorOperators.D2F, FH, 0);
        res = res.blend(x, x.compare(VectorOperators.EQ, FH_ZERO)); // keeps -0
        VectorMask<Float> big = x.abs().compare(VectorOperators.GT, TRIG_BIG);
        return big.anyTrue() ? bigLanes(x, res, big, false) : res;
    }

    /** cos(x) lanewise for x of species FH. */
    private static FloatVector cosHalf(FloatVector x) {
        FloatVector res = (FloatVector) trigHalf((DoubleVector) x.convertShape(VectorOperators.F2D, D, 0), Q_COS)
                .convertShape(VectorOperators.D2F, FH, 0);
        VectorMask<Float> big = x.abs().compare(VectorOperators.GT, TRIG_BIG);
        return big.anyTrue() ? bigLanes(x, res, big, true) : res;
    }

    /** sin(x + q0 * pi/2): n = round(x * 2/pi), r = x - n * pi/2 in two parts, quadrant n + q0. */
    private static DoubleVector trigHalf(DoubleVector x, LongVector q0) {
        DoubleVector t = x.fma(D_TWO_OVER_PI, D_MAGIC);
        DoubleVector n = t.sub(D_MAGIC);
        LongVector q = t.reinterpretAsLongs().add(q0);
        DoubleVector r = n.fma(D_NEG_PIO2_2, n.fma(D_NEG_PIO2_1, x));
        DoubleVector z = r.mul(r);
        DoubleVector s = z.fma(S6, S5).fma(z, S4).fma(z, S3).fma(z, S2).fma(z, S1).mul(z).fma(r, r);
        DoubleVector c = z.fma(C7, C6).fma(z, C5).fma(z, C4).fma(z, C3).fma(z, C2).fma(z, C1).fma(z, D_ONE);
        DoubleVector res = s.blend(c, q.and(L_ONE).compare(VectorOperators.NE, L_ZERO).cast(D));
        return res.reinterpretAsLongs().lanewise(VectorOperators.XOR, q.and(L_TWO).lanewise(VectorOperators.LSHL, 62))
                .reinterpretAsDoubles();
    }

    private static FloatVector bigLanes(FloatVector x, FloatVector res, VectorMask<Float> big, boolean cos) {
        float[] xs = x.toArray(), rs = res.toArray();
        for (int i = 0; i < xs.length; i++) {
            if (big.laneIsSet(i)) rs[i] = (float) (cos ? StrictMath.cos(xs[i]) : StrictMath.sin(xs[i]));
        }
        return FloatVector.fromArray(x.species(), rs, 0);
    }

    // ---- array forms: z[zo + i] = f(a[ao + i]) for i < n, the last partial vector masked

    public static void exp(float[] a, int ao, float[] z, int zo, int n) {
        int i = 0, L = F.length();
        for (int bound = F.loopBound(n); i < bound; i += L) {
            exp(FloatVector.fromArray(F, a, ao + i)).intoArray(z, zo + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            exp(FloatVector.fromArray(F, a, ao + i, m)).intoArray(z, zo + i, m);
        }
    }

    public static void log(float[] a, int ao, float[] z, int zo, int n) {
        int i = 0, L = F.length();
        for (int bound = F.loopBound(n); i < bound; i += L) {
            log(FloatVector.fromArray(F, a, ao + i)).intoArray(z, zo + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            log(FloatVector.fromArray(F, a, ao + i, m)).intoArray(z, zo + i, m);
        }
    }

    public static void log1p(float[] a, int ao, float[] z, int zo, int n) {
        int i = 0, L = F.length();
        for (int bound = F.loopBound(n); i < bound; i += L) {
            log1p(FloatVector.fromArray(F, a, ao + i)).intoArray(z, zo + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            log1p(FloatVector.fromArray(F, a, ao + i, m)).intoArray(z, zo + i, m);
        }
    }

    public static void sin(float[] a, int ao, float[] z, int zo, int n) {
        int i = 0, L = FH.length();
        for (int bound = FH.loopBound(n); i < bound; i += L) {
            sinHalf(FloatVector.fromArray(FH, a, ao + i)).intoArray(z, zo + i);
        }
        if (i < n) {
            VectorMask<Float> m = FH.indexInRange(i, n);
            sinHalf(FloatVector.fromArray(FH, a, ao + i, m)).intoArray(z, zo + i, m);
        }
    }


    public static void cos(float[] a, int ao, float[] z, int zo, int n) {
        int i = 0, L = FH.length();
        for (int bound = FH.loopBound(n); i < bound; i += L) {
            cosHalf(FloatVector.fromArray(FH, a, ao + i)).intoArray(z, zo + i);
        }
        if (i < n) {
            VectorMask<Float> m = FH.indexInRange(i, n);
            cosHalf(FloatVector.fromArray(FH, a, ao + i, m)).intoArray(z, zo + i, m);
        }
    }


    public static void tanh(float[] a, int ao, float[] z, int zo, int n) {
        int i = 0, L = F.length();
        for (int bound = F.loopBound(n); i < bound; i += L) {
            tanh(FloatVector.fromArray(F, a, ao + i)).intoArray(z, zo + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            tanh(FloatVector.fromArray(F, a, ao + i, m)).intoArray(z, zo + i, m);
        }
    }

    public static void sigmoid(float[] a, int ao, float[] z, int zo, int n) {
        int i = 0, L = F.length();
        for (int bound = F.loopBound(n); i < bound; i += L) {
            sigmoid(FloatVector.fromArray(F, a, ao + i)).intoArray(z, zo + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            sigmoid(FloatVector.fromArray(F, a, ao + i, m)).intoArray(z, zo + i, m);
        }
    }

    /** e^x of one float by the same vector code (a one-lane use of the vector path: identical bits). */
    public static float exp(float x) {
        return exp(FloatVector.broadcast(F, x)).lane(0);
    }
}
