package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.autodiff.GradientTape;

/**
 * ScaledDotProductAttention against a float64 reference loop written here (values and log-sum-exp) and against the
 * unfused composition of MatMul, Select, Softmax and MatMul (gradients of query, key and value, with a gradient on
 * the log-sum-exp too), with odd sizes, several query blocks, bool masks broadcast from lower ranks, causal masking,
 * fully masked rows and strided (transposed) inputs. Finite-difference checks are GradientRecipes' rows.
 */
class ScaledDotProductAttentionTest {

    /** One configuration: sizes, an optional mask shape (broadcast to [B, H, Tq, Tk]), causal, transposed inputs. */
    record Case(String name, int b, int h, int tq, int tk, int d, int dv, int[] maskShape, boolean causal,
                boolean transposed, double scale, int[] lengths) {
        /** A random mask (when there is one). */
        Case(String name, int b, int h, int tq, int tk, int d, int dv, int[] maskShape, boolean causal,
             boolean transposed, double scale) {
            this(name, b, h, tq, tk, d, dv, maskShape, causal, transposed, scale, null);
        }

        @Override public String toString() { return name; }
    }

    /** The float32 kernel's blocks hold 64K scores: 500 x 301 makes 3 query blocks, 300 x 300 two. */
    static Stream<Case> cases() {
        return Stream.of(
                new Case("plain", 2, 3, 7, 5, 3, 4, null, false, false, 0),
                new Case("one row and key", 1, 1, 1, 1, 1, 1, null, false, false, 0),
                new Case("several query blocks, odd widths", 1, 2, 500, 301, 17, 19, null, false, false, 0),
                new Case("padding mask [B, 1, 1, Tk]", 2, 2, 6, 9, 4, 4, new int[] {2, 1, 1, 9}, false, false, 0),
                new Case("mask [Tq, Tk] with empty rows", 2, 1, 5, 5, 3, 2, new int[] {5, 5}, false, false, 0.7),
                new Case("full mask and causal", 2, 2, 8, 8, 5, 3, new int[] {2, 2, 8, 8}, true, false, 0),
                new Case("causal", 1, 2, 33, 33, 8, 8, null, true, false, 0),
                new Case("transposed views", 2, 2, 9, 11, 6, 5, null, false, true, 0),
                new Case("transposed, causal, blocks", 1, 2, 300, 300, 16, 16, new int[] {1, 1, 1, 300}, true, true,
                        0.3),
                // padding as MultiHeadAttention masks it (query mask AND key mask, messages of these lengths): the
                // float32 kernel multiplies only the live rows and keys and writes the dead rows directly
                new Case("padding, query and key", 4, 2, 37, 37, 8, 6, new int[] {4, 1, 37, 37}, false, false, 0,
                        new int[] {37, 20, 0, 5}),
                new Case("padding, blocks, transposed", 2, 2, 300, 300, 16, 16, new int[] {2, 1, 300, 300}, false,
                        true, 0, new int[] {300, 170}),
                new Case("padding and causal", 3, 1, 12, 12, 4, 4, new int[] {3, 1, 12, 12}, true, false, 0,
                        new int[] {12, 7, 0}),
                new Case("key padding only", 3, 2, 6, 9, 4, 3, new int[] {3, 1, 1, 9}, false, false, 0,
                        new int[] {9, 4, 0}));
    }

    private static final SplittableRandom RANDOM = new SplittableRandom(7);

    private static double[] random(int n, double spread) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = spread * (2 * RANDOM.nextDouble() - 1);
        return a;
    }

    /** The case's inputs in float64 [B, H, T, D] (views of [B, T, H, D] arrays when transposed) and its mask. */
    private record Inputs(Tensor q, Tensor k, Tensor v, Tensor mask, boolean[] allowed) {
        static Inputs of(Case c) {
            Tensor q = operand(c, c.tq, c.d), k = operand(c, c.tk, c.d), v = operand(c, c.tk, c.dv);
            boolean[] allowed = new boolean[c.b * c.h * c.tq * c.tk];
            Tensor mask = null;
            byte[] m = null;
            if (c.maskShape != null) {
                m = new byte[Shape.of(c.maskShape).intSize()];
                for (int i = 0; i < m.length; i++) m[i] = (byte) (RANDOM.nextDouble() < 0.7 ? 1 : 0);
                if (c.maskShape.length == 2) java.util.Arrays.fill(m, 0, c.tk, (byte) 0); // row 0: sees nothing
                if (c.lengths != null) padding(c, m);
                mask = Tensor.wrap(DType.BOOL, Shape.of(c.maskShape), m);
            }
            for (int bi = 0; bi < c.b; bi++) {
                for (int hi = 0; hi < c.h; hi++) {
                    for (int i = 0; i < c.tq; i++) {
                        for (int j = 0; j < c.tk; j++) {
                            boolean ok = !(c.causal && j > i);
                            if (m != null) ok &= m[maskIndex(c.maskShape, bi, hi, i, j)] != 0;
                            allowed[((bi * c.h + hi) * c.tq + i) * c.tk + j] = ok;
                        }
                    }
                }
            }
            return new Inputs(q, k, v, mask, allowed);
        }

        /** A 4-D mask [B, 1, Tq or 1, Tk]: row i sees key j when both are before the batch entry's length. */
        private static void padding(Case c, byte[] m) {
            int rows = c.maskShape[2], keys = c.maskShape[3];
            for (int bi = 0; bi < c.b; bi++) {
                int len = c.lengths[bi];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < keys; j++) {
                        m[(bi * rows + i) * keys + j] = (byte) ((rows == 1 || i < len) && j < len ? 1 : 0);
                    }
                }
            }
        }

        private static Tensor operand(Case c, int t, int d) {
            if (!c.transposed) return Tensor.wrap(DType.FLOAT64, Shape.of(c.b, c.h, t, d), random(c.b * c.h * t * d, 2));
            Tensor btHd = Tensor.wrap(DType.FLOAT64, Shape.of(c.b, t, c.h, d), random(c.b * c.h * t * d, 2));
            return Ops.transpose(btHd, 0, 2, 1, 3);
        }

        private static int maskIndex(int[] shape, int... idx4) {
            int at = 0;
            for (int ax = 0; ax < shape.length; ax++) {
                int i = idx4[4 - shape.length + ax];
                at = at * shape[ax] + (shape[ax] == 1 ? 0 : i);
            }
            return at;
        }
    }

    /** The float64 reference: out [B, H, Tq, Dv] then lse [B, H, Tq], one row at a time; masked scores are lowest. */
    private static double[][] reference(Case c, Inputs in, double lowest) {
        double[] q = in.q.toDoubleArray(), k = in.k.toDoubleArray(), v = in.v.toDoubleArray();
        double scale = c.scale == 0 ? 1 / Math.sqrt(c.d) : c.scale;
        double[] out = new double[c.b * c.h * c.tq * c.dv], lse = new double[c.b * c.h * c.tq];
        for (int bh = 0; bh < c.b * c.h; bh++) {
            for (int i = 0; i < c.tq; i++) {
                double[] s = new double[c.tk];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c.tk; j++) {
                    double dot = 0;
                    for (int x = 0; x < c.d; x++) dot += q[(bh * c.tq + i) * c.d + x] * k[(bh * c.tk + j) * c.d + x];
                    s[j] = in.allowed[(bh * c.tq + i) * c.tk + j] ? scale * dot : lowest;
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < c.tk; j++) sum += Math.exp(s[j] - max);
                lse[bh * c.tq + i] = max + Math.log(sum);
                for (int j = 0; j < c.tk; j++) {
                    double p = Math.exp(s[j] - max) / sum;
                    for (int x = 0; x < c.dv; x++) out[(bh * c.tq + i) * c.dv + x] += p * v[(bh * c.tk + j) * c.dv + x];
                }
            }
        }
        return new double[][] {out, lse};
    }

    private static Tensor[] fused(Case c, Tensor q, Tensor k, Tensor v, Tensor mask) {
        Tensor[] in = mask == null ? new Tensor[] {q, k, v} : new Tensor[] {q, k, v, mask};
        return Ops.runMulti(AttentionOps.SCALED_DOT_PRODUCT_ATTENTION,
                Attrs.of("scale", c.scale, "causal", c.causal), in);
    }

    /** The same attention from unfused ops; its lse from the masked scores, shifted by their (constant) maximum. */
    private static Tensor[] unfused(Case c, Inputs in, Tensor q, Tensor k, Tensor v) {
        double scale = c.scale == 0 ? 1 / Math.sqrt(c.d) : c.scale;
        Tensor allowed = Tensor.wrap(DType.BOOL, Shape.of(c.b, c.h, c.tq, c.tk), bytes(in.allowed));
        Tensor s = Ops.mul(Ops.matmul(q, k, false, true), Tensors.convert(scale, q.dtype()));
        s = Ops.where(allowed, s, Tensors.convert(q.dtype() == DType.FLOAT64 ? -0.7 * Double.MAX_VALUE
                : -0.7 * Float.MAX_VALUE, q.dtype()));
        Tensor max = Ops.stopGradient(Ops.max(s, true, -1));
        Tensor lse = Ops.squeeze(Ops.add(Ops.log(Ops.sum(Ops.exp(Ops.sub(s, max)), true, -1)), max), -1);
        return new Tensor[] {Ops.matmul(Ops.softmax(s, -1), v), lse};
    }

    private static byte[] bytes(boolean[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) (b[i] ? 1 : 0);
        return out;
    }

    private static Tensor f32(Tensor t) { return Ops.cast(t, DType.FLOAT32); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valuesMatchTheFloat64ReferenceLoop(Case c) {
        Inputs in = Inputs.of(c);
        double[][] want = reference(c, in, -0.7 * Double.MAX_VALUE);
        Tensor[] got64 = fused(c, in.q, in.k, in.v, in.mask);
        assertClose(want[0], got64[0].toDoubleArray(), 1e-12, c + " out float64");
        assertClose(want[1], got64[1].toDoubleArray(), 1e-12, c + " lse float64");
        want = reference(c, in, -0.7 * Float.MAX_VALUE);   // the lse of a row that sees nothing differs
        Tensor[] got32 = fused(c, f32(in.q), f32(in.k), f32(in.v), in.mask);
        assertEquals(Shape.of(c.b, c.h, c.tq, c.dv), got32[0].shape());
        assertEquals(Shape.of(c.b, c.h, c.tq), got32[1].shape());
        assertClose(want[0], got32[0].toDoubleArray(), 2e-5, c + " out float32");
        assertClose(want[1], got32[1].toDoubleArray(), 2e-5, c + " lse float32");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchTheUnfusedOps(Case c) {
        Inputs in = Inputs.of(c);
        Tensor wOut = Tensor.wrap(DType.FLOAT64, Shape.of(c.b, c.h, c.tq, c.dv), random(c.b * c.h * c.tq * c.dv, 1));
        Tensor wLse = Tensor.wrap(DType.FLOAT64, Shape.of(c.b, c.h, c.tq), random(c.b * c.h * c.tq, 1));
        Tensor[] want = gradients(in.q, in.k, in.v, wOut, wLse, (q, k, v) -> unfused(c, in, q, k, v));
        Tensor[] got64 = gradients(in.q, in.k, in.v, wOut, wLse, (q, k, v) -> fused(c, q, k, v, in.mask));
        Tensor[] got32 = gradients(f32(in.q), f32(in.k), f32(in.v), f32(wOut), f32(wLse),
                (q, k, v) -> fused(c, q, k, v, in.mask));
        for (int i = 0; i < 3; i++) {
            double[] w = want[i].toDoubleArray();
            assertClose(w, got64[i].toDoubleArray(), 1e-11, c + " d" + "qkv".charAt(i) + " float64");
            assertClose(w, got32[i].toDoubleArray(), 1e-4, c + " d" + "qkv".charAt(i) + " float32");
        }
    }

    private interface Attention {
        Tensor[] apply(Tensor q, Tensor k, Tensor v);
    }

    /** Gradients of sum(out * wOut) + sum(lse * wLse) with respect to q, k and v. */
    private static Tensor[] gradients(Tensor q, Tensor k, Tensor v, Tensor wOut, Tensor wLse, Attention f) {
        try (GradientTape tape = new GradientTape()) {
            tape.watch(q);
            tape.watch(k);
            tape.watch(v);
            Tensor[] r = f.apply(q, k, v);
            Tensor loss = Ops.add(Ops.sum(Ops.mul(r[0], wOut)), Ops.sum(Ops.mul(r[1], wLse)));
            return tape.gradient(loss, q, k, v);
        }
    }

    private static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]) / Math.max(1, Math.abs(want[i]));
            if (!(err <= tol)) throw new AssertionError(what + ": element " + i + " is " + got[i] + ", want " + want[i]);
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadSplit() {
        // each (batch, head) task writes only its rows: two calls give the same bits
        Case c = new Case("big", 4, 4, 64, 64, 16, 16, null, true, true, 0);
        Inputs in = Inputs.of(c);
        Tensor[] a = fused(c, f32(in.q), f32(in.k), f32(in.v), null);
        Tensor[] b = fused(c, f32(in.q), f32(in.k), f32(in.v), null);
        assertArrayEquals(a[0].toFloatArray(), b[0].toFloatArray());
    }

    @Test
    void frontDoorUsesOneOverSqrtDepthByDefault() {
        // one query, two keys: scores 2/sqrt(4) = 1 and 0, softmax (e/(1+e), 1/(1+e)) over values 1 and 0
        Tensor q = Tensors.of(new float[] {1, 1, 1, 1}, 1, 1, 1, 4);
        Tensor k = Tensors.of(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 0, 0}, 1, 1, 2, 4);
        Tensor v = Tensors.of(new float[] {1, 0}, 1, 1, 2, 1);
        float got = Ops.scaledDotProductAttention(q, k, v).toFloatArray()[0];
        assertEquals(Math.E / (1 + Math.E), got, 1e-6);
    }

    @Test
    void badInputsAreRejectedWithTheRule() {
        Tensor q = Ops.zeros(DType.FLOAT32, 2, 2, 3, 4), k = Ops.zeros(DType.FLOAT32, 2, 2, 5, 4);
        Tensor v = Ops.zeros(DType.FLOAT32, 2, 2, 5, 6);
        List<String> messages = new ArrayList<>();
        messages.add(assertThrows(OpException.class, () -> Ops.scaledDotProductAttention(q,
                Ops.zeros(DType.FLOAT32, 2, 2, 5, 3), v)).getMessage());
        messages.add(assertThrows(OpException.class, () -> Ops.scaledDotProductAttention(q, k,
                Ops.zeros(DType.FLOAT32, 2, 2, 4, 6))).getMessage());
        messages.add(assertThrows(OpException.class, () -> Ops.scaledDotProductAttention(q, k, v,
                Ops.zeros(DType.FLOAT32, 3, 5), 0, false)).getMessage());
        messages.add(assertThrows(OpException.class, () -> Ops.scaledDotProductAttention(q, k, v,
                Tensor.wrap(DType.BOOL, Shape.of(4, 5), new byte[20]), 0, false)).getMessage());
        messages.add(assertThrows(OpException.class, () -> Ops.scaledDotProductAttention(
                Ops.zeros(DType.FLOAT32, 2, 3, 4), k, v)).getMessage());
        assertTrue(messages.get(0).contains("query/key depth: 4 vs 3"), messages.get(0));
        assertTrue(messages.get(1).contains("key length: 5 vs 4"), messages.get(1));
        assertTrue(messages.get(2).contains("the mask must be bool"), messages.get(2));
        assertTrue(messages.get(3).contains("does not broadcast"), messages.get(3));
        assertTrue(messages.get(4).contains("must have rank 4"), messages.get(4));
    }
}
