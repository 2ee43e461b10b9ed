package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 transcendental functions on {@link FloatVector}s built only from exactly defined vector arithmetic (add,
 * mul, fma, compare/blend, min/max, bit reinterpretation): unlike the JDK's {@code VectorOperators.EXP/LOG/TANH...},
 * which the JIT swaps for a native vector math library once a loop is compiled, these give bitwise the same result
 * in the interpreter, C1 and C2, so deterministic graphs stay reproducible from the first run on. Accuracy: within
 * 2 ulp of the correctly rounded float result over the whole float range (classic Cody-Waite reduction and Cephes
 * minimax polynomials). The array forms process the last partial vector with a masked vector, so an element's
 * result never depends on where it falls in the array.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;       // 8 significant bits: n * LN2_HI is exact
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, held in the low mantissa bits. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final float EXP_HI = 89f;                // exp(89) overflows float
    private static final float EXP_LO = -104f;              // exp(-104) rounds to +0
    private static final float SQRT_HALF = 0.707106781186547524f;

    private VectorMath() {}

    private static FloatVector k(float c) { return FloatVector.broadcast(F, c); }

    /** e^x lanewise: +inf past about 88.72, +0 below about -103.97, NaN stays NaN. */
    public static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(EXP_LO).min(EXP_HI); // NaN propagates through min/max
        FloatVector t = c.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = t.sub(ROUND_MAGIC);                        // round(c * log2 e), ties to even
        IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND_MAGIC));
        FloatVector r = n.fma(k(-LN2_HI), c);                       // exact (Sterbenz / 8-bit LN2_HI)
        r = n.fma(k(-LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, k(8.3334519073e-3f));
        p = p.fma(r, k(4.1665795894e-2f));
        p = p.fma(r, k(1.6666665459e-1f));
        p = p.fma(r, k(5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // 2^n as two factors 2^(n>>1) * 2^(n - (n>>1)), each a normal float, so the result rounds once, also into
        // the subnormal range, and overflows to inf
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    /** Natural logarithm lanewise: -inf at ±0, NaN below 0, +inf at +inf. */
    public static FloatVector log(FloatVector x) {
        VectorMask<Float> sub = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(8388608f), sub);       // subnormals * 2^23
        IntVector bits = xs.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126)
                .sub(IntVector.zero(bits.species()).blend(23, sub.cast(bits.species())));
        FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats(); // in [0.5, 1)
        VectorMask<Float> small = m.compare(VectorOperators.LT, SQRT_HALF);
        FloatVector fe = (FloatVector) e.convert(VectorOperators.I2F, 0);
        fe = fe.sub(FloatVector.zero(F).blend(1f, small));
        // f = 2m - 1 where m < sqrt(1/2), else m - 1 (both exact): in [sqrt(1/2) - 1, sqrt(2) - 1)
        FloatVector f = m.add(FloatVector.zero(F).blend(m, small)).sub(1f);
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(7.0376836292e-2f, -1.1514610310e-1f);
        p = p.fma(f, k(1.1676998740e-1f));
        p = p.fma(f, k(-1.2420140846e-1f));
        p = p.fma(f, k(1.4249322787e-1f));
        p = p.fma(f, k(-1.6668057665e-1f));
        p = p.fma(f, k(2.0000714765e-1f));
        p = p.fma(f, k(-2.4999993993e-1f));
        p = p.fma(f, k(3.3333331174e-1f));
        FloatVector y = p.mul(f).mul(z);
        y = fe.fma(k(LN2_LO), y);
        y = z.fma(k(-0.5f), y);
        FloatVector res = f.add(y);
        res = fe.fma(k(LN2_HI), res);
        res = res.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        res = res.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        return res.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.compare(VectorOperators.NE, x)));
    }

    /** log(1 + x) lanewise, accurate near 0: -inf at -1, NaN below -1. */
    public static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f);
        FloatVector lu = log(u);
        // u = 1 + x rounded: add back the rounding error, d log u ~ (x - (u - 1)) / u
        FloatVector res = lu.add(x.sub(u.sub(1f)).div(u));
        VectorMask<Float> plain = u.compare(VectorOperators.LE, 0f)
                .or(u.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY)).or(x.compare(VectorOperators.NE, x));
        res = res.blend(lu, plain);
        return res.blend(x, u.compare(VectorOperators.EQ, 1f)); // |x| < 2^-24: log1p(x) rounds to x (keeps -0)
    }

    /** Hyperbolic tangent lanewise: an odd polynomial below |x| = 0.625, 1 - 2/(e^2|x| + 1) above. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector e = exp(a.add(a).min(EXP_HI));
        FloatVector big = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(e.add(1f)));
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(-5.70498872745e-3f, 2.06390887954e-2f);
        p = p.fma(z, k(-5.37397155531e-2f));
        p = p.fma(z, k(1.33314422036e-1f));
        p = p.fma(z, k(-3.33332819422e-1f));
        FloatVector small = p.mul(z).fma(x, x);
        // big with the sign of x
        IntVector sign = x.reinterpretAsInts().and(0x80000000);
        FloatVector signedBig = big.reinterpretAsInts().or(sign).reinterpretAsFloats();
        return signedBig.blend(small, a.compare(VectorOperators.LT, 0.625f).or(x.compare(VectorOperators.NE, x)))
                .blend(x, x.compare(VectorOperators.EQ, 0f)); // keeps -0
    }

    /** The logistic function 1 / (1 + e^-x) lanewise, computing only e^-|x| (never overflows). */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        // 1 / (1 + e) for x >= 0, e / (1 + e) for x < 0: one division, rounded once
        return k(1f).blend(e, x.compare(VectorOperators.LT, 0f)).div(e.add(1f));
    }

    // ---- array forms: z[zo + i] = f(a[ao + i]) for i < n, the last partial vector masked

    public static void exp(float[] a, int ao, float[] z, int zo, int n) {
        int i = 0, L = F.length();
        for (int bound = F.loopBound(n); i < bound; i += L) exp(FloatVector.fromArray(F, a, ao + i)).intoArray(z, zo + i);
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            exp(FloatVector.fromArray(F, a, ao + i, m)).intoArray(z, zo + i, m);
        }
    }

    public static void log(float[] a, int ao, float[] z, int zo, int n) {
        int i = 0, L = F.length();
        for (int bound = F.loopBound(n); i < bound; i += L) log(FloatVector.fromArray(F, a, ao + i)).intoArray(z, zo + i);
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

    public static void tanh(float[] a, int ao, float[] z, int zo, int n) {
        int i = 0, L = F.length();
        for (int bound = F.loopBound(n); i < bound; i += L) tanh(FloatVector.fromArray(F, a, ao + i)).intoArray(z, zo + i);
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
