package org.nabla.half;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.io.Json;

/**
 * float16 against NumPy 2.4 and bfloat16 against ml_dtypes 0.6 (JAX's): conversions from float64, float32 and int64
 * (edge cases: ties, overflow, subnormals, NaN, double rounding), NumPy's printing of float16 arrays, and a few ops
 * computed in float32 and rounded once; from {@code scripts/references/half_floats_reference.py}'s checked-in output.
 * Conversions and elementwise ops must match bit for bit; sums, means, matmul and softmax (float32 accumulation whose
 * order may differ) within one 16-bit ulp.
 */
class HalfFloatsReferenceTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> reference() throws IOException {
        try (InputStream in = HalfFloatsReferenceTest.class.getResourceAsStream("/half/half_floats.json")) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(String name) throws IOException {
        return (Map<String, Object>) ((Map<String, Object>) reference().get("conversions")).get(name);
    }

    static double parseHex(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    @SuppressWarnings("unchecked")
    static double[] doubles(Object list) {
        return ((List<Object>) list).stream().mapToDouble(o -> parseHex((String) o)).toArray();
    }

    @SuppressWarnings("unchecked")
    static short[] bitsOf(Object list) {
        List<Object> l = (List<Object>) list;
        short[] out = new short[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = (short) ((Number) l.get(i)).intValue();
        return out;
    }

    static Tensor halves(DType dtype, Object bits, int... shape) {
        return Tensor.wrap(dtype, Shape.of(shape), bitsOf(bits));
    }

    private static void assertBits(short[] expected, Tensor actual, String what) {
        short[] got = actual.toShortArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Integer.toHexString(expected[i] & 0xffff), Integer.toHexString(got[i] & 0xffff),
                    what + " element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"float16", "bfloat16"})
    void castFromFloat64MatchesTheReference(String name) throws IOException {
        Map<String, Object> s = section("from_float64");
        double[] x = doubles(s.get("x"));
        DType dtype = DType.of(name);
        assertBits(bitsOf(s.get(name)), Ops.cast(Ops.constant(x), dtype), name + " from float64 cast");
        assertBits(bitsOf(s.get(name)), Ops.convertToTensor(x, dtype), name + " from Java doubles");
    }

    @ParameterizedTest
    @ValueSource(strings = {"float16", "bfloat16"})
    void castFromFloat32AndBackMatchesTheReference(String name) throws IOException {
        Map<String, Object> s = section("from_float32");
        double[] x = doubles(s.get("x"));
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        DType dtype = DType.of(name);
        Tensor h = Ops.cast(Ops.constant(f), dtype);
        assertBits(bitsOf(s.get(name)), h, name + " from float32");
        // widening is exact: back to float32 and float64 gives the 16-bit value itself
        float[] back = Ops.cast(h, DType.FLOAT32).toFloatArray();
        double[] back64 = Ops.cast(h, DType.FLOAT64).toDoubleArray();
        float[] read = h.toFloatArray();
        for (int i = 0; i < f.length; i++) {
            assertEquals(read[i], back[i], name + " widened " + i);
            assertEquals(read[i], back64[i], name + " widened to float64 " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"float16", "bfloat16"})
    @SuppressWarnings("unchecked")
    void castFromInt64MatchesTheReference(String name) throws IOException {
        Map<String, Object> s = section("from_int64");
        long[] x = ((List<Object>) s.get("x")).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
        assertBits(bitsOf(s.get(name)), Ops.cast(Ops.constant(x), DType.of(name)), name + " from int64");
    }

    @Test
    @SuppressWarnings("unchecked")
    void printsFloat16ArraysAsNumPyDoes() throws IOException {
        for (Object o : (List<Object>) reference().get("printing")) {
            Map<String, Object> p = (Map<String, Object>) o;
            Tensor t = Ops.cast(Ops.constant(doubles(p.get("x"))), DType.FLOAT16);
            String expected = (String) p.get("str");
            assertEquals("tf.Tensor(" + expected + ", shape=" + t.shape() + ", dtype=float16)", t.toString());
        }
        assertEquals("tf.Tensor(0.1, shape=(), dtype=float16)", Ops.cast(Ops.constant(0.1), DType.FLOAT16).toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void opsComputeInFloat32AndRoundOnce() throws IOException {
        for (Object o : (List<Object>) reference().get("ops")) {
            Map<String, Object> c = (Map<String, Object>) o;
            DType dtype = DType.of((String) c.get("dtype"));
            Tensor x = halves(dtype, c.get("x"), 4, 5), y = halves(dtype, c.get("y"), 4, 5);
            Tensor z = halves(dtype, c.get("z"), 5, 3), pos = halves(dtype, c.get("pos"), 4, 5);
            String d = dtype + " ";
            assertBits(bitsOf(c.get("add")), Ops.add(x, y), d + "add");
            assertBits(bitsOf(c.get("mul")), Ops.mul(x, y), d + "mul");
            assertBits(bitsOf(c.get("div")), Ops.div(x, y), d + "div");
            assertBits(bitsOf(c.get("exp")), Ops.exp(x), d + "exp");
            assertBits(bitsOf(c.get("tanh")), Ops.tanh(x), d + "tanh");
            assertBits(bitsOf(c.get("sqrt")), Ops.sqrt(pos), d + "sqrt");
            assertWithinUlp(bitsOf(c.get("sum0")), Ops.sum(x, 0), d + "sum");
            assertWithinUlp(bitsOf(c.get("mean1")), Ops.mean(x, 1), d + "mean");
            assertWithinUlp(bitsOf(c.get("matmul")), Ops.matmul(x, z), d + "matmul");
            assertWithinUlp(bitsOf(c.get("softmax")), Ops.softmax(x), d + "softmax");
            for (Tensor t : List.of(Ops.add(x, y), Ops.sum(x, 0), Ops.matmul(x, z), Ops.softmax(x))) {
                assertEquals(dtype, t.dtype(), "results keep the 16-bit dtype");
            }
        }
    }

    /** Same sign, and bits at most one apart: one unit in the last place of a finite 16-bit value. */
    private static void assertWithinUlp(short[] expected, Tensor actual, String what) {
        short[] got = actual.toShortArray();
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < got.length; i++) {
            int e = expected[i], g = got[i];
            if (Math.abs(e - g) > 1 || (e < 0) != (g < 0)) {
                throw new AssertionError(what + " element " + i + ": expected bits " + Integer.toHexString(e & 0xffff)
                        + " got " + Integer.toHexString(g & 0xffff));
            }
        }
    }
}
